#!/usr/bin/env bash
# Where the machine's CPU goes per message: the same smtp-source load (2 KB, 20 sessions) once
# straight into smtp-sink (the ceiling of bench/side-by-side.sh) and once through Sluice (set up
# as there), each after a warm-up, with the CPU time of each process over the measured run:
#
#   bench/cpu-split.sh [MESSAGES]        40,000 by default, after WARMUP=40000
#       IO_THREADS=N    Sluice's io_threads (default: two per CPU)
#
# Prints, per path, messages a second and microseconds of CPU a message for smtp-source, the
# sink, Sluice (and its threads by name, with how often each went to sleep waiting for work: its
# voluntary context switches a message), and the whole machine (/proc/stat: busy and idle).
# smtp-source's CPU is the shell's reaped-children time around it (nothing else is reaped then);
# the others come from /proc/<pid>[/task/*]/stat. Needs what side-by-side.sh needs, minus
# Haraka and the Postfix daemon. Everything binds and connects to 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

messages=${1:-40000}
warmup=${WARMUP:-40000}
timeout_s=${TIMEOUT:-300}
for tool in smtp-source smtp-sink java python3; do
  command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install postfix python3 (and Java 17)" >&2; exit 1; }
done
[[ -f relay-server/target/sluice.jar ]] || mvn -q -DskipTests package

work=$(mktemp -d /tmp/sluice-cpu-split.XXXXXX)
source bench/lib.sh
sluice_pid="" sink_pid="" sink_watch_pid=""
trap 'stop_sluice; stop_sink; rm -rf "$work"' EXIT

# machine_ticks: "busy idle" clock ticks of all CPUs so far (idle includes iowait).
machine_ticks() { awk '/^cpu /{ print $2 + $3 + $4 + $7 + $8 + $9, $5 + $6 }' /proc/stat; }
# children_ticks: user+system ticks of this shell's reaped children so far.
children_ticks() { awk '{ print $16 + $17 }' "/proc/$$/stat"; }
# thread_ticks PID: "name ticks switches" per thread of PID (CPU ticks and voluntary context
# switches: the times it went to sleep waiting for work), numbered thread names folded together.
thread_ticks() {
  local task
  for task in /proc/"$1"/task/*; do
    { awk '{ sub(/.*\) /, ""); print $12 + $13 }' "$task/stat" \
        && awk '/^voluntary_ctxt_switches/ { print $2 }' "$task/status"; } 2>/dev/null | paste -sd' ' \
      | paste -d' ' <(tr ' ' '_' < "$task/comm" | sed -E 's/[-#_]?[0-9]+$//') - || true
  done | awk 'NF == 3 { t[$1] += $2; s[$1] += $3 } END { for (n in t) print n, t[n], s[n] }'
}

sink_port=$(free_port)
start_sink "$sink_port"
for path in direct sluice; do
  port=$sink_port
  if [[ $path == sluice ]]; then
    port=$(free_port)
    start_sluice_relay "$port" "$sink_port" 50
  fi
  run_load "$port" "$warmup" 20 2048
  target=$(($(sink_count) + messages))
  read -r sink0 < <(cpu_ticks "$sink_pid" | awk '{ print $1 + $2 }')
  [[ -n "$sluice_pid" ]] && thread_ticks "$sluice_pid" > "$work/threads0"
  read -r busy0 idle0 < <(machine_ticks)
  source0=$(children_ticks)
  start=$EPOCHREALTIME
  timeout "$timeout_s" smtp-source -s 20 -m "$messages" -l 2048 \
    -f load@bench.example -t sink@bench.example "127.0.0.1:$port"
  end=$(await_sink "$target" $((${start%[.,]*} + timeout_s)))
  source1=$(children_ticks)
  read -r busy1 idle1 < <(machine_ticks)
  [[ -n "$sluice_pid" ]] && thread_ticks "$sluice_pid" > "$work/threads1"
  read -r sink1 < <(cpu_ticks "$sink_pid" | awk '{ print $1 + $2 }')
  python3 - "$path" "$messages" "$start" "$end" "$(getconf CLK_TCK)" "$work" \
    "$((source1 - source0))" "$((sink1 - sink0))" "$((busy1 - busy0))" "$((idle1 - idle0))" <<'PY'
import os, sys
path, n, start, end, hz, work = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
source, sink, busy, idle = (int(x) for x in sys.argv[7:11])
us = lambda ticks: ticks / hz * 1e6 / n
threads, switches = {}, {}
if os.path.exists(f"{work}/threads1"):
    before = {name: (int(t), int(v)) for name, t, v in (line.split() for line in open(f"{work}/threads0"))}
    for name, t, v in (line.split() for line in open(f"{work}/threads1")):
        threads[name] = int(t) - before.get(name, (0, 0))[0]
        switches[name] = int(v) - before.get(name, (0, 0))[1]
relay = sum(threads.values())
print(f"{path}: {n / (end - start):,.0f} msg/s delivered; CPU per message (us): smtp-source {us(source):.0f},"
      f" smtp-sink {us(sink):.0f}" + (f", sluice {us(relay):.0f}" if threads else "") +
      f"; machine busy {us(busy):.0f}, idle {us(idle):.0f}")
for name, t in sorted(threads.items(), key=lambda kv: -kv[1]):
    if us(t) >= 1:
        print(f"  sluice thread {name}: {us(t):.0f} us, {switches[name] / n:.2f} sleeps a message")
PY
  [[ $path == sluice ]] && stop_sluice
done
