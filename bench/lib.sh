# bench/lib.sh — sourced by the bench/ scripts (not run on its own): free loopback ports,
# Sluice started from the built jar, a private default Debian Postfix, Haraka from npm, the
# smtp-sink they all deliver to and a measured smtp-source run. The caller sets $work (a
# directory user postfix can reach, mode 755) and runs from the repository root. Every server
# here binds 127.0.0.1 only.

# PIN=1 (2 CPUs or more): the load tools (smtp-source, smtp-sink, its watcher, the latency
# probe) run on CPU 0 and the relay under test on the others, as if each had a machine of its
# own; a direct run then measures what the tools alone do on their one CPU. Unset: everything
# shares every CPU.
if [[ -n "${PIN:-}" ]]; then
  (($(nproc) >= 2)) || { echo "PIN=1 needs 2 CPUs or more" >&2; exit 1; }
  tools_on=(taskset -c 0)
  relay_on=(taskset -c "1-$(($(nproc) - 1))")
else
  tools_on=()
  relay_on=()
fi

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

# start_sluice: runs bin/sluice with $work/conf/sluice.yaml and data in $work, output in
# $work/sluice.log; sets sluice_pid; waits (at most 30 s) until it accepts mail.
# write_sluice_config PORT DEAD_PORT DELIVERY: $work/conf/sluice.yaml for a relay listener on
# PORT, the spool in $work/spool, routes from $work/conf/routes.yaml (the caller writes it), DNS
# pointed at DEAD_PORT (nothing listens there: no query leaves loopback) and DELIVERY as the
# `delivery:` mapping; SEGMENT_SIZE (e.g. 256KB), when set, is the spool's segment_size, for
# runs that should cross many segment rollovers; IO_THREADS, when set, is its io_threads (two
# per CPU by default). The configuration has a directory of its own
# because Sluice watches the directory of routes.yaml: the log and the sink's counter, written
# at every message, would wake its watcher thousands of times a second.
write_sluice_config() {
  mkdir -p "$work/conf"
  cat > "$work/conf/sluice.yaml" <<YAML
hostname: bench.sluice.test
listeners: [ { name: relay, address: "127.0.0.1:$1", mode: relay } ]
trusted_networks: [ "127.0.0.1/32" ]
spool: { dir: "$work/spool", min_free: 100MB${SEGMENT_SIZE:+, segment_size: $SEGMENT_SIZE} }
limits: { max_connections_per_ip: 1000, max_connections: 1000 }
routes: routes.yaml
dns: { resolvers: [ "127.0.0.1:$2" ] }
admin: { address: "127.0.0.1:0" }
delivery: $3
${IO_THREADS:+io_threads: $IO_THREADS}
YAML
}

start_sluice() {
  "${relay_on[@]}" bin/sluice run --config "$work/conf/sluice.yaml" --data-dir "$work" > "$work/sluice.log" 2>&1 &
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
  script -qc "${relay_on[*]} postfix -c $work/postfix start" /dev/null | grep -v "^postfix/postfix-script: starting" || true
  wait_for_port "$port"
}

stop_postfix() {
  script -qc "postfix -c $work/postfix stop" /dev/null >/dev/null 2>&1 || true
}

# cpu_ticks PID: user and system CPU time of a process so far, in clock ticks.
cpu_ticks() { awk '{ print $14, $15 }' "/proc/$1/stat"; }

# -- The sink --------------------------------------------------------------------------------------
# start_sink PORT: one smtp-sink for the whole run (backlog 1000, user nobody); with -c it writes
# "sess=S quit=Q mesg=M\r" to $work/sink.count at every message end. Beside it a watcher polls
# that count every 2 ms and appends "epoch_seconds count" to $work/sink.timeline whenever it
# changes, so the time a count was reached is known however late someone asks. Sets sink_pid
# and sink_watch_pid.
start_sink() {
  "${tools_on[@]}" smtp-sink -u nobody -c "127.0.0.1:$1" 1000 > "$work/sink.count" 2> "$work/sink.err" &
  sink_pid=$!
  wait_for_port "$1"
  "${tools_on[@]}" python3 - "$work/sink.count" "$work/sink.timeline" <<'PY' &
import re, sys, time
last = -1
with open(sys.argv[1], "rb") as counts, open(sys.argv[2], "w") as timeline:
    while True:
        counts.seek(0, 2)
        counts.seek(max(0, counts.tell() - 200))
        found = re.findall(rb"mesg=(\d+)\r", counts.read())
        count = int(found[-1]) if found else 0
        if count != last:
            timeline.write(f"{time.time():.6f} {count}\n")
            timeline.flush()
            last = count
        time.sleep(0.002)
PY
  sink_watch_pid=$!
  until [[ -s "$work/sink.timeline" ]]; do read -r -t 0.01 < /dev/zero || true; done
}

stop_sink() {
  local pid
  for pid in "${sink_watch_pid:-}" "${sink_pid:-}"; do
    [[ -n "$pid" ]] || continue
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  sink_watch_pid="" sink_pid=""
}

# sink_count: the messages the sink has received so far (as the watcher last saw them).
sink_count() { tail -n 1 "$work/sink.timeline" | cut -d' ' -f2; }

# await_sink TARGET DEADLINE: returns when the sink has received TARGET messages in all,
# printing the time (epoch seconds) the watcher saw the count reach it; fails at DEADLINE
# (epoch seconds).
await_sink() {
  python3 - "$work/sink.timeline" "$1" "$2" <<'PY'
import sys, time
path, target, deadline = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
count = 0
with open(path) as timeline:
    while True:
        for line in timeline.readlines():
            seen, count = line.split()
            if int(count) >= target:
                print(seen)
                sys.exit(0)
        if time.time() > deadline:
            sys.exit(f"only {count} of {target} messages reached the sink in time")
        time.sleep(0.01)
PY
}

# -- A measured run -------------------------------------------------------------------------------
# run_load PORT COUNT SESSIONS SIZE [PROBE_RATE]: smtp-source sends COUNT messages of SIZE bytes
# over SESSIONS sessions to 127.0.0.1:PORT, then waits until the sink has them all (and the
# probe's), at most $timeout_s seconds in all. Sets accepted_s (smtp-source's run time) and
# delivered_s (from smtp-source's start until the sink has counted every message). With
# PROBE_RATE, bench/smtp-probe.py runs beside smtp-source on its own connection and sets
# probe_result ("accepted failed p50_ms p99_ms"). Returns 1 on a failure or timeout.
run_load() {
  local port=$1 count=$2 sessions=$3 size=$4 probe_rate=${5:-} target start deadline sent reached
  local probe_pid="" probe_accepted=0
  probe_result=""
  target=$(($(sink_count) + count))
  if [[ -n "$probe_rate" ]]; then
    rm -f "$work/probe.ready"
    "${tools_on[@]}" python3 bench/smtp-probe.py "$port" --rate "$probe_rate" --size "$size" --ready "$work/probe.ready" \
      > "$work/probe.out" &
    probe_pid=$!
    until [[ -e "$work/probe.ready" ]]; do
      kill -0 "$probe_pid" 2>/dev/null || { echo "the latency probe did not start" >&2; return 1; }
      read -r -t 0.01 < /dev/zero || true
    done
  fi
  start=$EPOCHREALTIME
  deadline=$((${start%[.,]*} + timeout_s))
  if ! "${tools_on[@]}" timeout "$timeout_s" smtp-source -s "$sessions" -m "$count" -l "$size" \
    -f load@bench.example -t sink@bench.example "127.0.0.1:$port"; then
    echo "smtp-source to port $port failed or took more than $timeout_s s" >&2
    if [[ -n "$probe_pid" ]]; then
      kill "$probe_pid" 2>/dev/null
      wait "$probe_pid" || true
    fi
    return 1
  fi
  sent=$EPOCHREALTIME
  if [[ -n "$probe_pid" ]]; then
    kill -TERM "$probe_pid"
    wait "$probe_pid" || { echo "the latency probe failed" >&2; return 1; }
    probe_result=$(cat "$work/probe.out")
    probe_accepted=${probe_result%% *}
  fi
  reached=$(await_sink "$((target + probe_accepted))" "$deadline") || return 1
  accepted_s=$(python3 -c "print(${sent/,/.} - ${start/,/.})")
  delivered_s=$(python3 -c "print($reached - ${start/,/.})")
}

# -- Sluice relaying to the sink -------------------------------------------------------------------
# start_sluice_relay PORT SINK_PORT CONNECTIONS: Sluice with a relay listener on PORT, the durable
# spool, and one route: a relay member at the sink's IP literal, CONNECTIONS connections at most
# to it, a million messages per connection (delivery's default of 100 would cap it). Its DNS
# resolver is a dead loopback port, never asked.
start_sluice_relay() {
  write_sluice_config "$1" "$(free_port)" "{ max_messages_per_connection: 1000000 }"
  cat > "$work/conf/routes.yaml" <<YAML
destinations:
  default: { connections: $3, messages_per_connection: 1000000 }
pools:
  sink:
    members: [ { name: sink, relay: { host: 127.0.0.1, port: $2, tls: none } } ]
rules: [ { name: all, route: { pool: sink } } ]
# smtp-source sends every message to one address: no per-recipient limit in a benchmark.
traffic: { recipient_rate: off }
YAML
  start_sluice
}

# -- Haraka from npm, as a plain relay to the sink ----------------------------------------------------
# Installed outside the repository (nothing from npm is committed), pinned.
haraka_version=3.3.4
haraka_home=${HARAKA_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/sluice-bench/haraka-$haraka_version}
haraka_bin=$haraka_home/node_modules/.bin/haraka

# install_haraka: npm install Haraka@$haraka_version into $haraka_home unless it is there.
install_haraka() {
  local installed
  installed=$(node -p "require('$haraka_home/node_modules/Haraka/package.json').version" 2>/dev/null || true)
  if [[ $installed != "$haraka_version" || ! -x $haraka_bin ]]; then
    echo "installing Haraka $haraka_version into $haraka_home" >&2
    mkdir -p "$haraka_home"
    npm install --prefix "$haraka_home" --save-exact --no-audit --no-fund "Haraka@$haraka_version" >&2
  fi
}

# start_haraka PORT SINK_PORT: a Haraka made by `haraka -i` in $work/haraka, changed only to be a
# plain relay: it listens on 127.0.0.1:PORT; its one plugin, relay, lets 127.0.0.1 relay (ACL)
# and routes every domain to the sink (force_routing's nexthop, so no DNS); accepted mail goes
# to outbound, Haraka's own disk queue ($work/haraka/queue), which delivers it; no TLS; nodes
# (unset: a cluster master and one worker process), logging and every other setting as
# installed. Sets haraka_pid (the master); output in $work/haraka.log.
start_haraka() {
  local dir=$work/haraka
  "$haraka_bin" -i "$dir" > /dev/null
  echo "listen=127.0.0.1:$1" > "$dir/config/smtp.ini"
  echo bench.haraka.test > "$dir/config/me"
  echo relay > "$dir/config/plugins"
  printf '[relay]\nacl=true\nforce_routing=true\n' > "$dir/config/relay.ini"
  echo 127.0.0.1/32 > "$dir/config/relay_acl_allow"
  printf '[domains]\nany = { "action": "continue", "nexthop": "smtp://127.0.0.1:%s" }\n' "$2" \
    > "$dir/config/relay_dest_domains.ini"
  echo enable_tls=false > "$dir/config/outbound.ini"
  "${relay_on[@]}" "$haraka_bin" -c "$dir" > "$work/haraka.log" 2>&1 &
  haraka_pid=$!
  wait_for_port "$1"
}

# stop_haraka: SIGTERM to the master, which stops its worker after finishing its connections
# (at most force_shutdown_timeout, 30 s).
stop_haraka() {
  if [[ -n "${haraka_pid:-}" ]]; then
    kill "$haraka_pid" 2>/dev/null || true
    wait "$haraka_pid" 2>/dev/null || true
    haraka_pid=""
  fi
}
