#!/usr/bin/env bash
# Disk use under overwrites: two geetcache nodes, one with --raft-log wal
# and one with --raft-log bolt, started side by side and each driven by its
# own redis-benchmark that overwrites the same KEYS keys with VALUE-byte
# values (durable SETs) for DURATION seconds. Every second it notes each
# data directory's disk use for the peak; every INTERVAL seconds it
# prints each data directory's disk use (allocated blocks: preallocated
# segments count whole), its Raft log's (wal/ or raft.db) and the newest
# snapshot's; at the end, the peak and final figures beside the bound
# 3 x (snapshot size + trailing bytes), after the writes stop and after one
# more snapshot (SAVE).
#
#   bash docs/disk.sh 600                 # ten minutes
#   DURATION=60 KEYS=1000 VALUE=1024 CLIENTS=20 PIPELINE=1 bash docs/disk.sh
#   ARGS="--raft-trailing-bytes 8388608" bash docs/disk.sh 120   # extra geetcache flags
#
# TRAILING_BYTES and THRESHOLD_BYTES are passed as --raft-trailing-bytes and
# --raft-snapshot-threshold-bytes (the defaults: 64 MiB each).
set -euo pipefail

DURATION=${1:-${DURATION:-60}}
KEYS=${KEYS:-1000}
VALUE=${VALUE:-1024}
CLIENTS=${CLIENTS:-20}
PIPELINE=${PIPELINE:-1}
INTERVAL=${INTERVAL:-10}
TRAILING_BYTES=${TRAILING_BYTES:-67108864}
THRESHOLD_BYTES=${THRESHOLD_BYTES:-67108864}
ARGS=${ARGS:-}

source "$(dirname "$0")/sidebyside.sh" redis-benchmark du
build_geetcache

declare -A port
# start_node STORE: a geetcache node with --raft-log STORE in $work/STORE.
start_node() {
  local store=$1
  port[$store]=$(free_port)
  mkdir -p "$work/$store"
  # shellcheck disable=SC2086
  "$work/geetcache" --port "${port[$store]}" --bind 127.0.0.1 --dir "$work/$store" \
    --raft-addr "127.0.0.1:$(free_port)" --raft-log "$store" --loglevel warning \
    --raft-trailing-bytes "$TRAILING_BYTES" --raft-snapshot-threshold-bytes "$THRESHOLD_BYTES" \
    $ARGS 2>"$work/$store.log" &
  pids+=($!)
  wait_ping "${port[$store]}"
}

# kib PATH: allocated KiB of a file or directory tree (0 if missing).
kib() { du -sk "$1" 2>/dev/null | awk '{ print $1 }' || echo 0; }

# log_path STORE: the Raft log of the node with that store.
log_path() { if [ "$1" = wal ]; then echo "$work/wal/wal"; else echo "$work/bolt/raft.db"; fi; }

# snapshot_kib STORE: the newest snapshot's state.bin, in KiB (0 if none).
snapshot_kib() {
  local newest
  newest=$(ls -1d "$work/$1"/snapshots/*/ 2>/dev/null | sort | tail -n 1)
  [ -n "$newest" ] && [ -f "$newest/state.bin" ] && kib "$newest/state.bin" || echo 0
}

# writer STORE END: overwrites the keys until the time END (seconds since
# the epoch), one redis-benchmark run after another.
writer() {
  local store=$1 end=$2
  while [ "$(date +%s)" -lt "$end" ]; do
    redis-benchmark -p "${port[$store]}" -c "$CLIENTS" -P "$PIPELINE" -n 50000 -r "$KEYS" \
      -d "$VALUE" -t set -q >/dev/null 2>&1 || true
  done
}

declare -A peak
# track: updates each data directory's peak disk use.
track() {
  local s dir
  for s in wal bolt; do
    dir=$(kib "$work/$s")
    peak[$s]=$(( dir > ${peak[$s]:-0} ? dir : ${peak[$s]:-0} ))
  done
}

# sample ELAPSED: prints one row (and updates the peaks).
sample() {
  local row="| $1"
  for s in wal bolt; do
    local dir log snap
    dir=$(kib "$work/$s"); log=$(kib "$(log_path "$s")"); snap=$(snapshot_kib "$s")
    peak[$s]=$(( dir > ${peak[$s]:-0} ? dir : ${peak[$s]:-0} ))
    row+=" | $(mib "$dir") | $(mib "$log") | $(mib "$snap")"
  done
  echo "$row |"
}

mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

start_node wal
start_node bolt
end=$(( $(date +%s) + DURATION ))
echo "docs/disk.sh: $(date -u '+%F %H:%M UTC'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg);" \
  "${DURATION}s of SET over $KEYS keys of $VALUE bytes, -c $CLIENTS -P $PIPELINE per node;" \
  "--raft-trailing-bytes $TRAILING_BYTES --raft-snapshot-threshold-bytes $THRESHOLD_BYTES $ARGS"
echo
echo "| s | wal dir MiB | wal/ MiB | wal snapshot MiB | bolt dir MiB | raft.db MiB | bolt snapshot MiB |"
echo "|---|---|---|---|---|---|---|"
writer wal "$end" & wpids=($!)
writer bolt "$end" & wpids+=($!)
start=$(date +%s)
next=$(( start + INTERVAL ))
while [ "$(date +%s)" -lt "$end" ]; do
  sleep 1
  track
  if [ "$(date +%s)" -ge "$next" ]; then
    sample "$(( $(date +%s) - start ))"
    next=$(( next + INTERVAL ))
  fi
done
wait "${wpids[@]}"
sample "end"
declare -A written final
for s in wal bolt; do
  written[$s]=$(redis-cli -p "${port[$s]}" info stats | tr -d '\r' | awk -F: '/^total_commands_processed:/ { print $2 }')
  final[$s]=$(kib "$work/$s")
  redis-cli -p "${port[$s]}" save >/dev/null
done
sample "after SAVE"
echo
echo "| store | commands | peak dir MiB | dir MiB at end | dir MiB after SAVE | snapshot MiB | bound 3 x (snapshot + trailing bytes) MiB | peak under bound |"
echo "|---|---|---|---|---|---|---|---|"
for s in wal bolt; do
  snap=$(snapshot_kib "$s")
  bound=$(( 3 * (snap + TRAILING_BYTES / 1024) ))
  echo "| $s | ${written[$s]} | $(mib "${peak[$s]}") | $(mib "${final[$s]}") | $(mib "$(kib "$work/$s")") | $(mib "$snap") | $(mib "$bound") | $([ "${peak[$s]}" -lt "$bound" ] && echo yes || echo no) |"
done
