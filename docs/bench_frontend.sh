#!/usr/bin/env bash
# What a front end's model costs on this machine, apart from everything else
# geetcache does: cmd/frontprobe, a toy server of GET and durable SET (each
# SET's bytes appended to a file and fdatasynced before its reply), served
# by a goroutine per connection (geetcache's model), by one epoll loop
# (Redis's), and by the loop with the sync on a goroutine of its own (what
# an event loop in front of Raft's log would be); then geetcache itself, and
# Redis 7.0 with appendfsync always, one after another in each round. Prints
# rps and the ratio to Redis in the same round.
#
#   bash docs/bench_frontend.sh
#   ROUNDS=3 N=200000 PIPELINES="1 16" bash docs/bench_frontend.sh
#   SERVERS="redis goroutines goroutines-direct" TESTS=set bash docs/bench_frontend.sh
set -euo pipefail

N=${N:-200000}
CLIENTS=${CLIENTS:-50}
ROUNDS=${ROUNDS:-3}
PIPELINES=${PIPELINES:-"1 16"}

source "$(dirname "$0")/sidebyside.sh" redis-benchmark

here=$(cd "$(dirname "$0")/.." && pwd)
build_geetcache
(cd "$here" && go build -o "$work/frontprobe" ./cmd/frontprobe)

# start SERVER DIR PORT: starts one server, sets $pid.
start() {
  local server=$1 dir=$2 port=$3
  mkdir -p "$dir"
  case $server in
    redis) redis-server --port "$port" --bind 127.0.0.1 --dir "$dir" --save '' --appendonly yes \
             --appendfsync always --logfile "$dir/log" & ;;
    geetcache) "$work/geetcache" --port "$port" --bind 127.0.0.1 --dir "$dir" \
             --raft-addr "127.0.0.1:$(free_port)" --loglevel warning 2>"$dir/log" & ;;
    *) "$work/frontprobe" -model "$server" -port "$port" -log "$dir/log" & ;;
  esac
  pid=$!
  wait_ping "$port"
}

servers=${SERVERS:-"redis goroutines goroutines-direct loop loop-writer loop-thread geetcache"}
tests=${TESTS:-"set get"}
declare -A rate
printf '%-6s %-12s %-4s %10s %10s\n' round server test rps "/Redis"
for r in $(seq 1 "$ROUNDS"); do
  for s in $servers; do
    port=$(free_port)
    start "$s" "$work/$s-$r" "$port"
    for p in $PIPELINES; do
      for t in $tests; do
        rate[$s.$t.$p]=$(rps "$port" "$p" -t "$t")
      done
    done
    kill "$pid"; wait "$pid" 2>/dev/null || true
  done
  for p in $PIPELINES; do
    for t in $tests; do
      for s in $servers; do
        printf '%-6s %-12s %-4s %10s %10s\n' "$r" "$s" "$t-P$p" "${rate[$s.$t.$p]}" \
          "$(python3 -c "print('%.2f' % (${rate[$s.$t.$p]:-0} / ${rate[redis.$t.$p]}))")"
      done
    done
  done
done
