#!/usr/bin/env bash
# Writes during a snapshot, side by side: Redis 7.0 (appendfsync always,
# BGSAVE forks) and geetcache (SAVE/BGSAVE take a Raft snapshot), each
# holding KEYS keys. For each server: the write latency of SET with no
# snapshot running, then with snapshots running back to back for the whole
# measurement (BGSAVE, wait for it to end, again), and the ratio of p99.9
# during to p99.9 outside (issue 15 asks at most 2 for geetcache).
#
#   bash docs/bench_snapshot.sh
#   KEYS=1000000 N=200000 CLIENTS=50 bash docs/bench_snapshot.sh
set -euo pipefail

KEYS=${KEYS:-1000000}
N=${N:-200000}
CLIENTS=${CLIENTS:-50}

source "$(dirname "$0")/sidebyside.sh" redis-benchmark
start_pair --appendonly yes --appendfsync always
(cd "$(dirname "$0")/.." && go build -o "$work/geetbench" ./cmd/geetbench)

# load PORT: KEYS distinct keys key:0 .. key:KEYS-1.
load() {
  "$work/geetbench" -p "$1" -c 50 -n "$KEYS" -r "$KEYS" -P 64 >/dev/null
}

# saving PORT STOPFILE: BGSAVE back to back until STOPFILE exists; prints
# how many finished.
saving() {
  local port=$1 stop=$2 n=0
  while [ ! -e "$stop" ]; do
    redis-cli -p "$port" bgsave >/dev/null
    while redis-cli -p "$port" info persistence | grep -q '^rdb_bgsave_in_progress:1'; do sleep 0.05; done
    n=$((n + 1))
  done
  echo "$n"
}

# writes PORT: SET over the loaded keys, -P 1; prints rps p50 p99 p99.9.
writes() {
  "$work/geetbench" -p "$1" -c "$CLIENTS" -n "$N" -r "$KEYS" -P 1
}

# server NAME PORT: one table row per server.
server() {
  local name=$1 port=$2 quiet during saves stop=$work/stop.$2
  load "$port"
  redis-cli -p "$port" save >/dev/null # no snapshot is due during the quiet run
  quiet=$(writes "$port")
  saving "$port" "$stop" > "$work/saves.$port" &
  during=$(writes "$port")
  touch "$stop"
  wait $!
  saves=$(cat "$work/saves.$port")
  awk -v n="$name" -v q="$quiet" -v d="$during" -v s="$saves" -v k="$(redis-cli -p "$port" dbsize)" 'BEGIN {
    split(q, a, " "); split(d, b, " ")
    printf "| %s | %s | %.0f | %s / %s / %s | %.0f | %s / %s / %s | %s | %.2f |\n", n, k, a[1], a[2], a[3], a[4],
      b[1], b[2], b[3], b[4], s, (a[4] > 0 ? b[4] / a[4] : 0) }'
}

echo "writes during snapshots: $(date -u '+%F %H:%M') UTC, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); SET -c $CLIENTS -P 1 -n $N over $KEYS keys"
echo
echo "| server | keys | rps, no snapshot | p50 / p99 / p99.9 ms | rps, snapshots running | p50 / p99 / p99.9 ms | snapshots during | p99.9 during / outside |"
echo "|---|---|---|---|---|---|---|---|"
server "Redis 7.0.15 (BGSAVE)" "$rport"
server "geetcache (BGSAVE: Raft snapshot)" "$gport"
