#!/usr/bin/env bash
# Delivered messages per second, end to end: smtp-source → relay → smtp-sink, for Sluice (relay
# listener, durable spool, one relay member pointing at the sink) and for a private default
# Debian Postfix relaying everything to its own sink (relayhost), in one run, one after the
# other, with the same load (2 KB messages, 20 sessions, 20,000 messages by default).
#
# For each relay: time from the start of smtp-source until its sink has received all the
# messages (delivered msg/s), and smtp-source's own run time (accepted msg/s). Each sink is an
# smtp-sink with running counters (-c) that this script reads; a phase that does not finish
# within TIMEOUT seconds is reported as failed.
#
#   bench/e2e-vs-postfix.sh [MESSAGES] [SESSIONS] [SIZE]
#       WARMUP=5000     messages sent and delivered first through each relay, not measured
#       TIMEOUT=300     seconds each phase (warm-up, measured run) may take
#       CONNECTIONS=50  Sluice's connections to the sink (destination `connections`)
#       KEEP=1          keep the work directory (logs, spool) and print its path
#       RELAYS=sluice   measure only these relays (default "sluice postfix"), e.g. when profiling
#                       Sluice with JAVA_OPTS (bin/sluice passes them to the JVM)
#
# Needs: java 17, a built jar (mvn -DskipTests package), smtp-source, smtp-sink and postfix
# (apt-get install postfix), root (Postfix's own user switching). Traffic stays on 127.0.0.1:
# Sluice's only route is the sink's IP literal and its DNS resolver is a dead loopback port.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

messages=${1:-20000}
sessions=${2:-20}
size=${3:-2048}
warmup=${WARMUP:-5000}
timeout_s=${TIMEOUT:-300}
connections=${CONNECTIONS:-50}

for tool in smtp-source smtp-sink postfix java python3 script timeout; do
  command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install postfix python3 (and Java 17)" >&2; exit 1; }
done
[[ -f relay-server/target/sluice.jar ]] || mvn -q -DskipTests package

work=$(mktemp -d /tmp/sluice-e2e.XXXXXX)
chmod 755 "$work" # Postfix's daemons run as user postfix and must reach their directories
source bench/lib.sh
sluice_pid=""
sink_pids=()
cleanup() {
  stop_sluice
  stop_postfix
  for pid in "${sink_pids[@]}"; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if [[ -n "${KEEP:-}" ]]; then echo "work directory kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

# -- The sinks: one per relay, so their counts never mix ----------------------------------------
# smtp-sink -c writes "sess=S quit=Q mesg=M\r" to stdout at every message end; backlog 1000.
start_sink() { # name port
  smtp-sink -u nobody -c "127.0.0.1:$2" 1000 > "$work/$1-sink.count" 2> "$work/$1-sink.err" &
  sink_pids+=($!)
  wait_for_port "$2"
}
sluice_sink=$(free_port)
postfix_sink=$(free_port)
start_sink sluice "$sluice_sink"
start_sink postfix "$postfix_sink"

# delivered NAME: the messages NAME's sink has received so far.
delivered() {
  python3 - "$work/$1-sink.count" <<'PY'
import re, sys
data = open(sys.argv[1], "rb").read()
counts = re.findall(rb"mesg=(\d+)\r", data[-200:])
print(int(counts[-1]) if counts else 0)
PY
}

# await_delivered NAME TARGET DEADLINE: returns when NAME's sink has received TARGET messages in
# all, printing the time ($EPOCHREALTIME format) it saw the count reached; fails at DEADLINE
# (epoch seconds). Polls every 5 ms without forking.
await_delivered() {
  python3 - "$work/$1-sink.count" "$2" "$3" <<'PY'
import re, sys, time
path, target, deadline = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
count = 0
with open(path, "rb") as f:
    while True:
        f.seek(0, 2)
        f.seek(max(0, f.tell() - 200))
        counts = re.findall(rb"mesg=(\d+)\r", f.read())
        count = int(counts[-1]) if counts else count
        now = time.time()
        if count >= target:
            print(f"{now:.6f}")
            sys.exit(0)
        if now > deadline:
            sys.exit(f"only {count} of {target} messages reached the sink in time")
        time.sleep(0.005)
PY
}

# -- Sluice: relay listener and durable spool; its one route is the sink ------------------------
sluice_port=$(free_port)
dead_port=$(free_port) # nothing listens here: DNS, never needed for an IP literal, goes nowhere
cat > "$work/routes.yaml" <<YAML
destinations:
  default: { connections: $connections, messages_per_connection: 1000000 }
pools:
  sink:
    members: [ { name: sink, relay: { host: 127.0.0.1, port: $sluice_sink, tls: none } } ]
rules: [ { name: all, route: { pool: sink } } ]
# smtp-source sends every message to one address: no per-recipient limit in a benchmark.
traffic: { recipient_rate: off }
YAML
write_sluice_config "$sluice_port" "$dead_port" "{ max_messages_per_connection: 1000000 }"
start_sluice

# -- Postfix: a private, default Debian instance on loopback relaying to its sink ----------------
postfix_port=$(free_port)
start_postfix "$postfix_port" "relayhost = [127.0.0.1]:$postfix_sink"

# -- The same load through both ----------------------------------------------------------------
failed=0
# run NAME PORT COUNT: sends COUNT messages through NAME and waits until its sink has them all;
# sets accepted_s and delivered_s (seconds from the start of smtp-source), or returns 1.
run() {
  local name=$1 port=$2 count=$3 target start deadline sent reached
  target=$(($(delivered "$name") + count))
  start=$EPOCHREALTIME
  deadline=$(python3 -c "print(${start/,/.} + $timeout_s)")
  if ! timeout "$timeout_s" smtp-source -s "$sessions" -m "$count" -l "$size" \
    -f load@bench.example -t sink@bench.example "127.0.0.1:$port"; then
    echo "$name: smtp-source failed or took more than $timeout_s s" >&2
    return 1
  fi
  sent=$EPOCHREALTIME
  reached=$(await_delivered "$name" "$target" "$deadline") || return 1
  accepted_s=$(python3 -c "print(${sent/,/.} - ${start/,/.})")
  delivered_s=$(python3 -c "print($reached - ${start/,/.})")
}
rate() { python3 -c "print(f'{$messages / $1:,.0f}')"; }

# Warm-up, not timed: a daemon runs for months, and the JVM compiles its hot paths in the first
# seconds. Postfix gets the same warm-up so both start from a running, warm state.
relays=${RELAYS:-sluice postfix}
for name in $relays; do
  [[ $name == sluice || $name == postfix ]] || { echo "RELAYS: sluice and/or postfix, not $name" >&2; exit 1; }
done
# cpu_ticks PID: user and system CPU time of a process so far, in clock ticks.
cpu_ticks() { awk '{ print $14, $15 }' "/proc/$1/stat"; }
if ((warmup > 0)); then
  for name in $relays; do
    port_var=${name}_port
    run "$name" "${!port_var}" "$warmup" || { echo "$name: warm-up FAILED" >&2; exit 1; }
  done
fi
declare -A accepted delivered_rate seconds raw
sluice_cpu=""
for name in $relays; do
  port_var=${name}_port
  [[ $name == sluice ]] && read -r user0 sys0 < <(cpu_ticks "$sluice_pid")
  if run "$name" "${!port_var}" "$messages"; then
    if [[ $name == sluice ]]; then
      read -r user1 sys1 < <(cpu_ticks "$sluice_pid")
      sluice_cpu=$(python3 -c "t=$(getconf CLK_TCK); print(f'sluice CPU in its measured run: {($user1-$user0)/t:.1f} s user + {($sys1-$sys0)/t:.1f} s system over {$delivered_s:.1f} s')")
    fi
    accepted[$name]=$(rate "$accepted_s")
    delivered_rate[$name]=$(rate "$delivered_s")
    seconds[$name]=$(python3 -c "print(f'{$delivered_s:.1f}')")
    raw[$name]=$delivered_s
  else
    accepted[$name]=FAILED delivered_rate[$name]=FAILED seconds[$name]="> $timeout_s"
    failed=1
  fi
done

stop_sluice
latency=$(grep -o "ingress .*" "$work/sluice.log" | tail -1 || true)
sluice_logged=$(grep -c "\"type\":\"delivered\"" "$work/sluice.log" || true)

echo "load: smtp-source -s $sessions -m $messages -l $size through each relay after a $warmup-message warm-up"
echo "sluice: $connections connections to its sink; postfix: Debian defaults (relayhost = its sink)"
printf '%-8s %14s %15s %12s\n' relay "accepted msg/s" "delivered msg/s" "all in sink"
for name in $relays; do
  printf '%-8s %14s %15s %12s\n' "$name" "${accepted[$name]}" "${delivered_rate[$name]}" "${seconds[$name]} s"
done
if ((failed == 0)) && [[ -n "${raw[sluice]:-}" && -n "${raw[postfix]:-}" ]]; then
  python3 -c "print(f'ratio sluice/postfix, delivered: {${raw[postfix]} / ${raw[sluice]}:.2f}x')"
fi
[[ -n "$sluice_cpu" ]] && echo "$sluice_cpu"
echo "sinks received: sluice $(delivered sluice), postfix $(delivered postfix) (warm-up included); sluice logged $sluice_logged deliveries; $latency"
exit "$failed"
