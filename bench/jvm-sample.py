#!/usr/bin/env python3
"""Samples a running Sluice JVM into a CSV until a stop file appears (used by bench/soak.sh and
bench/queue-scale.sh; not a benchmark on its own).

Every INTERVAL seconds, one row: seconds since the sampler started, resident memory, open file
descriptors and threads (/proc/<pid>), the heap from the JVM's own GC log (the largest heap in use
before a collection since the last row, and the heap left after the last collection), the queue
from the admin API's /metrics (waiting = retry queue plus messages waiting for a slot; active =
messages being worked on), and, every FORCE_GC seconds, the live heap: `jcmd <pid> GC.run` forces
a full collection and the row records what it left. The JVM must run with
-Xlog:gc:file=GC_LOG (default decorations), which costs nothing measurable; the sampler itself
forks only for the forced collections.

    jvm-sample.py PID GC_LOG METRICS_URL TOKEN_FILE CSV STOP_FILE [INTERVAL] [FORCE_GC]
"""
import os
import re
import subprocess
import sys
import time
import urllib.request

pid, gc_log, metrics_url, token_file, csv_path, stop_file = sys.argv[1:7]
interval = float(sys.argv[7]) if len(sys.argv) > 7 else 5.0
force_gc = float(sys.argv[8]) if len(sys.argv) > 8 else 60.0

# "[12.345s][info][gc] GC(7) Pause Young (Normal) (G1 Evacuation Pause) 120M->30M(512M) 3.4ms"
GC_LINE = re.compile(rb"GC\(\d+\) (Pause [^\d]*?)\s*(\d+)M->(\d+)M\((\d+)M\)")
QUEUE = re.compile(r'^sluice_queue_messages\{state="(\w+)"\} (\d+)', re.M)


def proc_status():
    fields = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            fields[key] = value.split()[0] if value.split() else ""
    return int(fields["VmRSS"]), int(fields["Threads"])


def queue():
    try:
        token = open(token_file).read().strip()
        request = urllib.request.Request(metrics_url, headers={"Authorization": f"Bearer {token}"})
        text = urllib.request.urlopen(request, timeout=5).read().decode()
        depth = dict(QUEUE.findall(text))
        return depth.get("waiting", ""), depth.get("active", "")
    except OSError:
        return "", ""


class GcLog:
    """Reads the collections appended to the GC log since the previous call."""

    def __init__(self, path):
        self.path, self.offset, self.after, self.committed = path, 0, "", ""

    def read(self):
        try:
            with open(self.path, "rb") as f:
                f.seek(self.offset)
                data = f.read()
        except FileNotFoundError:
            return "", [], ""
        complete = data.rfind(b"\n") + 1
        self.offset += complete
        peak, fulls = "", []
        for kind, before, after, committed in GC_LINE.findall(data[:complete]):
            peak = max(int(before), peak or 0)
            self.after, self.committed = int(after), int(committed)
            if kind.startswith(b"Pause Full"):
                fulls.append(int(after))
        return peak, fulls, self.committed


gc = GcLog(gc_log)
start = time.monotonic()
next_gc = start + force_gc
with open(csv_path, "w", buffering=1) as out:
    out.write("t_s,rss_mb,fds,threads,heap_peak_mb,heap_after_gc_mb,heap_committed_mb,"
              "live_heap_mb,queue_waiting,queue_active\n")
    while not os.path.exists(stop_file):
        now = time.monotonic()
        live = ""
        if now >= next_gc:
            subprocess.run(["jcmd", pid, "GC.run"], stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, check=False)
            next_gc = now + force_gc
            # The log line of the forced collection is written when it ends: read it below.
        try:
            rss_kb, threads = proc_status()
            fds = len(os.listdir(f"/proc/{pid}/fd"))
        except FileNotFoundError:
            break  # the process is gone
        peak, fulls, committed = gc.read()
        if fulls:
            live = fulls[-1]
        waiting, active = queue()
        out.write(f"{now - start:.1f},{rss_kb // 1024},{fds},{threads},{peak},{gc.after},"
                  f"{committed},{live},{waiting},{active}\n")
        time.sleep(max(0.0, interval - (time.monotonic() - now)))
