#!/usr/bin/env bash
# Queue scale: MESSAGES (1,000,000 by default) deferred messages held in the spool by Sluice with a
# fixed heap (-Xmx1g), then the restart: how long until it accepts mail and until the whole queue
# is back in the scheduler, after SIGTERM and after kill -9, and the heap it then needs.
#
# Sluice's only route is a relay member on a loopback port where nothing listens: every first
# attempt is refused, the member is soon marked down, and every message is written back as
# deferred with its next attempt an hour away (delivery: { retry: [1h] }), so nothing is retried
# during the run. smtp-source injects the messages; the script waits until the scheduler holds all
# of them in its retry queue, forces a full collection (`jcmd GC.run`) and records the live heap
# and the classes that fill it (`jcmd GC.class_histogram`). Then, twice (SIGTERM, then kill -9):
# stop, start again, and time
#   - the JVM's start until "accepting mail" (the spool has been read: ingress is open),
#   - the spool's own recovery, from its log line ("recovered N messages in T ms"),
#   - the JVM's start until /metrics shows all MESSAGES waiting in the scheduler's retry queue,
# and force a full collection again for the live heap after recovery. The JVM's memory, fds and
# the queue are sampled all along into queue-scale.csv (bench/jvm-sample.py).
#
#   bench/queue-scale.sh [MESSAGES] [SESSIONS] [SIZE]    defaults 1000000 20 1024
#       XMX=1g          the heap limit (-Xmx) Sluice runs with
#       INTERVAL=5      seconds between samples;  FORCE_GC=120  seconds between forced full GCs
#       KEEP=1          keep the work directory (spool, logs, CSV, histograms) and print its path
#
# Needs: java 17 (jcmd), a built jar (mvn -DskipTests package), smtp-source (apt-get install
# postfix), python3, curl, and about MESSAGES × (SIZE + 1 KB) × 1.5 free in /tmp. Everything binds
# 127.0.0.1; nothing is delivered.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

messages=${1:-1000000}
sessions=${2:-20}
size=${3:-1024}
xmx=${XMX:-1g}
interval=${INTERVAL:-5}
force_gc=${FORCE_GC:-120}

for tool in smtp-source java jcmd python3 curl; do
  command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install postfix python3 curl (and Java 17)" >&2; exit 1; }
done
[[ -f relay-server/target/sluice.jar ]] || mvn -q -DskipTests package
need_mb=$((messages * (size + 1024) * 3 / 2 / 1048576))
free_mb=$(df -Pm /tmp | awk 'NR == 2 { print $4 }')
((free_mb > need_mb)) || { echo "need about $need_mb MB free in /tmp, have $free_mb MB" >&2; exit 1; }

work=$(mktemp -d /tmp/sluice-queue.XXXXXX)
source bench/lib.sh
sluice_pid=""
sampler_pid=""
cleanup() {
  touch "$work/stop"
  [[ -n "$sampler_pid" ]] && wait "$sampler_pid" 2>/dev/null || true
  stop_sluice
  if [[ -n "${KEEP:-}" ]]; then echo "work directory kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

sluice_port=$(free_port)
dead_port=$(free_port) # nothing listens here: the upstream, and DNS
mkdir -p "$work/conf"
cat > "$work/conf/routes.yaml" <<YAML
pools:
  upstream: { members: [ { name: down, relay: { host: 127.0.0.1, port: $dead_port, tls: none } } ] }
rules: [ { name: all, route: { pool: upstream } } ]
# smtp-source sends every message to one address: no per-recipient limit in a benchmark.
traffic: { recipient_rate: off }
YAML
write_sluice_config "$sluice_port" "$dead_port" "{ retry: [1h], connect_timeout: 5s }"
# One GC log for all three runs of the JVM (-Xlog appends nothing: each start gets its own file).
java_opts="-Xmx$xmx -XX:+ExitOnOutOfMemoryError ${JAVA_OPTS:-}"

now() { python3 -c 'import time; print(f"{time.time():.3f}")'; }
metrics() { curl -sf -H "Authorization: Bearer $(cat "$work/admin.token")" "$admin/metrics"; }
waiting() { metrics | awk '/^sluice_queue_messages\{state="waiting"\}/ { print $2 }'; }
last_full_gc() { grep 'Pause Full' "$1" | tail -1 | sed -E 's/.*->([0-9]+)M.*/\1/'; }

# launch RUN: starts Sluice (GC log $work/gc-RUN.log, samples $work/RUN.csv) and times it: sets
# accepting_s (start → "accepting mail") and leaves the JVM's start time in launched.
launch() {
  local run=$1
  launched=$(now)
  JAVA_OPTS="$java_opts -Xlog:gc:file=$work/gc-$run.log" \
    bin/sluice run --config "$work/conf/sluice.yaml" --data-dir "$work" >> "$work/sluice.log" 2>&1 &
  sluice_pid=$!
  local lines_before=$2
  until tail -n +"$lines_before" "$work/sluice.log" | grep -q "accepting mail"; do
    kill -0 "$sluice_pid" 2>/dev/null || { tail -20 "$work/sluice.log" >&2; exit 1; }
    read -r -t 0.05 < /dev/zero || true
  done
  accepting_s=$(python3 -c "print(f'{$(now) - $launched:.1f}')")
  admin=$(tail -n +"$lines_before" "$work/sluice.log" | grep -o 'dashboard on http://127.0.0.1:[0-9]*' | tail -1 | sed 's/dashboard on //')
  rm -f "$work/stop"
  python3 bench/jvm-sample.py "$sluice_pid" "$work/gc-$run.log" "$admin/metrics" "$work/admin.token" \
    "$work/$run.csv" "$work/stop" "$interval" "$force_gc" &
  sampler_pid=$!
}

end_sampler() {
  touch "$work/stop"
  wait "$sampler_pid" || true
  sampler_pid=""
}

# await_waiting N: until the scheduler's retry queue holds N messages; prints seconds since launch.
await_waiting() {
  until [[ "$(waiting)" == "$1" ]]; do
    kill -0 "$sluice_pid" 2>/dev/null || { tail -20 "$work/sluice.log" >&2; exit 1; }
    read -r -t 0.2 < /dev/zero || true
  done
  python3 -c "print(f'{$(now) - $launched:.1f}')"
}

live_heap() { # RUN: forces a full collection, prints the live heap in MB
  jcmd "$sluice_pid" GC.run > /dev/null
  last_full_gc "$work/gc-$1.log"
}

# -- Fill the queue --------------------------------------------------------------------------------
launch fill 1
echo "injecting $messages × $size B over $sessions sessions into Sluice (-Xmx$xmx); the upstream refuses connections"
start=$(now)
chunk=$((messages >= 100000 ? 100000 : messages))
for ((sent = 0; sent < messages; sent += chunk)); do
  n=$((messages - sent < chunk ? messages - sent : chunk))
  smtp-source -s "$sessions" -m "$n" -l "$size" -f load@senders.test -t user@deferred.test "127.0.0.1:$sluice_port" ||
    { echo "smtp-source failed after $sent messages" >&2; tail -5 "$work/sluice.log" >&2; exit 1; }
  echo "  $((sent + n)) sent at $(python3 -c "print(f'{$(now) - $start:.0f}')") s; waiting in the retry queue: $(waiting)"
done
inject_s=$(python3 -c "print(f'{$(now) - $start:.1f}')")
await_waiting "$messages" > /dev/null
settled_s=$(python3 -c "print(f'{$(now) - $start:.1f}')")
live_full=$(live_heap fill)
jcmd "$sluice_pid" GC.class_histogram > "$work/histogram-full.txt"
rss_full=$(awk '/VmRSS/ { print int($2 / 1024) }' "/proc/$sluice_pid/status")
spool_mb=$(du -sm "$work/spool" | cut -f1)
journal_mb=$(du -cm "$work"/spool/journal-*.log | tail -1 | cut -f1)

# -- Restart after SIGTERM, then after kill -9 -------------------------------------------------------
declare -A stop_s accept recovered_ms indexed live rss
for how in term kill; do
  end_sampler
  t0=$(now)
  if [[ $how == term ]]; then kill -TERM "$sluice_pid"; else kill -KILL "$sluice_pid"; fi
  wait "$sluice_pid" 2>/dev/null || true
  stop_s[$how]=$(python3 -c "print(f'{$(now) - $t0:.1f}')")
  lines=$(($(wc -l < "$work/sluice.log") + 1))
  launch "after-$how" "$lines"
  accept[$how]=$accepting_s
  indexed[$how]=$(await_waiting "$messages")
  recovered_ms[$how]=$(tail -n +"$lines" "$work/sluice.log" | grep -o 'recovered [0-9]* messages in [0-9]* ms' | head -1)
  live[$how]=$(live_heap "after-$how")
  rss[$how]=$(awk '/VmRSS/ { print int($2 / 1024) }' "/proc/$sluice_pid/status")
done
jcmd "$sluice_pid" GC.class_histogram > "$work/histogram-recovered.txt"
end_sampler

# -- Report -----------------------------------------------------------------------------------------
echo
echo "machine: nproc $(nproc), $(awk '/MemTotal/ { printf "%.1f GiB RAM", $2 / 1048576 }' /proc/meminfo), load average at the end $(cut -d' ' -f1-3 /proc/loadavg)"
echo "injected $messages in $inject_s s ($(python3 -c "print(f'{$messages / $inject_s:,.0f}')") msg/s); all in the retry queue $settled_s s after the first"
echo "spool on disk: $spool_mb MB (journal $journal_mb MB)"
peak=$(cat "$work"/gc-*.log | grep -oE '[0-9]+M->[0-9]+M' | cut -dM -f1 | sort -n | tail -1)
echo "heap: -Xmx$xmx; peak in use before a collection $peak MB (all runs)"
echo "live heap with $messages queued: $live_full MB ($(python3 -c "print(f'{$live_full * 1048576 / $messages:,.0f}')") bytes per message, JVM baseline included); RSS $rss_full MB"
printf '%-14s %10s %16s %22s %26s %14s %8s\n' restart "stop (s)" "start→accepting" "spool recovery" "start→all in retry queue" "live heap" RSS
for how in term kill; do
  printf '%-14s %10s %16s %22s %26s %14s %8s\n' "after SIG${how^^}" "${stop_s[$how]}" "${accept[$how]} s" \
    "${recovered_ms[$how]#recovered }" "${indexed[$how]} s" "${live[$how]} MB" "${rss[$how]} MB"
done
echo "largest classes with $messages queued (jcmd GC.class_histogram, after the fill):"
sed -n '1,18p' "$work/histogram-full.txt"
out=${QUEUE_OUT:-/tmp/queue-scale-last}
mkdir -p "$out" && cp "$work"/histogram-*.txt "$work"/*.csv "$out"/ && echo "samples and histograms copied to $out"
