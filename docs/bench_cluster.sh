#!/usr/bin/env bash
# Three nodes side by side: Redis 7.0 as a primary with two replicas
# (asynchronous replication; the primary fsyncs its AOF on every write, as
# in bench.sh), a single Redis with appendfsync always, and a three-node
# geetcache cluster (a write is fsynced on a majority before it is
# acknowledged), all on this machine.
#
#   bash docs/bench_cluster.sh
#   N=100000 PIPELINES="1 16" bash docs/bench_cluster.sh
#   FOLLOWER_READS=forward bash docs/bench_cluster.sh   # --follower-reads
#
# Rows: SET and GET through the leader (Redis: the primary) and through a
# follower (Redis: a replica, which refuses writes; geetcache forwards them);
# SET through the leader beside the single Redis; and SET followed by
# WAIT 1 0 in each request (cmd/geetbench, as redis-benchmark cannot send
# two commands per request), the fair comparison for a write acknowledged
# once another node has it: Redis's WAIT returns once a replica has
# received it, geetcache's at once, as its SET was acknowledged only after
# a majority fsynced it. Each row gives both sides' p50 / p99 / p99.9 in ms.
set -euo pipefail

N=${N:-300000}
CLIENTS=${CLIENTS:-50}
PIPELINES=${PIPELINES:-"1 16"}
FOLLOWER_READS=${FOLLOWER_READS:-readindex}

source "$(dirname "$0")/sidebyside.sh" redis-benchmark

build_geetcache
(cd "$(dirname "$0")/.." && go build -o "$work/geetbench" ./cmd/geetbench)

# start_redis NAME OPTION...: a redis-server with data in $work/NAME; sets
# started to its port once it answers PING.
start_redis() {
  local name=$1
  shift
  started=$(free_port)
  mkdir -p "$work/$name"
  redis-server --port "$started" --bind 127.0.0.1 --dir "$work/$name" --save '' \
    --logfile "$work/$name.log" "$@" &
  pids+=($!)
  wait_ping "$started"
}

# A single Redis, for the write path's own comparison.
start_redis solo --appendonly yes --appendfsync always
solo=$started

# Redis: a primary and two replicas.
start_redis r0 --appendonly yes --appendfsync always
primary=$started
replicas=()
for i in 1 2; do
  start_redis "r$i" --appendonly no --replicaof 127.0.0.1 "$primary"
  replicas+=("$started")
done

# geetcache: three nodes.
start_cluster "$work" "$FOLLOWER_READS"

# wmeasure PORT PIPELINE: SET then WAIT 1 0 per request (cmd/geetbench);
# prints rps, p50, p99, p99.9 as measure does.
wmeasure() {
  "$work/geetbench" -p "$1" -c "$CLIENTS" -n "$N" -P "$2" -wait 1 || true
}

# line LABEL PIPELINE R G: a table row from two measurements ("n/a" for none).
line() {
  awk -v l="$1" -v p="$2" -v r="$3" -v g="$4" 'BEGIN {
    split(r, a, " "); split(g, b, " ")
    if (g == "") { printf "| %s | %s | %s | failed | | | |\n", l, p, a[1]; exit }
    if (r == "n/a" || r == "") { printf "| %s | %s | n/a | %.0f | n/a | | %s / %s / %s |\n", l, p, b[1], b[2], b[3], b[4]; exit }
    printf "| %s | %s | %.0f | %.0f | %.2f | %s / %s / %s | %s / %s / %s |\n", l, p, a[1], b[1],
      (a[1] > 0 ? b[1] / a[1] : 0), a[2], a[3], a[4], b[2], b[3], b[4] }'
}

# row LABEL PIPELINE RPORT GPORT ARGS...: redis-benchmark on both ("-": no Redis).
row() {
  local label=$1 pipe=$2 rport=$3 gport=$4
  shift 4
  local r="n/a" g
  [ "$rport" = - ] || r=$(measure "$rport" "$pipe" "$@")
  g=$(measure "$gport" "$pipe" "$@")
  line "$label" "$pipe" "$r" "$g"
}

echo "three nodes: geetcache vs Redis $(redis-server --version | awk '{print $3}' | cut -d= -f2) primary + 2 replicas: $(date -u +%F), $(nproc) cores, -c $CLIENTS -n $N"
echo
echo "| test | pipeline | Redis rps | geetcache rps | geetcache/Redis | Redis p50 / p99 / p99.9 ms | geetcache p50 / p99 / p99.9 ms |"
echo "|---|---|---|---|---|---|---|"
for p in $PIPELINES; do
  row "SET via leader (Redis: primary)" "$p" "$primary" "$leader" -t set
  row "SET via leader (Redis: single, appendfsync always)" "$p" "$solo" "$leader" -t set
  line "SET + WAIT 1 0 via leader (Redis: primary)" "$p" "$(wmeasure "$primary" "$p")" "$(wmeasure "$leader" "$p")"
  row "GET via leader (Redis: primary)" "$p" "$primary" "$leader" -t get
  row "SET via follower (Redis: replicas refuse writes)" "$p" - "$follower" -t set
  row "GET via follower (Redis: replica)" "$p" "${replicas[0]}" "$follower" -t get
done
