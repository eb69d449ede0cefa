#!/usr/bin/env bash
# Soak: MESSAGES (1,000,000 by default) through Sluice with a fixed heap, a mix of outcomes, and
# the JVM's memory and file descriptors sampled all along; at the end, every message accounted for.
#
# The mix, by recipient domain (smtp-source processes in parallel, one per domain, in ROUNDS
# rounds so that the mix holds from start to end):
#   a.test, b.test, c.test  94%  relay member → the main smtp-sink: delivered
#   defer.test               5%  relay member → an smtp-sink answering 450 to RCPT: deferred,
#                                retried after 1 min, expired after 2 min (DSN 4.4.7)
#   bounce.test              1%  relay member → an smtp-sink answering 500 to RCPT: bounced (DSN)
# Every DSN goes to the sender, load@senders.test, routed to a fourth smtp-sink that counts them.
# The member facing all-4xx replies is soon marked down by traffic control, and its messages are
# then deferred without an attempt ("no path available now") until its recheck, as in production.
# Retry and queue lifetime are short (delivery: { retry: [1m], max_age: 2m }) so that the queue
# reaches a steady size instead of growing through the run: the heap must then stay flat.
#
# Sampled every INTERVAL s into soak.csv (bench/jvm-sample.py): RSS, open fds, threads, the heap
# from the JVM's GC log, the queue from /metrics; every FORCE_GC s `jcmd GC.run` forces a full
# collection and records the live heap. Leak check: the live heap at idle before the load against
# the live heap at idle after the run has drained, and the live heap in the first and last tenth
# of the sending phase (after a delivered-only warm-up of WARMUP messages). Accounting: the sinks and Sluice's counters against what was sent, and an
# empty queue.
#
#   bench/soak.sh [MESSAGES] [SESSIONS] [SIZE]       defaults 1000000 20 1024
#       XMX=512m        the heap limit (-Xmx) Sluice runs with
#       WARMUP=20000    messages delivered (a.test only) before the baseline is taken
#       ROUNDS=20       rounds of sending (each sends MESSAGES/ROUNDS in the mix above)
#       INTERVAL=5      seconds between samples;  FORCE_GC=60  seconds between forced full GCs
#       DRAIN_TIMEOUT=600  seconds allowed after the last message for the queue to empty
#       KEEP=1          keep the work directory (CSV, GC log, Sluice's log) and print its path
#       SEGMENT_SIZE=   the spool's segment_size (default 64MB); small (256KB) to stress rollovers
#
# Needs: java 17 (jcmd), a built jar (mvn -DskipTests package), smtp-source and smtp-sink
# (apt-get install postfix), python3, root (smtp-sink -u). Everything binds 127.0.0.1.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

messages=${1:-1000000}
sessions=${2:-20}
size=${3:-1024}
xmx=${XMX:-512m}
rounds=${ROUNDS:-20}
warmup=${WARMUP:-20000}
interval=${INTERVAL:-5}
force_gc=${FORCE_GC:-60}
drain_timeout=${DRAIN_TIMEOUT:-600}

for tool in smtp-source smtp-sink java jcmd python3 curl; do
  command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install postfix python3 curl (and Java 17)" >&2; exit 1; }
done
[[ -f relay-server/target/sluice.jar ]] || mvn -q -DskipTests package
((messages % (rounds * 100) == 0)) || { echo "MESSAGES must be a multiple of ROUNDS×100 ($((rounds * 100)))" >&2; exit 1; }

work=$(mktemp -d /tmp/sluice-soak.XXXXXX)
chmod 755 "$work"
source bench/lib.sh
sluice_pid=""
sink_pids=()
sampler_pid=""
cleanup() {
  touch "$work/stop"
  [[ -n "$sampler_pid" ]] && wait "$sampler_pid" 2>/dev/null || true
  stop_sluice
  for pid in "${sink_pids[@]}"; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if [[ -n "${KEEP:-}" ]]; then echo "work directory kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

# -- Sinks: smtp-sink -c prints "sess=S quit=Q mesg=M\r" at every message end --------------------
start_counting_sink() { # name port [smtp-sink options]
  local name=$1 port=$2
  shift 2
  smtp-sink -u nobody -c "$@" "127.0.0.1:$port" 1000 > "$work/$name-sink.count" 2> "$work/$name-sink.err" &
  sink_pids+=($!)
  wait_for_port "$port"
}
ok_sink=$(free_port)
defer_sink=$(free_port)
bounce_sink=$(free_port)
dsn_sink=$(free_port)
start_counting_sink ok "$ok_sink"
start_counting_sink defer "$defer_sink" -r RCPT   # 450 4.3.0 to every RCPT
start_counting_sink bounce "$bounce_sink" -f RCPT # 500 5.3.0 to every RCPT
start_counting_sink dsn "$dsn_sink"

sink_count() { # name: messages the sink has received so far
  python3 - "$work/$1-sink.count" <<'PY'
import re, sys
counts = re.findall(rb"mesg=(\d+)\r", open(sys.argv[1], "rb").read()[-200:])
print(int(counts[-1]) if counts else 0)
PY
}

# -- Sluice --------------------------------------------------------------------------------------
sluice_port=$(free_port)
dead_port=$(free_port)
member() { echo "{ name: $1, relay: { host: 127.0.0.1, port: $2, tls: none } }"; }
mkdir -p "$work/conf"
cat > "$work/conf/routes.yaml" <<YAML
destinations:
  default: { connections: 50, messages_per_connection: 1000000 }
pools:
  ok: { members: [ $(member sink "$ok_sink") ] }
  defer: { members: [ $(member soft-rejecting "$defer_sink") ] }
  bounce: { members: [ $(member hard-rejecting "$bounce_sink") ] }
  dsn: { members: [ $(member dsn-sink "$dsn_sink") ] }
rules:
  - { name: defer, match: { recipient_domain: defer.test }, route: { pool: defer } }
  - { name: bounce, match: { recipient_domain: bounce.test }, route: { pool: bounce } }
  - { name: dsn, match: { recipient_domain: senders.test }, route: { pool: dsn } }
  - { name: ok, route: { pool: ok } }
# smtp-source sends every message to one address: no per-recipient limit in a benchmark.
traffic: { recipient_rate: off }
YAML
write_sluice_config "$sluice_port" "$dead_port" \
  "{ retry: [1m], max_age: 2m, max_messages_per_connection: 1000000 }"
export JAVA_OPTS="-Xmx$xmx -Xlog:gc:file=$work/gc.log ${JAVA_OPTS:-}"
start_sluice
admin=$(grep -o 'dashboard on http://127.0.0.1:[0-9]*' "$work/sluice.log" | tail -1 | sed 's/dashboard on //')
metrics() { curl -sf -H "Authorization: Bearer $(cat "$work/admin.token")" "$admin/metrics"; }
# metric NAME: the sum of a counter over its labels.
metric() { metrics | awk -v n="$1" '$1 == n || index($1, n "{") == 1 { s += $2 } END { printf "%d\n", s }'; }

python3 bench/jvm-sample.py "$sluice_pid" "$work/gc.log" "$admin/metrics" "$work/admin.token" \
  "$work/soak.csv" "$work/stop" "$interval" "$force_gc" &
sampler_pid=$!
# phase MARK: the sampler's clock and the phase boundaries, for the report.
sampler_start=$EPOCHREALTIME
mark() { python3 -c "print(f'{${EPOCHREALTIME/,/.} - ${sampler_start/,/.}:.1f}')" >> "$work/$1.mark"; }

# last_full_gc: the heap (MB) the last full collection in the GC log left.
last_full_gc() { grep 'Pause Full' "$work/gc.log" | tail -1 | sed -E 's/.*->([0-9]+)M.*/\1/'; }
# await_sink NAME TARGET: until the sink has received TARGET messages (at most DRAIN_TIMEOUT s).
await_sink() {
  local deadline=$((SECONDS + drain_timeout))
  until (($(sink_count "$1") >= $2)); do
    ((SECONDS < deadline)) || { echo "$1 sink: only $(sink_count "$1") of $2" >&2; exit 1; }
    read -r -t 1 < /dev/zero || true
  done
}

# Warm-up, delivered only (no deferral, so the queue empties at once): the JIT, Netty's buffer
# pools and the connection pools reach their working size. Then, idle, one forced collection gives
# the baseline live heap.
if ((warmup > 0)); then
  smtp-source -s "$sessions" -m "$warmup" -l "$size" -f load@senders.test -t user@a.test "127.0.0.1:$sluice_port"
  await_sink ok "$warmup"
fi
jcmd "$sluice_pid" GC.run > /dev/null
idle_before=$(last_full_gc)

# -- The load ------------------------------------------------------------------------------------
per_round=$((messages / rounds))
defer_n=$((per_round * 5 / 100))
bounce_n=$((per_round / 100))
ok_n=$((per_round - defer_n - bounce_n))
ok_sessions=$(((sessions - 2) / 3 > 0 ? (sessions - 2) / 3 : 1))
declare -A count=([a.test]=$((ok_n / 3)) [b.test]=$((ok_n / 3)) [c.test]=$((ok_n - 2 * (ok_n / 3))) [defer.test]=$defer_n [bounce.test]=$bounce_n)
declare -A conc=([a.test]=$ok_sessions [b.test]=$ok_sessions [c.test]=$ok_sessions [defer.test]=1 [bounce.test]=1)
echo "sending $messages × $size B in $rounds rounds of $per_round (per round: ${count[a.test]}+${count[b.test]}+${count[c.test]} ok, $defer_n defer, $bounce_n bounce), heap -Xmx$xmx"
mark send-start
start_s=$SECONDS
for ((r = 1; r <= rounds; r++)); do
  pids=()
  for domain in a.test b.test c.test defer.test bounce.test; do
    smtp-source -s "${conc[$domain]}" -m "${count[$domain]}" -l "$size" \
      -f load@senders.test -t "user@$domain" "127.0.0.1:$sluice_port" &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid" || { echo "round $r: smtp-source failed" >&2; exit 1; }; done
  echo "round $r/$rounds done at $((SECONDS - start_s)) s; ok sink $(sink_count ok), dsn sink $(sink_count dsn)"
done
send_s=$((SECONDS - start_s))
mark send-end

# -- Drain: everything delivered, bounced or expired, and the queue empty --------------------------
ok_total=$((ok_n * rounds + warmup))
dsn_total=$(((defer_n + bounce_n) * rounds))
deadline=$((SECONDS + drain_timeout))
drained=0
while ((SECONDS < deadline)); do
  depth=$(metrics | awk '/^sluice_queue_messages\{/ { s += $2 } END { print s + 0 }')
  if (($(sink_count ok) >= ok_total && $(sink_count dsn) >= dsn_total && depth == 0)); then
    drained=1
    break
  fi
  read -r -t 5 < /dev/zero || true
done
drain_s=$((SECONDS - start_s - send_s))
jcmd "$sluice_pid" GC.run > /dev/null
idle_after=$(last_full_gc)
touch "$work/stop"
wait "$sampler_pid" || true
sampler_pid=""

received=$(metric sluice_messages_received_total)
delivered=$(metric sluice_recipients_delivered_total)
bounced=$(metric sluice_recipients_bounced_total)
expired=$(metric sluice_recipients_expired_total)
deferred=$(metric sluice_recipients_deferred_total)
queued=$(metrics | awk '/^sluice_queue_messages\{/ { s += $2 } END { print s + 0 }')
ok_got=$(sink_count ok)
dsn_got=$(sink_count dsn)
stop_sluice

# -- Report --------------------------------------------------------------------------------------
echo
echo "machine: nproc $(nproc), $(awk '/MemTotal/ { printf "%.1f GiB RAM", $2 / 1048576 }' /proc/meminfo), load average at the end $(cut -d' ' -f1-3 /proc/loadavg)"
echo "sent $messages in $send_s s ($((messages / (send_s > 0 ? send_s : 1))) msg/s accepted); drained $drain_s s later"
python3 - "$work" "$idle_before" "$idle_after" <<'PY'
import csv, statistics, sys
work, idle_before, idle_after = sys.argv[1:4]
mark = lambda name: float(open(f"{work}/{name}.mark").read().split()[0])
rows = list(csv.DictReader(open(f"{work}/soak.csv")))
num = lambda r, k: float(r[k]) if r[k] != "" else None
send_start, send_end = mark("send-start"), mark("send-end")
live = [(float(r["t_s"]), num(r, "live_heap_mb")) for r in rows if r["live_heap_mb"]]
during = [(t, v) for t, v in live if send_start <= t <= send_end]
tenth = (send_end - send_start) / 10
if not during:
    sys.exit("no forced collection while sending: lower FORCE_GC")
first = [v for t, v in during if t <= send_start + tenth] or [during[0][1]]
last = [v for t, v in during if t >= send_end - tenth] or [during[-1][1]]
peaks = [num(r, "heap_peak_mb") for r in rows if r["heap_peak_mb"]]
after = [num(r, "heap_after_gc_mb") for r in rows if r["heap_after_gc_mb"]]
committed = [num(r, "heap_committed_mb") for r in rows if r["heap_committed_mb"]]
fds = [int(r["fds"]) for r in rows]
rss = [int(r["rss_mb"]) for r in rows]
threads = [int(r["threads"]) for r in rows]
depth = [int(r["queue_waiting"] or 0) + int(r["queue_active"] or 0) for r in rows if r["queue_waiting"]]
steady = [int(r["fds"]) for r in rows if send_start <= float(r["t_s"]) <= send_end]
print(f"samples: {len(rows)} every ~{rows[1]['t_s'] if len(rows) > 1 else '?'} s, {len(live)} forced full GCs")
print(f"heap in use, peak (before a collection): {max(peaks):.0f} MB; committed after a collection at most {max(committed):.0f} MB")
print(f"heap after any collection: max {max(after):.0f} MB")
print(f"live heap (after a forced full GC): idle before load {idle_before} MB; "
      f"first tenth of sending {statistics.median(first):.0f} MB (median of {len(first)}); "
      f"last tenth {statistics.median(last):.0f} MB (median of {len(last)}); "
      f"max while sending {max(v for _, v in during):.0f} MB; idle after drain {idle_after} MB")
print(f"RSS: min {min(rss)} MB, max {max(rss)} MB, at the end {rss[-1]} MB")
print(f"open fds: min {min(fds)}, max {max(fds)} (while sending {min(steady)}–{max(steady)}), at the end {fds[-1]}")
print(f"threads: min {min(threads)}, max {max(threads)}")
print(f"queue depth (waiting + active): max {max(depth)}")
PY
echo "sluice counters: received $received, delivered $delivered, bounced $bounced, expired $expired, deferrals $deferred, queued at the end $queued"
echo "sinks: ok $ok_got of $ok_total (warm-up included), dsn $dsn_got of $dsn_total (bounced $((bounce_n * rounds)) + expired $((defer_n * rounds)))"
failed=0
((received == messages + warmup)) || { echo "MISMATCH: received $received, sent $((messages + warmup))"; failed=1; }
((bounced == bounce_n * rounds && expired == defer_n * rounds)) || { echo "MISMATCH: bounced/expired"; failed=1; }
((ok_got == ok_total && dsn_got == dsn_total && queued == 0)) || { echo "MISMATCH: sinks or queue"; failed=1; }
((delivered == ok_total + dsn_total)) || { echo "MISMATCH: delivered $delivered, expected $((ok_total + dsn_total))"; failed=1; }
((drained == 1)) || { echo "did not drain within $drain_timeout s"; failed=1; }
((failed == 0)) && echo "accounting: every accepted message delivered, or bounced/expired with a DSN delivered; nothing queued, nothing lost"
cp "$work/soak.csv" "${SOAK_CSV:-/tmp/soak-last.csv}"
echo "samples copied to ${SOAK_CSV:-/tmp/soak-last.csv}"
exit "$failed"
