#!/usr/bin/env bash
# Memory an idle client costs in Redis 7.0 and geetcache, side by side:
# CLIENTS connections to each server, one PING on each, then nothing. For
# each server, per client: the allocator's live bytes (INFO memory
# allocator_allocated; geetcache's is the Go heap) and the process's RSS,
# 1 s after the PINGs and again after 5 s, each read after MEMORY PURGE.
# Both servers give an idle client's read buffer back after 2 s
# (server/readbuf.go; Redis's clientsCronResizeQueryBuffer).
#
#   bash docs/memory_clients.sh
#   CLIENTS=2000 bash docs/memory_clients.sh
set -euo pipefail

CLIENTS=${CLIENTS:-5000}

# Both servers and the clients need a descriptor per client: raise the
# limit before the servers start (they inherit it).
[ "$(ulimit -n)" -gt $((CLIENTS + 100)) ] || ulimit -n $((CLIENTS + 100)) 2>/dev/null || {
  echo "$0: $CLIENTS clients need more open files than ulimit -n ($(ulimit -n)) allows" >&2; exit 1; }

source "$(dirname "$0")/sidebyside.sh"
start_pair --appendonly no
# start_pair keeps the pids in its order: Redis's, then geetcache's.
rpid=${pids[0]} gpid=${pids[1]}

# idle PORT PID: prints the four per-client figures (KiB) for one server.
idle() {
  python3 - "$1" "$2" "$CLIENTS" <<'PY'
import socket, subprocess, sys, time
port, pid, n = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
def rss():
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
def heap():
    subprocess.run(["redis-cli", "-p", str(port), "memory", "purge"], capture_output=True, check=True)
    out = subprocess.run(["redis-cli", "-p", str(port), "info", "memory"], capture_output=True, text=True, check=True).stdout
    return int(next(l.split(":")[1] for l in out.splitlines() if l.startswith("allocator_allocated:")))
h0, r0 = heap(), rss()
conns = [socket.create_connection(("127.0.0.1", port)) for _ in range(n)]
for s in conns:
    s.sendall(b"PING\r\n")
for s in conns:
    s.recv(64)
time.sleep(1)
h1, r1 = heap(), rss()
time.sleep(4)
h2, r2 = heap(), rss()
print(" ".join("%.1f" % ((v - b) / n / 1024) for v, b in ((h1, h0), (r1, r0), (h2, h0), (r2, r0))))
PY
}

echo "Idle clients: Redis $(redis-server --version | awk '{print $3}' | cut -d= -f2) vs geetcache, $(date -u +%F), $CLIENTS clients, KiB per client"
echo
echo "| server | allocated after 1 s | RSS after 1 s | allocated after 5 s | RSS after 5 s |"
echo "|---|---|---|---|---|"
read -r a b c d < <(idle "$rport" "$rpid")
echo "| Redis | $a | $b | $c | $d |"
read -r a b c d < <(idle "$gport" "$gpid")
echo "| geetcache | $a | $b | $c | $d |"
