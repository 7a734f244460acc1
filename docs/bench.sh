#!/usr/bin/env bash
# Side-by-side throughput: Redis 7.0 (reference) and geetcache on this
# machine, in one run, with redis-benchmark as the client for both.
#
#   bash docs/bench.sh                    # the foundation suite: set,get at -P 1 and -P 16
#   SUITE=set bash docs/bench.sh          # durable SET alone at -P 1 and -P 16
#   GEETCACHE_RAFT_LOG=bolt bash docs/bench.sh   # geetcache with --raft-log bolt
#   SUITE=types bash docs/bench.sh        # lpush,lpop,sadd,hset,zadd,zpopmin,lrange_100
#   SUITE=hll bash docs/bench.sh          # PFADD/PFCOUNT/SETBIT/BITCOUNT
#   SUITE=scripts bash docs/bench.sh      # EVAL of one INCR, EVALSHA of a 10-command script
#   N=100000 CLIENTS=50 PIPELINES="1 16" bash docs/bench.sh
#
# Redis runs with appendonly yes and appendfsync always, so both servers
# acknowledge a write only after it is fsynced: geetcache fsyncs the Raft log
# once per batch of entries. Prints a Markdown table with the ratio
# geetcache/Redis for each figure, and each server's latency percentiles
# (p50, p99, p99.9 in milliseconds, from redis-benchmark; see measure in
# sidebyside.sh).
set -euo pipefail

N=${N:-300000}
CLIENTS=${CLIENTS:-50}
PIPELINES=${PIPELINES:-"1 16"}
SUITE=${SUITE:-foundation}

source "$(dirname "$0")/sidebyside.sh" redis-benchmark
start_pair --appendonly yes --appendfsync always

# row LABEL PIPELINE ARGS... : run against Redis then geetcache, print a row
# with both servers' rps, the ratio, and both servers' p50/p99/p99.9 in ms.
row() {
  local label=$1 pipe=$2
  shift 2
  local r g
  r=$(measure "$rport" "$pipe" "$@")
  g=$(measure "$gport" "$pipe" "$@")
  awk -v l="$label" -v p="$pipe" -v r="$r" -v g="$g" \
    'BEGIN { if (r == "" || g == "") { printf "| %s | %s | %s | %s | failed | | |\n", l, p, r, g; exit }
             split(r, a, " "); split(g, b, " ")
             printf "| %s | %s | %.0f | %.0f | %.2f | %s / %s / %s | %s / %s / %s |\n", l, p, a[1], b[1],
               (a[1] > 0 ? b[1] / a[1] : 0), a[2], a[3], a[4], b[2], b[3], b[4] }'
}

# TEN is the 10-command script of SUITE=scripts (five INCRs, four reads
# and a GET, on one key); cmd/geetcache/clients_scripts_test.go runs it too.
TEN="redis.call('incr',KEYS[1]) redis.call('incr',KEYS[1]) redis.call('incr',KEYS[1]) \
redis.call('incr',KEYS[1]) redis.call('incr',KEYS[1]) redis.call('get',KEYS[1]) redis.call('get',KEYS[1]) \
redis.call('get',KEYS[1]) redis.call('exists',KEYS[1]) return redis.call('get',KEYS[1])"

# load_ten: SCRIPT LOAD of TEN on both servers; prints its SHA (the same on both).
load_ten() {
  local r g
  r=$(redis-cli -p "$rport" script load "$TEN")
  g=$(redis-cli -p "$gport" script load "$TEN")
  [ "$r" = "$g" ] || { echo "bench: SCRIPT LOAD gave $r on Redis, $g on geetcache" >&2; exit 1; }
  echo "$r"
}

echo "geetcache (--raft-log ${GEETCACHE_RAFT_LOG:-default}) vs Redis $(redis-server --version | awk '{print $3}' | cut -d= -f2): $(date -u +%F), $(nproc) cores, -c $CLIENTS -n $N"
echo
echo "| test | pipeline | Redis rps | geetcache rps | geetcache/Redis | Redis p50 / p99 / p99.9 ms | geetcache p50 / p99 / p99.9 ms |"
echo "|---|---|---|---|---|---|---|"
for p in $PIPELINES; do
  case "$SUITE" in
    foundation)
      for t in set get; do row "$(echo $t | tr a-z A-Z)" "$p" -t "$t"; done ;;
    set)
      row "SET" "$p" -t set ;;
    types)
      for t in lpush lpop sadd hset zadd zpopmin lrange_100; do row "$t" "$p" -t "$t"; done ;;
    hll)
      row "PFADD" "$p" -r 1000000 PFADD hll __rand_int__
      row "PFCOUNT" "$p" PFCOUNT hll
      # redis-benchmark writes __rand_int__ zero-padded to 12 digits, which
      # both servers reject as a bit offset, so SETBIT uses a fixed offset.
      row "SETBIT" "$p" SETBIT bm 999999 1
      row "BITCOUNT" "$p" BITCOUNT bm ;;
    scripts)
      row "EVAL incr" "$p" EVAL "return redis.call('incr',KEYS[1])" 1 k
      row "EVALSHA 10 commands" "$p" EVALSHA "$(load_ten)" 1 t ;;
    *) echo "bench: unknown SUITE $SUITE" >&2; exit 2 ;;
  esac
done
