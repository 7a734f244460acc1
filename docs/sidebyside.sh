# Shared set-up for the side-by-side scripts (bench.sh, memory.sh): source
# it, then call start_pair with the redis-server options to use. Defines
# $work (removed on exit), $rport (Redis) and $gport (geetcache).

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

# start_pair REDIS-OPTION...: builds geetcache, starts it and redis-server
# on free loopback ports, and waits until both answer PING.
start_pair() {
  local here raftport
  here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  (cd "$here" && go build -o "$work/geetcache" ./cmd/geetcache)
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
