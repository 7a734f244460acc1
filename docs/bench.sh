#!/usr/bin/env bash
# Side-by-side throughput: Redis 7.0 (reference) and geetcache on this
# machine, in one run, with redis-benchmark as the client for both.
#
#   bash docs/bench.sh                    # the foundation suite: set,get at -P 1 and -P 16
#   SUITE=types bash docs/bench.sh        # lpush,lpop,sadd,hset,zadd,zpopmin,lrange_100
#   SUITE=hll bash docs/bench.sh          # PFADD/PFCOUNT/SETBIT/BITCOUNT
#   N=100000 CLIENTS=50 PIPELINES="1 16" bash docs/bench.sh
#
# Redis runs with appendonly yes and appendfsync always, so both servers
# acknowledge a write only after it is fsynced: geetcache fsyncs the Raft log
# once per batch of entries. Prints a Markdown table with the ratio
# geetcache/Redis for each figure.
set -euo pipefail

N=${N:-300000}
CLIENTS=${CLIENTS:-50}
PIPELINES=${PIPELINES:-"1 16"}
SUITE=${SUITE:-foundation}

for tool in redis-server redis-benchmark redis-cli go; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is not installed" >&2; exit 1; }
done

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

wait_ping() {
  for _ in $(seq 1 300); do
    redis-cli -p "$1" ping >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "bench: server on port $1 did not start" >&2
  exit 1
}

here=$(cd "$(dirname "$0")/.." && pwd)
(cd "$here" && go build -o "$work/geetcache" ./cmd/geetcache)

rport=$(free_port); gport=$(free_port); raftport=$(free_port)
mkdir -p "$work/redis" "$work/geet"
redis-server --port "$rport" --bind 127.0.0.1 --dir "$work/redis" --save '' \
  --appendonly yes --appendfsync always --logfile "$work/redis.log" &
pids+=($!)
"$work/geetcache" --port "$gport" --bind 127.0.0.1 --dir "$work/geet" \
  --raft-addr "127.0.0.1:$raftport" --loglevel warning 2>"$work/geet.log" &
pids+=($!)
wait_ping "$rport"
wait_ping "$gport"

# rps PORT PIPELINE ARGS... : requests per second of one redis-benchmark run.
rps() {
  local port=$1 pipe=$2
  shift 2
  { redis-benchmark -p "$port" -c "$CLIENTS" -n "$N" -P "$pipe" --csv "$@" 2>/dev/null || true; } |
    awk -F'"' 'NR > 1 && $2 != "" { print $4 }' | tail -n 1
}

# row LABEL PIPELINE ARGS... : run against Redis then geetcache, print a row.
row() {
  local label=$1 pipe=$2
  shift 2
  local r g
  r=$(rps "$rport" "$pipe" "$@")
  g=$(rps "$gport" "$pipe" "$@")
  awk -v l="$label" -v p="$pipe" -v r="$r" -v g="$g" \
    'BEGIN { if (r == "" || g == "") { printf "| %s | %s | %s | %s | failed |\n", l, p, r, g; exit }
             printf "| %s | %s | %.0f | %.0f | %.2f |\n", l, p, r, g, (r > 0 ? g / r : 0) }'
}

echo "geetcache vs Redis $(redis-server --version | awk '{print $3}' | cut -d= -f2): $(date -u +%F), $(nproc) cores, -c $CLIENTS -n $N"
echo
echo "| test | pipeline | Redis rps | geetcache rps | geetcache/Redis |"
echo "|---|---|---|---|---|"
for p in $PIPELINES; do
  case "$SUITE" in
    foundation)
      for t in set get; do row "$(echo $t | tr a-z A-Z)" "$p" -t "$t"; done ;;
    types)
      for t in lpush lpop sadd hset zadd zpopmin lrange_100; do row "$t" "$p" -t "$t"; done ;;
    hll)
      row "PFADD" "$p" -r 1000000 PFADD hll __rand_int__
      row "PFCOUNT" "$p" PFCOUNT hll
      # redis-benchmark writes __rand_int__ zero-padded to 12 digits, which
      # both servers reject as a bit offset, so SETBIT uses a fixed offset.
      row "SETBIT" "$p" SETBIT bm 999999 1
      row "BITCOUNT" "$p" BITCOUNT bm ;;
    *) echo "bench: unknown SUITE $SUITE" >&2; exit 2 ;;
  esac
done
