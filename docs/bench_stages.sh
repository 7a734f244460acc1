#!/usr/bin/env bash
# Where a write's time goes, stage by stage (geetcache only): builds the
# node with -tags pathtimes (cluster/pathtimes.go), runs redis-benchmark
# through one node and through the leader of three, and prints for each run
# the mean time (µs) writes spent in each stage, from the report the node
# printed during the run (it reports every 3 s; a run's last report, which
# may hold its tail only, is used when it is the only one).
#
#   bash docs/bench_stages.sh
#   N=300000 PIPELINES="1 16" TESTS="set hset" bash docs/bench_stages.sh
set -euo pipefail

N=${N:-200000}
CLIENTS=${CLIENTS:-50}
PIPELINES=${PIPELINES:-"1 16"}
TESTS=${TESTS:-set}
GEETCACHE_TAGS=pathtimes

source "$(dirname "$0")/sidebyside.sh" redis-benchmark

# stages PORT PIPELINE TEST LOG...: one run through PORT; prints its rps
# and the stage report the nodes' logs got during it.
stages() {
  local port=$1 pipe=$2 test=$3 r before
  shift 3
  before=$(cat "$@" | grep -ac '^pathtimes:' || true)
  r=$(rps "$port" "$pipe" -t "$test")
  sleep 3.5 # the report of the period the run ended in
  cat "$@" | grep -a '^pathtimes:' | tail -n +"$((before + 1))" |
    awk -v r="$r" '{ line[NR] = $0 } END { n = (NR > 1) ? NR - 1 : NR; print r, line[n] }'
}

runs=()
labels=()
start_pair --save '' # the Redis it starts stays idle
for test in $TESTS; do
  for p in $PIPELINES; do
    labels+=("$test -P $p, one node")
    runs+=("$(stages "$gport" "$p" "$test" "$work/geet.log")")
  done
done
for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done # not beside the three
wait 2>/dev/null || true
pids=()
start_cluster "$work/three" readindex
for test in $TESTS; do
  for p in $PIPELINES; do
    labels+=("$test -P $p, three nodes")
    runs+=("$(stages "$leader" "$p" "$test" "$work"/three/g*.log)")
  done
done

echo "geetcache stage means (µs; units per entry a count): $(date +%F), $(nproc) cores, -c $CLIENTS -n $N"
echo
printf '%s\n' "${runs[@]}" | awk -v labels="$(printf '%s\t' "${labels[@]}")" '
  BEGIN { split(labels, label, "\t") }
  {
    col = NR; rps[col] = $1
    for (i = 3; i <= NF; i++) {
      split($i, kv, "="); v = kv[2]; sub(/us$/, "", v)
      if (!(kv[1] in seen)) { seen[kv[1]] = 1; order[++ns] = kv[1] }
      val[kv[1], col] = v
    }
  }
  END {
    printf "| stage |"; for (c = 1; c <= NR; c++) printf " %s |", label[c]; print ""
    printf "|---|"; for (c = 1; c <= NR; c++) printf "---|"; print ""
    printf "| rps |"; for (c = 1; c <= NR; c++) printf " %.0f |", rps[c]; print ""
    for (s = 1; s <= ns; s++) {
      printf "| %s |", order[s]
      for (c = 1; c <= NR; c++) printf " %s |", ((order[s], c) in val) ? val[order[s], c] : ""
      print ""
    }
  }'
