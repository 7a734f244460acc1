#!/usr/bin/env bash
# Three nodes side by side: Redis 7.0 as a primary with two replicas
# (asynchronous replication, no WAIT; the primary fsyncs its AOF on every
# write, as in bench.sh) and a three-node geetcache cluster (a write is
# fsynced on a majority before it is acknowledged), all on this machine.
#
#   bash docs/bench_cluster.sh
#   N=100000 PIPELINES="1 16" bash docs/bench_cluster.sh
#   FOLLOWER_READS=forward bash docs/bench_cluster.sh   # --follower-reads
#
# Rows: SET and GET through the leader (Redis: the primary) and through a
# follower (Redis: a replica, which refuses writes; geetcache forwards them).
set -euo pipefail

N=${N:-300000}
CLIENTS=${CLIENTS:-50}
PIPELINES=${PIPELINES:-"1 16"}
FOLLOWER_READS=${FOLLOWER_READS:-readindex}

source "$(dirname "$0")/sidebyside.sh" redis-benchmark

here=$(cd "$(dirname "$0")/.." && pwd)
(cd "$here" && go build -o "$work/geetcache" ./cmd/geetcache)

# Redis: a primary and two replicas.
primary=$(free_port)
mkdir -p "$work/r0"
redis-server --port "$primary" --bind 127.0.0.1 --dir "$work/r0" --save '' \
  --appendonly yes --appendfsync always --logfile "$work/r0.log" &
pids+=($!)
wait_ping "$primary"
replicas=()
for i in 1 2; do
  p=$(free_port)
  mkdir -p "$work/r$i"
  redis-server --port "$p" --bind 127.0.0.1 --dir "$work/r$i" --save '' --appendonly no \
    --replicaof 127.0.0.1 "$primary" --logfile "$work/r$i.log" &
  pids+=($!)
  wait_ping "$p"
  replicas+=("$p")
done

# geetcache: three nodes.
ports=(); rafts=(); peers=""
for i in 1 2 3; do
  ports+=("$(free_port)"); rafts+=("$(free_port)")
  peers+="${peers:+,}n$i=127.0.0.1:${rafts[$((i-1))]}"
done
for i in 1 2 3; do
  mkdir -p "$work/g$i"
  "$work/geetcache" --port "${ports[$((i-1))]}" --bind 127.0.0.1 --dir "$work/g$i" \
    --node-id "n$i" --raft-addr "127.0.0.1:${rafts[$((i-1))]}" --peers "$peers" --bootstrap \
    --follower-reads "$FOLLOWER_READS" --loglevel warning 2>"$work/g$i.log" &
  pids+=($!)
done
leader=""; follower=""
for _ in $(seq 1 300); do
  for p in "${ports[@]}"; do
    case "$(redis-cli -p "$p" role 2>/dev/null | head -n 1)" in
      master) leader=$p ;;
      slave) follower=$p ;;
    esac
  done
  [ -n "$leader" ] && [ -n "$follower" ] && break
  sleep 0.1
done
[ -n "$leader" ] || { echo "bench_cluster: no geetcache leader" >&2; exit 1; }

rps() {
  local port=$1 pipe=$2
  shift 2
  { redis-benchmark -p "$port" -c "$CLIENTS" -n "$N" -P "$pipe" --csv "$@" 2>/dev/null || true; } |
    awk -F'"' 'NR > 1 && $2 != "" { print $4 }' | tail -n 1
}

row() {
  local label=$1 pipe=$2 rport=$3 gport=$4
  shift 4
  local r="n/a" g
  [ "$rport" = - ] || r=$(rps "$rport" "$pipe" "$@")
  g=$(rps "$gport" "$pipe" "$@")
  awk -v l="$label" -v p="$pipe" -v r="$r" -v g="$g" 'BEGIN {
    if (r == "n/a") { printf "| %s | %s | n/a | %.0f | n/a |\n", l, p, g; exit }
    printf "| %s | %s | %.0f | %.0f | %.2f |\n", l, p, r, g, (r > 0 ? g / r : 0) }'
}

echo "three nodes: geetcache vs Redis $(redis-server --version | awk '{print $3}' | cut -d= -f2) primary + 2 replicas: $(date -u +%F), $(nproc) cores, -c $CLIENTS -n $N"
echo
echo "| test | pipeline | Redis rps | geetcache rps | geetcache/Redis |"
echo "|---|---|---|---|---|"
for p in $PIPELINES; do
  row "SET via leader (Redis: primary)" "$p" "$primary" "$leader" -t set
  row "GET via leader (Redis: primary)" "$p" "$primary" "$leader" -t get
  row "SET via follower (Redis: replicas refuse writes)" "$p" - "$follower" -t set
  row "GET via follower (Redis: replica)" "$p" "${replicas[0]}" "$follower" -t get
done
