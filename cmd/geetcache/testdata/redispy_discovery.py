"""redis-py finds the leader on its own: Sentinel (master_for) or RedisCluster.

usage: redispy_discovery.py sentinel|cluster PREFIX HOST:PORT...
Runs OPS pairs (SET then GET), prints "kill-leader" and waits for a line on
stdin saying the leader is dead, retries a pair until it succeeds (the time
that took is the recovery), runs OPS more pairs that must all succeed, reads
every acknowledged write back, prints "master=HOST:PORT" (where the client
now sends writes) and "result before=N after=N failed=N recovered_ms=N".
"""
import sys
import time

from redis.cluster import ClusterNode, RedisCluster
from redis.sentinel import Sentinel

OPS = 200
mode, prefix = sys.argv[1], sys.argv[2]
addrs = [(a.rsplit(":", 1)[0], int(a.rsplit(":", 1)[1])) for a in sys.argv[3:]]
timeouts = dict(socket_timeout=3, socket_connect_timeout=0.5)
if mode == "sentinel":
    sentinel = Sentinel(addrs, sentinel_kwargs=timeouts, **timeouts)
    client = sentinel.master_for("geetcache", **timeouts)
else:
    # redis-py 4.3.4 (Debian's) cannot rebuild its slot map while its first
    # startup node is down ("cannot pickle '_thread.lock' object", fixed in
    # 4.4.0 by redis/redis-py#2377); by default it replaces its startup
    # nodes with CLUSTER SLOTS's, master first: keep the caller's order,
    # in which the node the test kills comes last.
    client = RedisCluster(startup_nodes=[ClusterNode(h, p) for h, p in addrs], dynamic_startup_nodes=False,
                          **timeouts)

acked = {}


def pair(i):
    k, v = "%s%d" % (prefix, i), "v%d" % i
    client.set(k, v)
    got = client.get(k)
    if got != v.encode():
        raise AssertionError("GET %s = %r, want %r" % (k, got, v))
    acked[k] = v


for i in range(OPS):
    pair(i)
print("kill-leader", flush=True)
sys.stdin.readline()
killed, failed, i = time.monotonic(), 0, OPS
while True:
    try:
        pair(i)
        i += 1
        break
    except Exception as e:  # the election: connection errors, MasterNotFoundError...
        failed += 1
        if time.monotonic() - killed > 12:
            raise
        if failed <= 3:
            print("retry after %s: %s" % (type(e).__name__, e), flush=True)
        time.sleep(0.01)
recovered = time.monotonic() - killed
for j in range(i, i + OPS - 1):
    pair(j)
for k, v in acked.items():
    got = client.get(k)
    if got != v.encode():
        raise AssertionError("acknowledged %s=%s reads back %r" % (k, v, got))
if mode == "sentinel":
    host, port = client.connection_pool.master_address
else:
    node = client.nodes_manager.get_node_from_slot(client.keyslot(prefix + "0"))
    host, port = node.host, node.port
print("master=%s:%s" % (host, port))
print("result before=%d after=%d failed=%d recovered_ms=%d" % (OPS, OPS, failed, recovered * 1000), flush=True)
