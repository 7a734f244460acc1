#!/usr/bin/env bash
# Memory used by the same data in Redis 7.0 and geetcache, side by side.
#
#   bash docs/memory.sh            # 1M small strings; 1M hashes of 10 fields;
#                                  # a 1M-member sorted set; COUNT/10 lists of 100
#   COUNT=100000 bash docs/memory.sh
#   KINDS="strings lists" bash docs/memory.sh
#
# Each data set is loaded with redis-cli --pipe into both servers. After each
# load both get MEMORY PURGE (geetcache: a full GC that returns freed memory
# to the OS), then the script reads used_memory and used_memory_rss from
# INFO memory and prints what the data set added over the empty server.
set -euo pipefail

COUNT=${COUNT:-1000000}
KINDS=${KINDS:-strings hashes zset lists}

source "$(dirname "$0")/sidebyside.sh"
start_pair --appendonly no

# gen KIND: RESP commands for one data set on stdout.
gen() {
  python3 - "$1" "$COUNT" <<'PY'
import sys
kind, n = sys.argv[1], int(sys.argv[2])
out = sys.stdout.buffer
def cmd(*args):
    b = [b"*%d\r\n" % len(args)]
    for a in args:
        a = a if isinstance(a, bytes) else str(a).encode()
        b.append(b"$%d\r\n%s\r\n" % (len(a), a))
    out.write(b"".join(b))
if kind == "strings":
    for i in range(n):
        cmd("SET", "key:%d" % i, "value-%d" % i)
elif kind == "lists":
    for i in range(n // 10):
        cmd("RPUSH", "list:%d" % i, *["item-%d-%d" % (i, j) for j in range(100)])
elif kind == "hashes":
    for i in range(n):
        args = ["HSET", "user:%d" % i]
        for f in range(10):
            args += ["field%d" % f, "value-%d-%d" % (i, f)]
        cmd(*args)
else:
    for i in range(0, n, 1000):
        args = ["ZADD", "leaderboard"]
        for j in range(i, min(i + 1000, n)):
            args += [(j * 7919) % 1000003, "player:%d" % j]
        cmd(*args)
PY
}

# mem PORT FIELD: one INFO memory field after MEMORY PURGE, the lowest of
# three readings a second apart (a Raft snapshot being written holds a
# frozen copy of what it saves until it is done).
mem() {
  local best="" v
  for _ in 1 2 3; do
    redis-cli -p "$1" memory purge >/dev/null
    v=$(redis-cli -p "$1" info memory | tr -d '\r' | awk -F: -v f="$2" '$1 == f { print $2 }')
    if [ -z "$best" ] || [ "$v" -lt "$best" ]; then best=$v; fi
    sleep 1
  done
  echo "$best"
}

echo "Memory: Redis $(redis-server --version | awk '{print $3}' | cut -d= -f2) vs geetcache, $(date -u +%F), COUNT=$COUNT"
echo
echo "| data set | Redis used_memory | geetcache used_memory | ratio | Redis RSS | geetcache RSS | ratio |"
echo "|---|---|---|---|---|---|---|"
for kind in $KINDS; do
  declare -A base=()
  for p in "$rport" "$gport"; do
    redis-cli -p "$p" flushall >/dev/null
    base[$p.used]=$(mem "$p" used_memory); base[$p.rss]=$(mem "$p" used_memory_rss)
  done
  gen "$kind" >"$work/$kind.resp"
  for p in "$rport" "$gport"; do
    redis-cli -p "$p" --pipe <"$work/$kind.resp" >/dev/null
  done
  ru=$(( $(mem "$rport" used_memory) - ${base[$rport.used]} ))
  gu=$(( $(mem "$gport" used_memory) - ${base[$gport.used]} ))
  rr=$(( $(mem "$rport" used_memory_rss) - ${base[$rport.rss]} ))
  gr=$(( $(mem "$gport" used_memory_rss) - ${base[$gport.rss]} ))
  case $kind in
  strings) label="$COUNT small strings" ;;
  hashes) label="$COUNT hashes x 10 fields" ;;
  zset) label="sorted set of $COUNT members" ;;
  lists) label="$((COUNT / 10)) lists of 100" ;;
  esac
  awk -v l="$label" -v ru="$ru" -v gu="$gu" -v rr="$rr" -v gr="$gr" 'BEGIN {
    printf "| %s | %.1f MB | %.1f MB | %.2f | %.1f MB | %.1f MB | %.2f |\n",
      l, ru/1e6, gu/1e6, (ru > 0 ? gu/ru : 0), rr/1e6, gr/1e6, (rr > 0 ? gr/rr : 0) }'
  rm -f "$work/$kind.resp"
done
