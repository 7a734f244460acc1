#!/usr/bin/env bash
# Durable SET at one command per client in flight: how many commands each
# fsync carries, and the server's CPU per SET, for Redis 7.0
# (appendonly yes, appendfsync always) and geetcache, one after another in
# each round, with redis-benchmark -c $CLIENTS -n $N -P 1 -t set.
# Commands per fsync: geetcache's from INFO raft's commit index (one entry,
# one fsync); Redis's from perf's count of its fdatasync calls ("n/a"
# without perf). CPU per SET: utime + stime from /proc/PID/stat.
#
#   bash docs/bench_fsync.sh
#   ROUNDS=5 N=200000 bash docs/bench_fsync.sh
set -euo pipefail

N=${N:-100000}
CLIENTS=${CLIENTS:-50}
ROUNDS=${ROUNDS:-3}

source "$(dirname "$0")/sidebyside.sh" redis-benchmark
start_pair --appendonly yes --appendfsync always
rpid=${pids[0]} gpid=${pids[1]}

commit_index() { redis-cli -p "$gport" info raft | tr -d '\r' | awk -F: '$1 == "raft_commit_index" { print $2 }'; }

# run PORT PID: one benchmark; prints rps and CPU µs per SET, and leaves
# the fdatasync count of PID in $work/syncs when perf is there.
run() {
  local port=$1 pid=$2 before after rate
  before=$(cpu "$pid")
  if command -v perf >/dev/null; then
    perf stat -x, -e syscalls:sys_enter_fdatasync -p "$pid" -o "$work/perf" 2>/dev/null &
    local perfpid=$!
    sleep 0.2
  fi
  rate=$(rps "$port" 1 -t set)
  after=$(cpu "$pid")
  if [ -n "${perfpid:-}" ]; then
    kill -INT "$perfpid"; wait "$perfpid" 2>/dev/null || true
    awk -F, '/fdatasync/ { print $1 }' "$work/perf" > "$work/syncs"
  fi
  awk -v r="$rate" -v a="$after" -v b="$before" -v n="$N" 'BEGIN { printf "%.0f %.1f\n", r, (a - b) * 1e6 / n }'
}

echo "durable SET, -c $CLIENTS -n $N -P 1, $(date -u +%F), $(nproc) cores"
echo
echo "| round | Redis rps | Redis CPU/SET (µs) | Redis cmds/fsync | geetcache rps | geetcache CPU/SET (µs) | geetcache cmds/fsync | ratio |"
echo "|---|---|---|---|---|---|---|---|"
for round in $(seq "$ROUNDS"); do
  rm -f "$work/syncs"
  read -r rr rc < <(run "$rport" "$rpid")
  rs=n/a
  [ -s "$work/syncs" ] && rs=$(awk -v n="$N" '{ if ($1 > 0) printf "%.1f", n / $1; else print "n/a" }' "$work/syncs")
  e0=$(commit_index)
  read -r gr gc < <(run "$gport" "$gpid")
  gs=$(awk -v n="$N" -v e=$(($(commit_index) - e0)) 'BEGIN { printf "%.1f", n / e }')
  awk -v a="$round" -v rr="$rr" -v rc="$rc" -v rs="$rs" -v gr="$gr" -v gc="$gc" -v gs="$gs" \
    'BEGIN { printf "| %s | %s | %s | %s | %s | %s | %s | %.2f |\n", a, rr, rc, rs, gr, gc, gs, gr / rr }'
done
