#!/usr/bin/env bash
# Linearizable reads through a follower: --follower-reads forward (the
# leader runs the read) against readindex (the follower asks the leader for
# its read index and runs the read itself). Each round starts a fresh
# three-node cluster per mode, modes interleaved, so that other load on the
# machine affects both alike.
#
#   bash docs/bench_follower_reads.sh
#   ROUNDS=3 N=100000 PIPELINES="1 16" bash docs/bench_follower_reads.sh
#
# Rows: GET of one 3-byte value and LRANGE of a 100-element list, through a
# follower, with the CPU seconds the leader and that follower used; then
# GET again while one client, then 10 clients, SET through the leader
# without pause (about 1k and 10k writes a second here).
set -euo pipefail

N=${N:-200000}
LRANGE_N=${LRANGE_N:-100000}
CLIENTS=${CLIENTS:-50}
PIPELINES=${PIPELINES:-"1 16"}
ROUNDS=${ROUNDS:-2}
MODES=${MODES:-"forward readindex"}

source "$(dirname "$0")/sidebyside.sh" redis-benchmark

build_geetcache

# start_round DIR MODE: a fresh cluster with the rows' data.
start_round() {
  start_cluster "$1" "$2"
  redis-cli -p "$leader" set key:__rand_int__ xxx >/dev/null
  redis-cli -p "$leader" del mylist >/dev/null
  redis-cli -p "$leader" rpush mylist $(printf 'xxx %.0s' $(seq 1 100)) >/dev/null
}

stop_cluster() {
  kill "${cluster[@]}" 2>/dev/null || true
  wait "${cluster[@]}" 2>/dev/null || true
}

# row ROUND MODE LABEL PIPE REQUESTS ARGS...: one redis-benchmark run
# through the follower, with rps and the CPU the leader and follower used.
row() {
  local round=$1 mode=$2 label=$3 pipe=$4 n=$5
  shift 5
  local l0 f0 rps
  l0=$(cpu "$lpid"); f0=$(cpu "$fpid")
  rps=$({ redis-benchmark -p "$follower" -c "$CLIENTS" -n "$n" -P "$pipe" --csv "$@" 2>/dev/null || true; } |
    awk -F'"' 'NR > 1 && $2 != "" { print $4 }' | tail -n 1)
  awk -v r="$round" -v m="$mode" -v l="$label" -v p="$pipe" -v rps="$rps" \
    -v lc="$(cpu "$lpid")" -v l0="$l0" -v fc="$(cpu "$fpid")" -v f0="$f0" 'BEGIN {
    printf "| %s | %s | %s | %s | %.0f | %.1f | %.1f |\n", r, m, l, p, rps, lc - l0, fc - f0 }'
}

echo "follower reads: $(date -u +%F), $(nproc) cores, -c $CLIENTS, GET -n $N, LRANGE -n $LRANGE_N, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| round | mode | test | pipeline | rps | leader CPU s | follower CPU s |"
echo "|---|---|---|---|---|---|---|"
for round in $(seq 1 "$ROUNDS"); do
  for mode in $MODES; do
    start_round "$work/r$round-$mode" "$mode"
    for p in $PIPELINES; do
      row "$round" "$mode" GET "$p" "$N" -t get
      row "$round" "$mode" "LRANGE 0 99" "$p" "$LRANGE_N" lrange mylist 0 99
    done
    for writers in 1 10; do
      redis-benchmark -p "$leader" -c "$writers" -n 1000000000 -t set -q >/dev/null 2>&1 &
      load=$!
      sleep 1
      for p in $PIPELINES; do
        row "$round" "$mode" "GET, $writers SET clients" "$p" "$LRANGE_N" -t get
      done
      kill "$load"; wait "$load" 2>/dev/null || true
    done
    stop_cluster
  done
done
