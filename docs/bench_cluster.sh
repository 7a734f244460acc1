#!/usr/bin/env bash
# Three nodes side by side: Redis 7.0 as a primary with two replicas
# (asynchronous replication, no WAIT; the primary fsyncs its AOF on every
# write, as in bench.sh) and a three-node geetcache cluster (a write is
# fsynced on a majority before it is acknowledged), all on this machine.
#
#   bash docs/bench_cluster.sh
#   N=100000 PIPELINES="1 16" bash docs/bench_cluster.sh
#   FOLLOWER_READS=forward bash docs/bench_cluster.sh   # --follower-reads
#
# Rows: SET and GET through the leader (Redis: the primary) and through a
# follower (Redis: a replica, which refuses writes; geetcache forwards them).
set -euo pipefail

N=${N:-300000}
CLIENTS=${CLIENTS:-50}
PIPELINES=${PIPELINES:-"1 16"}
FOLLOWER_READS=${FOLLOWER_READS:-readindex}

source "$(dirname "$0")/sidebyside.sh" redis-benchmark

build_geetcache

# Redis: a primary and two replicas.
primary=$(free_port)
mkdir -p "$work/r0"
redis-server --port "$primary" --bind 127.0.0.1 --dir "$work/r0" --save '' \
  --appendonly yes --appendfsync always --logfile "$work/r0.log" &
pids+=($!)
wait_ping "$primary"
replicas=()
for i in 1 2; do
  p=$(free_port)
  mkdir -p "$work/r$i"
  redis-server --port "$p" --bind 127.0.0.1 --dir "$work/r$i" --save '' --appendonly no \
    --replicaof 127.0.0.1 "$primary" --logfile "$work/r$i.log" &
  pids+=($!)
  wait_ping "$p"
  replicas+=("$p")
done

# geetcache: three nodes.
start_cluster "$work" "$FOLLOWER_READS"

row() {
  local label=$1 pipe=$2 rport=$3 gport=$4
  shift 4
  local r="n/a" g
  [ "$rport" = - ] || r=$(rps "$rport" "$pipe" "$@")
  g=$(rps "$gport" "$pipe" "$@")
  awk -v l="$label" -v p="$pipe" -v r="$r" -v g="$g" 'BEGIN {
    if (r == "n/a") { printf "| %s | %s | n/a | %.0f | n/a |\n", l, p, g; exit }
    printf "| %s | %s | %.0f | %.0f | %.2f |\n", l, p, r, g, (r > 0 ? g / r : 0) }'
}

echo "three nodes: geetcache vs Redis $(redis-server --version | awk '{print $3}' | cut -d= -f2) primary + 2 replicas: $(date -u +%F), $(nproc) cores, -c $CLIENTS -n $N"
echo
echo "| test | pipeline | Redis rps | geetcache rps | geetcache/Redis |"
echo "|---|---|---|---|---|"
for p in $PIPELINES; do
  row "SET via leader (Redis: primary)" "$p" "$primary" "$leader" -t set
  row "GET via leader (Redis: primary)" "$p" "$primary" "$leader" -t get
  row "SET via follower (Redis: replicas refuse writes)" "$p" - "$follower" -t set
  row "GET via follower (Redis: replica)" "$p" "${replicas[0]}" "$follower" -t get
done
