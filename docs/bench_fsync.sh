#!/usr/bin/env bash
# Durable SET at one command per client in flight: how many commands each
# fsync carries, and the server's CPU per SET, for Redis 7.0
# (appendonly yes, appendfsync always) and geetcache, one after another in
# each round, with redis-benchmark -c $CLIENTS -n $N -P 1 -t set.
# Commands per fsync: geetcache's from INFO raft's commit index (one entry,
# one fsync); Redis's from perf's count of its fdatasync calls ("n/a"
# without perf). CPU per SET: utime + stime from /proc/PID/stat. Context
# switches per SET: voluntary and not, summed over the process's threads
# (/proc/PID/task/*/status). System calls per SET: perf's count of the
# calls a request makes in either server (reads, writes, syncs, polls,
# futexes, sleeps; "n/a" without perf).
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

# switches PID: context switches of all of PID's threads so far.
switches() { cat /proc/"$1"/task/*/status 2>/dev/null | awk '/ctxt_switches/ { s += $2 } END { print s + 0 }'; }

# The system calls counted: what a request costs either server.
calls="read recvmsg write fdatasync pwrite64 epoll_wait epoll_pwait futex nanosleep clock_nanosleep"

# run PORT PID: one benchmark; prints rps, CPU µs per SET, context switches
# per SET and system calls per SET ("n/a" without perf), and leaves the
# fdatasync count of PID in $work/syncs when perf is there.
run() {
  local port=$1 pid=$2 before after sw0 sw1 rate c events=""
  before=$(cpu "$pid")
  sw0=$(switches "$pid")
  if command -v perf >/dev/null; then
    for c in $calls; do events+=" -e syscalls:sys_enter_$c"; done
    # shellcheck disable=SC2086 # one word per event
    perf stat -x, $events -p "$pid" -o "$work/perf" 2>/dev/null &
    local perfpid=$!
    sleep 0.2
  fi
  rate=$(rps "$port" 1 -t set)
  after=$(cpu "$pid")
  sw1=$(switches "$pid")
  local all=n/a
  if [ -n "${perfpid:-}" ]; then
    kill -INT "$perfpid"; wait "$perfpid" 2>/dev/null || true
    awk -F, '/sys_enter_fdatasync/ { print $1 }' "$work/perf" > "$work/syncs"
    all=$(awk -F, -v n="$N" '/sys_enter_/ && $1 ~ /^[0-9]+$/ { s += $1 } END { printf "%.2f", s / n }' "$work/perf")
  fi
  awk -v r="$rate" -v a="$after" -v b="$before" -v n="$N" -v s=$((sw1 - sw0)) -v all="$all" \
    'BEGIN { printf "%.0f %.1f %.2f %s\n", r, (a - b) * 1e6 / n, s / n, all }'
}

echo "durable SET, -c $CLIENTS -n $N -P 1, $(date -u +%F), $(nproc) cores"
echo
echo "| round | Redis rps | Redis CPU/SET (µs) | Redis cmds/fsync | Redis ctx sw/SET | Redis calls/SET | geetcache rps | geetcache CPU/SET (µs) | geetcache cmds/fsync | geetcache ctx sw/SET | geetcache calls/SET | ratio |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
for round in $(seq "$ROUNDS"); do
  rm -f "$work/syncs"
  read -r rr rc rw rk < <(run "$rport" "$rpid")
  rs=n/a
  [ -s "$work/syncs" ] && rs=$(awk -v n="$N" '{ if ($1 > 0) printf "%.1f", n / $1; else print "n/a" }' "$work/syncs")
  e0=$(commit_index)
  read -r gr gc gw gk < <(run "$gport" "$gpid")
  gs=$(awk -v n="$N" -v e=$(($(commit_index) - e0)) 'BEGIN { printf "%.1f", n / e }')
  awk -v a="$round" -v rr="$rr" -v rc="$rc" -v rs="$rs" -v rw="$rw" -v rk="$rk" \
    -v gr="$gr" -v gc="$gc" -v gs="$gs" -v gw="$gw" -v gk="$gk" \
    'BEGIN { printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %.2f |\n", a, rr, rc, rs, rw, rk, gr, gc, gs, gw, gk, gr / rr }'
done
