#!/usr/bin/env bash
# Accepted messages per second: the same smtp-source load (2 KB messages, 20 sessions,
# 20,000 messages by default) at Sluice's relay listener with its durable spool, and at a
# private default Debian Postfix on loopback, in one run. Both keep what they accept queued,
# so both measure the same thing: receive, store durably, answer 250. Postfix is told to defer
# its smtp transport; Sluice's only route is a relay on a loopback port where nothing listens,
# its DNS resolver is that dead port too, and its first retry is an hour away, so nothing it
# accepts leaves the queue during the run (bench/side-by-side.sh measures delivery).
#
#   bench/ingress-vs-postfix.sh [MESSAGES] [SESSIONS] [SIZE]     (WARMUP=5000 messages first)
#
# Needs: java 17, a built jar (mvn -DskipTests package), smtp-source and postfix
# (apt-get install postfix), root (Postfix's own user switching). Traffic stays on 127.0.0.1.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

messages=${1:-20000}
sessions=${2:-20}
size=${3:-2048}

for tool in smtp-source postfix java python3 script; do
  command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install postfix python3 (and Java 17)" >&2; exit 1; }
done
[[ -f relay-server/target/sluice.jar ]] || mvn -q -DskipTests package

work=$(mktemp -d /tmp/sluice-bench.XXXXXX)
chmod 755 "$work" # Postfix's daemons run as user postfix and must reach their directories
source bench/lib.sh
sluice_pid=""
cleanup() {
  stop_sluice
  stop_postfix
  rm -rf "$work"
}
trap cleanup EXIT

# -- Sluice: relay listener, durable spool, everything kept queued ------------------------------
sluice_port=$(free_port)
dead_port=$(free_port) # nothing listens here: relay attempts are refused, DNS goes nowhere
write_sluice_config "$sluice_port" "$dead_port" "{ retry: [ 1h ] }"
cat > "$work/conf/routes.yaml" <<YAML
pools:
  hold:
    members: [ { name: nowhere, relay: { host: 127.0.0.1, port: $dead_port, tls: none } } ]
rules: [ { name: all, route: { pool: hold } } ]
# smtp-source sends every message to one address: no per-recipient limit in a benchmark.
traffic: { recipient_rate: off }
YAML
start_sluice

# -- Postfix: a private, default Debian instance on loopback, its smtp transport deferred -------
postfix_port=$(free_port)
start_postfix "$postfix_port" "relayhost = [127.0.0.1]:9" "defer_transports = smtp"

# -- The same load at both -------------------------------------------------------------------
run() { # name port
  local start end
  start=$(date +%s.%N)
  smtp-source -s "$sessions" -m "$messages" -l "$size" -f load@bench.example -t sink@bench.example "127.0.0.1:$2"
  end=$(date +%s.%N)
  python3 -c "print(f'{$messages / ($end - $start):.0f}')"
}
# Warm-up, not timed: a daemon runs for months, and the JVM compiles its hot paths in the
# first seconds. Postfix gets the same warm-up so both start from a running, warm state.
warmup=${WARMUP:-5000}
if ((warmup > 0)); then
  smtp-source -s "$sessions" -m "$warmup" -l "$size" -f warm@bench.example -t sink@bench.example "127.0.0.1:$sluice_port"
  smtp-source -s "$sessions" -m "$warmup" -l "$size" -f warm@bench.example -t sink@bench.example "127.0.0.1:$postfix_port"
fi
sluice_rate=$(run sluice "$sluice_port")
postfix_rate=$(run postfix "$postfix_port")

stop_sluice
latency=$(grep -o "ingress .*" "$work/sluice.log" | tail -1 || true)
queued_postfix=$(find "$work/postfix-queue" -type f \( -path '*/deferred/*' -o -path '*/active/*' -o -path '*/incoming/*' -o -path '*/maildrop/*' \) | wc -l)

echo "load: smtp-source -s $sessions -m $messages -l $size after a $warmup-message warm-up (same machine, one after the other)"
echo "sluice:  $sluice_rate msg/s accepted  ($latency)"
echo "postfix: $postfix_rate msg/s accepted  ($queued_postfix messages in its queue afterwards)"
python3 -c "print(f'ratio sluice/postfix: {$sluice_rate / $postfix_rate:.2f}x')"
