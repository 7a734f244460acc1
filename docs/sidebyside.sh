# Shared set-up for the side-by-side scripts (bench.sh, memory.sh,
# bench_cluster.sh, bench_follower_reads.sh, bench_logstore.sh,
# bench_tls.sh, bench_frontend.sh, memory_clients.sh): source it, then call start_pair with
# the redis-server options to use, or build_geetcache and start_cluster. Defines $work
# (removed on exit), $rport (Redis) and $gport (geetcache), and rps for
# redis-benchmark (with $CLIENTS and $N).

for tool in redis-server redis-cli go python3 "$@"; do
  command -v "$tool" >/dev/null || { echo "$0: $tool is not installed" >&2; exit 1; }
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
  echo "$0: server on port $1 did not start" >&2
  exit 1
}

# build_geetcache: builds the binary into $work (with the build tags in
# GEETCACHE_TAGS, if set).
build_geetcache() {
  local here
  here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  (cd "$here" && go build ${GEETCACHE_TAGS:+-tags "$GEETCACHE_TAGS"} -o "$work/geetcache" ./cmd/geetcache)
}

# start_cluster DIR MODE: a three-node geetcache cluster (built by
# build_geetcache) with --follower-reads MODE, data under DIR; waits for a
# leader and a follower that answers, and sets cluster (the pids), leader,
# follower (client ports) and lpid, fpid (their pids).
start_cluster() {
  local dir=$1 mode=$2 i p
  local ports=() rafts=() peers=""
  cluster=()
  for i in 1 2 3; do
    ports+=("$(free_port)"); rafts+=("$(free_port)")
    peers+="${peers:+,}n$i=127.0.0.1:${rafts[$((i-1))]}"
  done
  for i in 1 2 3; do
    mkdir -p "$dir/g$i"
    "$work/geetcache" --port "${ports[$((i-1))]}" --bind 127.0.0.1 --dir "$dir/g$i" \
      --node-id "n$i" --raft-addr "127.0.0.1:${rafts[$((i-1))]}" --peers "$peers" --bootstrap \
      --follower-reads "$mode" --loglevel warning 2>"$dir/g$i.log" &
    cluster+=($!); pids+=($!)
  done
  leader=""; follower=""
  for _ in $(seq 1 300); do
    leader=""; follower=""
    for i in 0 1 2; do # a node still joining has no leader id yet
      case "$(redis-cli -p "${ports[$i]}" info raft 2>/dev/null | tr -d '\r' | grep -E '^raft_(state|leader_id):' | sort | tr '\n' ' ')" in
        "raft_leader_id:n"*" raft_state:Leader ") leader=${ports[$i]}; lpid=${cluster[$i]} ;;
        "raft_leader_id:n"*" raft_state:Follower ") follower=${ports[$i]}; fpid=${cluster[$i]} ;;
      esac
    done
    [ -n "$leader" ] && [ -n "$follower" ] && redis-cli -p "$follower" set ready 1 2>/dev/null | grep -q OK && break
    sleep 0.1
  done
  [ -n "$leader" ] || { echo "$0: no leader" >&2; exit 1; }
}

# start_pair REDIS-OPTION...: builds geetcache, starts it and redis-server
# on free loopback ports, and waits until both answer PING.
start_pair() {
  local raftport
  build_geetcache
  rport=$(free_port); gport=$(free_port); raftport=$(free_port)
  mkdir -p "$work/redis" "$work/geet"
  redis-server --port "$rport" --bind 127.0.0.1 --dir "$work/redis" --save '' \
    --logfile "$work/redis.log" "$@" &
  pids+=($!)
  "$work/geetcache" --port "$gport" --bind 127.0.0.1 --dir "$work/geet" \
    --raft-addr "127.0.0.1:$raftport" --loglevel warning 2>"$work/geet.log" &
  pids+=($!)
  wait_ping "$rport"
  wait_ping "$gport"
}

# measure PORT PIPELINE ARGS... : one redis-benchmark run; prints its
# requests per second, then p50, p99 and p99.9 latency in milliseconds.
# p50 and p99 are from its latency summary; p99.9 is the first line of its
# percentile distribution at or above 99.9% (its HDR histogram prints
# 99.902%), so it is at most one histogram step above the true p99.9.
measure() {
  local port=$1 pipe=$2
  shift 2
  { redis-benchmark -p "$port" -c "$CLIENTS" -n "$N" -P "$pipe" "$@" 2>/dev/null || true; } | tr '\r' '\n' | awk '
    /^Latency by percentile distribution/ { dist = 1; next }
    dist && /^[0-9.]+% <=/ && p999 == "" { sub(/%/, "", $1); if ($1 + 0 >= 99.9) p999 = $3 }
    /throughput summary:/ { rps = $3 }
    /avg +min +p50/ { getline; p50 = $3; p99 = $5 }
    END { if (rps != "") print rps, p50, p99, p999 }'
}

# cpu PID: user+system CPU seconds the process has used (/proc/PID/stat).
cpu() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.3f", ($14 + $15) / hz }' "/proc/$1/stat"; }

# rps PORT PIPELINE ARGS... : requests per second of one redis-benchmark run.
rps() {
  measure "$@" | awk '{ print $1 }'
}
