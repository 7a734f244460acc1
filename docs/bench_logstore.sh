#!/usr/bin/env bash
# Durable SET with each Raft log store beside Redis 7.0 (appendfsync always),
# interleaved: Redis, geetcache --raft-log wal and geetcache --raft-log bolt
# run side by side, and each round measures the three one after the other
# for each pipeline depth, so that a shared machine's load, which moves
# within minutes, weighs on all three of a round alike.
#
#   bash docs/bench_logstore.sh
#   ROUNDS=5 N=100000 CLIENTS=50 PIPELINES="1 16" bash docs/bench_logstore.sh
#
# Prints one Markdown row per round and pipeline: the three rps, the two
# ratios to Redis and wal/bolt, and the load average when the round began.
set -euo pipefail

N=${N:-100000}
CLIENTS=${CLIENTS:-50}
PIPELINES=${PIPELINES:-"1 16"}
ROUNDS=${ROUNDS:-3}

source "$(dirname "$0")/sidebyside.sh" redis-benchmark
GEETCACHE_RAFT_LOG=wal start_pair --appendonly yes --appendfsync always
bport=$(free_port)
mkdir -p "$work/bolt"
"$work/geetcache" --port "$bport" --bind 127.0.0.1 --dir "$work/bolt" --raft-log bolt \
  --raft-addr "127.0.0.1:$(free_port)" --loglevel warning 2>"$work/bolt.log" &
pids+=($!)
wait_ping "$bport"

echo "durable SET, Redis $(redis-server --version | awk '{print $3}' | cut -d= -f2) appendfsync always vs geetcache wal and bolt: $(date -u '+%F %H:%M UTC'), $(nproc) cores, -c $CLIENTS -n $N"
echo
echo "| round | pipeline | load | Redis rps | wal rps | bolt rps | wal/Redis | bolt/Redis | wal/bolt |"
echo "|---|---|---|---|---|---|---|---|---|"
for round in $(seq 1 "$ROUNDS"); do
  for p in $PIPELINES; do
    load=$(cut -d' ' -f1 /proc/loadavg)
    r=$(rps "$rport" "$p" -t set); w=$(rps "$gport" "$p" -t set); b=$(rps "$bport" "$p" -t set)
    awk -v n="$round" -v p="$p" -v l="$load" -v r="$r" -v w="$w" -v b="$b" 'BEGIN {
      if (r == "" || w == "" || b == "") { printf "| %s | %s | %s | %s | %s | %s | failed | | |\n", n, p, l, r, w, b; exit }
      printf "| %s | %s | %s | %.0f | %.0f | %.0f | %.2f | %.2f | %.2f |\n", n, p, l, r, w, b, w / r, b / r, w / b }'
  done
done
