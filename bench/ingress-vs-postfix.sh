#!/usr/bin/env bash
# Accepted messages per second: the same smtp-source load (2 KB messages, 20 sessions,
# 20,000 messages by default) at Sluice's relay listener with its durable spool, and at a
# private default Debian Postfix on loopback, in one run. Both keep what they accept queued
# (Sluice has no outbound delivery yet; Postfix is told to defer its smtp transport), so both
# measure the same thing: receive, store durably, answer 250.
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

for tool in smtp-source postfix java python3; do
  command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install postfix python3 (and Java 17)" >&2; exit 1; }
done
[[ -f relay-server/target/sluice.jar ]] || mvn -q -DskipTests package

work=$(mktemp -d /tmp/sluice-bench.XXXXXX)
chmod 755 "$work" # Postfix's daemons run as user postfix and must reach their directories
sluice_pid=""
cleanup() {
  [[ -n "$sluice_pid" ]] && kill "$sluice_pid" 2>/dev/null && wait "$sluice_pid" 2>/dev/null || true
  script -qc "postfix -c $work/postfix stop" /dev/null >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }

# -- Sluice: relay listener, durable spool ------------------------------------------------------
sluice_port=$(free_port)
cat > "$work/sluice.yaml" <<YAML
hostname: bench.sluice.test
listeners: [ { name: relay, address: "127.0.0.1:$sluice_port", mode: relay } ]
trusted_networks: [ "127.0.0.1/32" ]
spool: { dir: spool, min_free: 100MB }
limits: { max_connections_per_ip: 1000, max_connections: 1000 }
YAML
bin/sluice run --config "$work/sluice.yaml" --data-dir "$work" > "$work/sluice.log" 2>&1 &
sluice_pid=$!
for _ in $(seq 1 300); do
  grep -q "accepting mail" "$work/sluice.log" && break
  kill -0 "$sluice_pid" 2>/dev/null || { cat "$work/sluice.log" >&2; exit 1; }
  read -r -t 0.1 < /dev/zero || true
done

# -- Postfix: a private, default Debian instance on loopback --------------------------------------
postfix_port=$(free_port)
mkdir -p "$work/postfix" "$work/postfix-queue" "$work/postfix-data"
chown postfix "$work/postfix-data"
sed -E 's/^smtp( +)inet( +)n( +)-( +)y/127.0.0.1:'"$postfix_port"' inet n - n/' /etc/postfix/master.cf |
  sed -E 's/^([a-z]+ +(unix|unix-dgram|fifo|pass) +[-ny] +[-ny] +)y /\1n /' > "$work/postfix/master.cf"
cat > "$work/postfix/main.cf" <<CF
compatibility_level = 3.6
queue_directory = $work/postfix-queue
data_directory = $work/postfix-data
mail_owner = postfix
setgid_group = postdrop
myhostname = bench.postfix.test
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
relayhost = [127.0.0.1]:9
defer_transports = smtp
alias_maps =
alias_database =
maillog_file = $work/postfix.log
maillog_file_prefixes = /tmp
smtpd_client_connection_count_limit = 1000
CF
# Postfix reports its errors only to a log or a terminal: script(1) gives it one.
script -qc "postfix -c $work/postfix start" /dev/null | grep -v "^postfix/postfix-script: starting" || true
for _ in $(seq 1 300); do
  python3 -c "import socket;socket.create_connection(('127.0.0.1',$postfix_port),1)" 2>/dev/null && break
  read -r -t 0.1 < /dev/zero || true
done

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

kill "$sluice_pid"; wait "$sluice_pid" 2>/dev/null || true; sluice_pid=""
latency=$(grep -o "ingress .*" "$work/sluice.log" | tail -1 || true)
queued_postfix=$(find "$work/postfix-queue" -type f \( -path '*/deferred/*' -o -path '*/active/*' -o -path '*/incoming/*' -o -path '*/maildrop/*' \) | wc -l)

echo "load: smtp-source -s $sessions -m $messages -l $size after a $warmup-message warm-up (same machine, one after the other)"
echo "sluice:  $sluice_rate msg/s accepted  ($latency)"
echo "postfix: $postfix_rate msg/s accepted  ($queued_postfix messages in its queue afterwards)"
python3 -c "print(f'ratio sluice/postfix: {$sluice_rate / $postfix_rate:.2f}x')"
