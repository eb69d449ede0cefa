#!/usr/bin/env bash
# The same smtp-source load (2 KB messages, 20 sessions, 40,000 messages by default) through
# Sluice, a private default Debian Postfix and Haraka (from npm), each relaying everything to
# the same smtp-sink, and once straight into that sink (the machine's ceiling), in one run:
#
#   direct   smtp-source → smtp-sink
#   sluice   smtp-source → Sluice (relay listener, durable spool, one relay member: the sink) → smtp-sink
#   postfix  smtp-source → Postfix (Debian's defaults, relayhost = the sink) → smtp-sink
#   haraka   smtp-source → Haraka (relay plugin ACL + nexthop, outbound disk queue) → smtp-sink
#
# The phases run one after the other; only the relay under test runs during its phase. Each
# starts its relay, sends a warm-up, then the measured run: *accepted* is the
# messages / smtp-source's run time, *delivered* the messages / the time from smtp-source's
# start until the sink's counter (read before and after) has them all. Beside the load,
# bench/smtp-probe.py sends PROBE_RATE messages a second on its own connection and times each
# DATA-end→reply (p50, p99). A phase that does not finish within TIMEOUT seconds is reported as
# failed. The warm-up is not in the table's rates, but its delivered rate is printed beside them:
# it is each relay from a cold start (for Sluice, a JVM still compiling its hot code).
#
#   bench/side-by-side.sh [MESSAGES] [SESSIONS] [SIZE]
#       RELAYS="direct sluice postfix haraka"   the phases to run, in this order
#       WARMUP=40000    messages sent and delivered first in each phase (long enough for Sluice's
#                       JIT to finish: see docs/benchmarks.md), reported apart
#       TIMEOUT=300     seconds each warm-up or measured run may take
#       CONNECTIONS=50  Sluice's connections to the sink (destination `connections`)
#       PROBE_RATE=25   latency probe messages per second (not counted in the rates)
#       HARAKA_HOME     where Haraka is (or gets) installed, default ~/.cache/sluice-bench/haraka-3.3.4
#       KEEP=1          keep the work directory (logs, spools, queues) and print its path; a run
#                       with a failed phase keeps it anyway
#       PIN=1           the load tools on CPU 0, the relay on the other CPUs (see bench/lib.sh)
#
# Needs: java 17, a built jar (mvn -DskipTests package), smtp-source, smtp-sink and postfix
# (apt-get install postfix), node and npm (Haraka is installed from npm if missing), root
# (Postfix's own user switching). Everything binds and connects to 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

messages=${1:-40000}
sessions=${2:-20}
size=${3:-2048}
warmup=${WARMUP:-40000}
timeout_s=${TIMEOUT:-300}
connections=${CONNECTIONS:-50}
probe_rate=${PROBE_RATE:-25}
relays=${RELAYS:-direct sluice postfix haraka}

for name in $relays; do
  [[ $name =~ ^(direct|sluice|postfix|haraka)$ ]] || { echo "RELAYS: direct, sluice, postfix, haraka, not $name" >&2; exit 1; }
done
for tool in smtp-source smtp-sink postfix java python3 script timeout; do
  command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install postfix python3 (and Java 17)" >&2; exit 1; }
done
[[ -f relay-server/target/sluice.jar ]] || mvn -q -DskipTests package

work=$(mktemp -d /tmp/sluice-side-by-side.XXXXXX)
chmod 755 "$work" # Postfix's daemons run as user postfix and must reach their directories
source bench/lib.sh
if [[ " $relays " == *" haraka "* ]]; then
  command -v npm >/dev/null || { echo "missing npm (and node ≥ 20) for Haraka" >&2; exit 1; }
  install_haraka
fi
sluice_pid="" haraka_pid="" sink_pid="" sink_watch_pid="" postfix_started="" failed=0
cleanup() {
  stop_sluice
  [[ -n "$postfix_started" ]] && stop_postfix
  stop_haraka
  stop_sink
  # A failed phase keeps its evidence (logs, spool, the sink's timeline) whatever KEEP says.
  if [[ -n "${KEEP:-}" || $failed == 1 ]]; then echo "work directory kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

load_start=$(cut -d" " -f1-3 /proc/loadavg)
sink_port=$(free_port)
start_sink "$sink_port"

# start_relay NAME: starts NAME relaying to the sink; sets relay_port, where smtp-source sends.
# stop_relay NAME: stops it (Sluice prints its own ingress latency line when it stops).
start_relay() {
  relay_port=$sink_port
  [[ $1 == direct ]] || relay_port=$(free_port)
  case $1 in
    sluice) start_sluice_relay "$relay_port" "$sink_port" "$connections" ;;
    postfix)
      start_postfix "$relay_port" "relayhost = [127.0.0.1]:$sink_port"
      postfix_started=1
      ;;
    haraka) start_haraka "$relay_port" "$sink_port" ;;
  esac
}
stop_relay() {
  case $1 in
    sluice) stop_sluice ;;
    postfix)
      stop_postfix
      postfix_started=""
      ;;
    haraka) stop_haraka ;;
  esac
}

# $work/results: one line per phase, "name warmup_delivered/s accepted/s delivered/s probe_accepted
# probe_failed p50_ms p99_ms" (warm-up rate "-" without one), or "name FAILED".
sluice_cpu="" sluice_latency=""
for name in $relays; do
  echo "== $name" >&2
  start_relay "$name"
  cold=-
  if ((warmup > 0)); then
    if ! run_load "$relay_port" "$warmup" "$sessions" "$size"; then
      echo "$name: warm-up FAILED" >&2
      echo "$name FAILED" >> "$work/results"
      failed=1
      stop_relay "$name"
      continue
    fi
    cold=$(python3 -c "print($warmup / $delivered_s)")
  fi
  [[ $name == sluice ]] && read -r user0 sys0 < <(cpu_ticks "$sluice_pid")
  if run_load "$relay_port" "$messages" "$sessions" "$size" "$probe_rate"; then
    python3 -c "print('$name', '$cold', $messages / $accepted_s, $messages / $delivered_s, '$probe_result')" >> "$work/results"
    if [[ $name == sluice ]]; then
      read -r user1 sys1 < <(cpu_ticks "$sluice_pid")
      sluice_cpu=$(python3 -c "t=$(getconf CLK_TCK); print(f'sluice CPU in its measured run: {($user1-$user0)/t:.1f} s user + {($sys1-$sys0)/t:.1f} s system over {$delivered_s:.1f} s')")
    fi
  else
    echo "$name: measured run FAILED" >&2
    echo "$name FAILED" >> "$work/results"
    failed=1
  fi
  stop_relay "$name"
  [[ $name == sluice ]] && sluice_latency=$(grep -o "ingress .*" "$work/sluice.log" | tail -1 || true)
done

# -- The table -------------------------------------------------------------------------------------
echo "load: smtp-source -s $sessions -m $messages -l $size per phase after a $warmup-message warm-up;" \
  "probe: $probe_rate msg/s on one more connection; sluice: $connections connections to the sink;" \
  "machine: $(nproc) CPUs${PIN:+ (pinned: load tools on CPU 0, relays on the others)}, load average $load_start at the start, $(cut -d" " -f1-3 /proc/loadavg) at the end"
python3 - "$work/results" <<'PY'
import sys
rows = [line.split() for line in open(sys.argv[1])]
ok = [row for row in rows if row[1] != "FAILED"]
delivered = {row[0]: float(row[3]) for row in ok}
cold = {row[0]: float(row[1]) for row in ok if row[1] != "-"}

def ratio(name, other):
    return f"{delivered[name] / delivered[other]:.2f}x" if other in delivered else "-"

line = "{:<8} | {:>14} | {:>15} | {:>6} | {:>6} | {:>16} | {:>15} | {:>12} | {:>16}"
print(line.format("relay", "accepted msg/s", "delivered msg/s", "p50 ms", "p99 ms",
                  "ratio vs Postfix", "ratio vs Haraka", "% of ceiling", "warm-up msg/s"))
for row in rows:
    name = row[0]
    if row[1] == "FAILED":
        print(line.format(name, "FAILED", "FAILED", "-", "-", "-", "-", "-", "-"))
        continue
    accepted, probe_failed, p50, p99 = float(row[2]), row[5], row[6], row[7]
    ceiling = f"{100 * delivered[name] / delivered['direct']:.0f}%" if "direct" in delivered else "-"
    print(line.format(name, f"{accepted:,.0f}", f"{delivered[name]:,.0f}", p50, p99,
                      ratio(name, "postfix"), ratio(name, "haraka"), ceiling,
                      f"{cold[name]:,.0f}" if name in cold else "-"))
    if probe_failed != "0":
        print(f"  {name}: {probe_failed} probe messages were not accepted")
if "sluice" in delivered:
    targets = [("≥ 3x Postfix", "postfix", lambda d: d >= 3), ("≥ Haraka", "haraka", lambda d: d >= 1),
               ("≥ 60% of the ceiling", "direct", lambda d: d >= 0.6)]
    verdicts = [f"{label} {'met' if test(delivered['sluice'] / delivered[other]) else 'MISSED'}"
                for label, other, test in targets if other in delivered]
    if verdicts:
        print("targets (delivered): " + "; ".join(verdicts))
    if "sluice" in cold and "postfix" in cold:
        print(f"from a cold start (the warm-ups): sluice {cold['sluice'] / cold['postfix']:.2f}x Postfix")
PY
[[ -n "$sluice_cpu" ]] && echo "$sluice_cpu"
[[ -n "$sluice_latency" ]] && echo "sluice's own DATA-end→250 histogram (warm-up included): $sluice_latency"
echo "sink received $(sink_count) messages in all (warm-ups and probes included)"
exit "$failed"
