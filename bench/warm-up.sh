#!/usr/bin/env bash
# How Sluice warms up: a Sluice started just before, set up as in bench/side-by-side.sh, takes
# the same smtp-source load (2 KB, 20 sessions) in chunks, and each chunk is measured on its own:
#
#   bench/warm-up.sh [CHUNKS [MESSAGES]]     10 chunks of 5,000 messages by default
#       JAVA_OPTS=...   JVM options for Sluice (bin/sluice passes them on), e.g. another GC
#       SLUICE_JAR=...  another build of Sluice
#
# Prints, per chunk, messages a second delivered and microseconds of CPU a message: Sluice's
# whole process (/proc/<pid>/stat), and within it the JIT compiler threads and the GC threads
# (/proc/<pid>/task/*/stat). The first chunks show the JVM still compiling; the last ones are
# the steady state. Needs java 17, a built jar, smtp-source and smtp-sink (apt-get install
# postfix) and python3. Everything binds and connects to 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

chunks=${1:-10}
messages=${2:-5000}
timeout_s=${TIMEOUT:-300}
for tool in smtp-source smtp-sink java python3; do
  command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install postfix python3 (and Java 17)" >&2; exit 1; }
done
[[ -f relay-server/target/sluice.jar ]] || mvn -q -DskipTests package

work=$(mktemp -d /tmp/sluice-warm-up.XXXXXX)
chmod 755 "$work"
source bench/lib.sh
sluice_pid="" sink_pid="" sink_watch_pid=""
trap 'stop_sluice; stop_sink; rm -rf "$work"' EXIT

# compiler_ticks: "tid kind ticks" for Sluice's JIT compiler and GC threads now. The JVM starts
# and stops compiler threads as its queue grows and shrinks; a thread that ends during a chunk
# takes its ticks with it, so only threads alive at both ends of a chunk are counted.
compiler_ticks() {
  local task kind ticks
  for task in /proc/"$sluice_pid"/task/*; do
    case "$(cat "$task/comm" 2>/dev/null)" in
      C1\ Compiler* | C2\ Compiler*) kind=jit ;;
      GC\ Thread* | G1\ *) kind=gc ;;
      *) continue ;;
    esac
    # A thread that ended since the directory was listed has no stat left: skip it.
    ticks=$(awk '{ sub(/.*\) /, ""); print $12 + $13 }' "$task/stat" 2>/dev/null) || continue
    echo "${task##*/} $kind $ticks"
  done
}

sink_port=$(free_port)
start_sink "$sink_port"
port=$(free_port)
start_sluice_relay "$port" "$sink_port" 50
echo "chunk  messages  delivered msg/s  sluice us/msg  jit us/msg  gc us/msg"
for chunk in $(seq 1 "$chunks"); do
  compiler_ticks > "$work/ticks0"
  read -r u0 s0 < <(cpu_ticks "$sluice_pid")
  run_load "$port" "$messages" 20 2048
  read -r u1 s1 < <(cpu_ticks "$sluice_pid")
  compiler_ticks > "$work/ticks1"
  python3 - "$chunk" "$messages" "$delivered_s" "$((u1 + s1 - u0 - s0))" "$(getconf CLK_TCK)" \
    "$work/ticks0" "$work/ticks1" <<'PY'
import sys
chunk, n, seconds, sluice, hz, before, after = sys.argv[1:]
n, hz = int(n), int(hz)
read = lambda path: {tid: (kind, int(t)) for tid, kind, t in (l.split() for l in open(path))}
t0, t1 = read(before), read(after)
ticks = {"jit": 0, "gc": 0}
for tid, (kind, t) in t1.items():
    if tid in t0:
        ticks[kind] += t - t0[tid][1]
us = lambda t: int(t) * 1e6 / hz / n
print(f"{chunk:>5}  {n:>8,}  {n / float(seconds):>15,.0f}  {us(sluice):>13.0f}  {us(ticks['jit']):>10.0f}  {us(ticks['gc']):>9.0f}")
PY
done
