#!/usr/bin/env bash
# How Sluice's cost grows with message size and with concurrency: smtp-source → Sluice (relay
# listener, durable spool, one relay member: the sink) → smtp-sink, and the same load straight
# into the sink (the machine's ceiling), for
#
#   message size 1 KB, 10 KB, 100 KB, 1 MB at 20 sessions
#   sessions     1, 20, 200 at 2 KB
#
# One Sluice and one smtp-sink serve every cell (bench/lib.sh, as bench/side-by-side.sh sets
# them up). After one warm-up (WARMUP 2 KB messages, 20 sessions), each cell first sends a short
# calibration run through Sluice (about 20 MB, at most 5,000 and 250 per session, not measured)
# and sizes its measured run from it so that it takes about CELL_SECONDS; then the same count
# goes straight to the sink and through Sluice. For each cell: delivered msg/s (count / time from
# smtp-source's start until the sink has them all), MB/s of message text (10^6 bytes), Sluice's
# share of the ceiling and its CPU seconds (user + system, /proc/<pid>/stat) per 1,000 messages.
#
#   bench/cost-matrix.sh
#       CELL_SECONDS=15  the measured run's target length
#       WARMUP=40000     2 KB messages through Sluice before the first cell, not measured (long
#                        enough for the JIT to finish, so that the cells measure steady-state cost)
#       TIMEOUT=300      seconds each run may take
#       CONNECTIONS=50   Sluice's connections to the sink
#       KEEP=1           keep the work directory and print its path
#
# Needs: java 17, a built jar (mvn -DskipTests package), smtp-source and smtp-sink (apt-get
# install postfix). Everything binds and connects to 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

cell_seconds=${CELL_SECONDS:-15}
warmup=${WARMUP:-40000}
timeout_s=${TIMEOUT:-300}
connections=${CONNECTIONS:-50}

for tool in smtp-source smtp-sink java python3 timeout; do
  command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install postfix python3 (and Java 17)" >&2; exit 1; }
done
[[ -f relay-server/target/sluice.jar ]] || mvn -q -DskipTests package

work=$(mktemp -d /tmp/sluice-cost.XXXXXX)
source bench/lib.sh
sluice_pid="" sink_pid="" sink_watch_pid=""
cleanup() {
  stop_sluice
  stop_sink
  if [[ -n "${KEEP:-}" ]]; then echo "work directory kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

load_start=$(cut -d" " -f1-3 /proc/loadavg)
sink_port=$(free_port)
start_sink "$sink_port"
sluice_port=$(free_port)
start_sluice_relay "$sluice_port" "$sink_port" "$connections"
if ((warmup > 0)); then
  run_load "$sluice_port" "$warmup" 20 2048 || { echo "warm-up FAILED" >&2; exit 1; }
fi

ticks=$(getconf CLK_TCK)
printf '%8s | %8s | %8s | %13s | %22s | %12s | %12s | %17s\n' size sessions messages \
  "ceiling msg/s" "sluice delivered msg/s" "sluice MB/s" "% of ceiling" "CPU s / 1,000 msg"
# cell SIZE SESSIONS: calibrates, then measures the ceiling and Sluice; prints one table row.
cell() {
  local size=$1 sessions=$2 calibration count ceiling_s user0 sys0 user1 sys1
  calibration=$(python3 -c "print(max(2 * $sessions, min(5000, 20_000_000 // $size, 250 * $sessions)))")
  run_load "$sluice_port" "$calibration" "$sessions" "$size" || return 1
  count=$(python3 -c "print(max(2 * $sessions, 100, int(round($calibration / $delivered_s * $cell_seconds, -2))))")
  run_load "$sink_port" "$count" "$sessions" "$size" || return 1
  ceiling_s=$delivered_s
  read -r user0 sys0 < <(cpu_ticks "$sluice_pid")
  run_load "$sluice_port" "$count" "$sessions" "$size" || return 1
  read -r user1 sys1 < <(cpu_ticks "$sluice_pid")
  python3 - <<PY
rate, ceiling = $count / $delivered_s, $count / $ceiling_s
cpu = ($user1 - $user0 + $sys1 - $sys0) / $ticks
print(f"{$size:>8,} | {$sessions:>8} | {$count:>8,} | {ceiling:>13,.0f} | {rate:>22,.0f} | "
      f"{rate * $size / 1e6:>12.1f} | {100 * rate / ceiling:>11.0f}% | {1000 * cpu / $count:>17.2f}")
PY
}
failed=0
for size in 1024 10240 102400 1048576; do
  cell "$size" 20 || { echo "cell $size bytes × 20 sessions FAILED" >&2; failed=1; }
done
for sessions in 1 20 200; do
  cell 2048 "$sessions" || { echo "cell 2048 bytes × $sessions sessions FAILED" >&2; failed=1; }
done
echo "machine: $(nproc) CPUs, load average $load_start at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end;" \
  "sluice: $connections connections to the sink, after a $warmup-message warm-up"
exit "$failed"
