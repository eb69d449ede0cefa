# bench/lib.sh — sourced by the bench/*-vs-postfix.sh scripts (not run on its own): free
# loopback ports, Sluice started from the built jar, and a private default Debian Postfix on
# loopback. The caller sets $work (a directory user postfix can reach, mode 755) and runs from
# the repository root. Every server here binds 127.0.0.1 only.

free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }

# wait_for_port PORT: until something accepts connections there, at most 30 s.
wait_for_port() {
  python3 - "$1" <<'PY'
import socket, sys, time
deadline = time.time() + 30
while time.time() < deadline:
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1).close()
        sys.exit(0)
    except OSError:
        time.sleep(0.1)
sys.exit(f"nothing listens on 127.0.0.1:{sys.argv[1]} after 30 s")
PY
}

# start_sluice: runs bin/sluice with $work/sluice.yaml and data in $work, output in
# $work/sluice.log; sets sluice_pid; waits (at most 30 s) until it accepts mail.
# write_sluice_config PORT DEAD_PORT DELIVERY: $work/sluice.yaml for a relay listener on PORT,
# the spool in $work, routes from $work/routes.yaml, DNS pointed at DEAD_PORT (nothing listens
# there: no query leaves loopback) and DELIVERY as the `delivery:` mapping.
write_sluice_config() {
  cat > "$work/sluice.yaml" <<YAML
hostname: bench.sluice.test
listeners: [ { name: relay, address: "127.0.0.1:$1", mode: relay } ]
trusted_networks: [ "127.0.0.1/32" ]
spool: { dir: spool, min_free: 100MB }
limits: { max_connections_per_ip: 1000, max_connections: 1000 }
routes: routes.yaml
dns: { resolvers: [ "127.0.0.1:$2" ] }
admin: { address: "127.0.0.1:0" }
delivery: $3
YAML
}

start_sluice() {
  bin/sluice run --config "$work/sluice.yaml" --data-dir "$work" > "$work/sluice.log" 2>&1 &
  sluice_pid=$!
  for _ in $(seq 1 300); do
    grep -q "accepting mail" "$work/sluice.log" && return 0
    kill -0 "$sluice_pid" 2>/dev/null || { cat "$work/sluice.log" >&2; return 1; }
    read -r -t 0.1 < /dev/zero || true
  done
  echo "sluice did not start within 30 s" >&2
  cat "$work/sluice.log" >&2
  return 1
}

# stop_sluice: SIGTERM, then wait for it (it prints its ingress latency line when it stops).
stop_sluice() {
  if [[ -n "${sluice_pid:-}" ]]; then
    kill "$sluice_pid" 2>/dev/null || true
    wait "$sluice_pid" 2>/dev/null || true
    sluice_pid=""
  fi
}

# start_postfix PORT [MAIN_CF_LINE...]: a private Postfix instance in $work/postfix with
# Debian's default master.cf (smtpd on 127.0.0.1:PORT, no chroot) and a main.cf that differs
# from Debian's defaults only where a private loopback instance needs it; the extra lines
# (relayhost, defer_transports…) are appended. Waits until its smtpd answers.
start_postfix() {
  local port=$1
  shift
  mkdir -p "$work/postfix" "$work/postfix-queue" "$work/postfix-data"
  chown postfix "$work/postfix-data"
  sed -E 's/^smtp( +)inet( +)n( +)-( +)y/127.0.0.1:'"$port"' inet n - n/' /etc/postfix/master.cf |
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
alias_maps =
alias_database =
maillog_file = $work/postfix.log
maillog_file_prefixes = /tmp
smtpd_client_connection_count_limit = 1000
CF
  printf '%s\n' "$@" >> "$work/postfix/main.cf"
  # Postfix reports its errors only to a log or a terminal: script(1) gives it one.
  script -qc "postfix -c $work/postfix start" /dev/null | grep -v "^postfix/postfix-script: starting" || true
  wait_for_port "$port"
}

stop_postfix() {
  script -qc "postfix -c $work/postfix stop" /dev/null >/dev/null 2>&1 || true
}
