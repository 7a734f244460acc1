// Node.js clients find the leader on their own: ioredis with sentinels: and
// Redis.Cluster, node-redis createSentinel and createCluster (the last with
// the application's help after a leader dies, see its case below).
//
// usage: node discovery.js MODE PREFIX HOST:PORT...   (NODE_PATH names the
// folder holding ioredis and redis; MODE is ioredis-sentinel,
// ioredis-cluster, node-redis-sentinel, node-redis-cluster or
// node-redis-cluster-bare, which only reports, see reportStuck). Runs OPS
// pairs (SET then GET), prints "kill-leader" and waits for a line on stdin
// saying the leader is dead, retries a pair until it succeeds (the time that
// took is the recovery), runs OPS more pairs that must all succeed, reads
// every acknowledged write back, and prints
// "result before=N after=N failed=N recovered_ms=N". When the line on stdin
// is "alive" (the leader was left running), the second phase just runs.
'use strict';
const readline = require('node:readline');
const Redis = require('ioredis');
const keySlot = require('cluster-key-slot');
const { createCluster, createSentinel } = require('redis');

const OPS = 200;
const [mode, prefix, ...addrTexts] = process.argv.slice(2);
const addrs = addrTexts.map((a) => {
  const i = a.lastIndexOf(':');
  return { host: a.slice(0, i), port: Number(a.slice(i + 1)) };
});
const quiet = () => {};

async function open() {
  switch (mode) {
    case 'ioredis-sentinel': {
      // failoverDetector stays off (the default): with it, ioredis 5.9.2
      // closed the client for good on +switch-master while it was
      // reconnecting ("skip reconnecting since the connection is manually
      // closed").
      const r = new Redis({ sentinels: addrs, name: 'geetcache', connectTimeout: 500,
        sentinelRetryStrategy: () => 100, retryStrategy: () => 50 });
      r.on('error', quiet);
      return { set: (k, v) => r.set(k, v), get: (k) => r.get(k), close: () => r.disconnect() };
    }
    case 'ioredis-cluster': {
      // ioredis drops a dead master from its slot map and sends the slot's
      // commands to any node until its next refresh (slotsRefreshInterval,
      // 5 s by default); it connects to replicas with READONLY, whose reads
      // are a follower's local, possibly stale reads.
      const r = new Redis.Cluster(addrs, { redisOptions: { connectTimeout: 500 }, clusterRetryStrategy: () => 50,
        retryDelayOnFailover: 50, retryDelayOnClusterDown: 50, slotsRefreshInterval: 1000 });
      r.on('error', quiet);
      const slot = keySlot(prefix);
      return { set: (k, v) => r.set(k, v), get: (k) => r.get(k), close: () => r.disconnect(),
        master: () => (r.slots[slot] || [])[0] };
    }
    case 'node-redis-sentinel': {
      // node-redis waits for its master client to connect before it asks
      // the sentinels again: a master client that retried forever would
      // wait forever for a dead leader a follower still named (it does,
      // for up to 250 ms after the kill), so it gives up after 5 tries.
      const r = createSentinel({ name: 'geetcache', sentinelRootNodes: addrs,
        nodeClientOptions: { disableOfflineQueue: true,
          socket: { connectTimeout: 500, reconnectStrategy: (n) => (n > 5 ? false : 50) } },
        sentinelClientOptions: { socket: { connectTimeout: 500, reconnectStrategy: () => 50 } } });
      r.on('error', quiet);
      await r.connect();
      return { set: (k, v) => r.set(k, v), get: (k) => r.get(k), close: () => r.destroy() };
    }
    case 'node-redis-cluster-bare': {
      // node-redis as it is, without the application's recovery below:
      // main() reports whether it is served again within STUCK_MS.
      const r = createCluster({ rootNodes: addrs.map((a) => ({ url: `redis://${a.host}:${a.port}` })),
        defaults: { disableOfflineQueue: true, socket: { connectTimeout: 500 } } });
      r.on('error', quiet);
      await r.connect();
      return { set: (k, v) => r.set(k, v), get: (k) => r.get(k), close: () => r.destroy(), bare: true };
    }
    case 'node-redis-cluster': {
      // node-redis 5.x re-reads the topology only on a MOVED or ASK reply
      // (cluster/index.js _execute; redis/node-redis#2806) and holds
      // connections to masters only: once the leader is dead it sends
      // nothing to a live node, so no reply can tell it of the new leader,
      // and every command fails ("The client is offline", then "The client
      // is closed") for as long as the dead address does not answer
      // (docs/compatibility.md, "node-redis createCluster after a
      // failover"). The application recovers as below, with node-redis's
      // public API: on 'node-error' from its slot map's master, it connects
      // a new cluster client from the root nodes until that one names
      // another master, then uses it.
      const options = { rootNodes: addrs.map((a) => ({ url: `redis://${a.host}:${a.port}` })),
        defaults: { disableOfflineQueue: true, socket: { connectTimeout: 500, reconnectStrategy: (n) => (n > 5 ? false : 50) } } };
      const slot = keySlot(prefix);
      const masterOf = (c) => c.slots[slot]?.master?.address;
      let r;
      let recovering;
      const recover = (dead) => {
        recovering ??= (async () => {
          for (;;) {
            const fresh = createCluster(options);
            fresh.on('error', quiet);
            try {
              await fresh.connect();
              if (masterOf(fresh) !== dead) {
                const old = r;
                use(fresh);
                old.destroy();
                return;
              }
            } catch (e) { /* no root node answered yet */ }
            fresh.destroy();
            await new Promise((res) => setTimeout(res, 100));
          }
        })().finally(() => { recovering = undefined; });
      };
      const use = (c) => {
        r = c;
        c.on('node-error', (err, node) => {
          const addr = `${node.host}:${node.port}`;
          if (c === r && addr === masterOf(c)) recover(addr);
        });
      };
      const first = createCluster(options);
      first.on('error', quiet);
      await first.connect();
      use(first);
      return { set: (k, v) => r.set(k, v), get: (k) => r.get(k), close: () => r.destroy(), master: () => masterOf(r) };
    }
  }
  throw new Error('unknown mode ' + mode);
}

async function main() {
  const c = await open();
  const acked = new Map();
  const pair = async (i) => {
    const k = prefix + i, v = 'v' + i;
    await c.set(k, v);
    const got = await c.get(k);
    if (got !== v) throw new Error(`GET ${k} = ${got}, want ${v}`);
    acked.set(k, v);
  };
  let i = 0;
  for (; i < OPS; i++) await pair(i);
  const lines = readline.createInterface({ input: process.stdin });
  const killedLine = new Promise((resolve) => lines.once('line', resolve));
  console.log('kill-leader');
  const killedOrAlive = await killedLine;
  const killed = Date.now();
  if (c.bare) return reportStuck(c, pair, i, killed, lines);
  const before = killedOrAlive === 'alive' ? undefined : c.master && c.master();
  let failed = 0;
  for (;;) {
    try {
      await pair(i++);
      // a cluster client is served again once its slot map names a new master
      if (c.master && (c.master() === before || c.master() === undefined)) throw new Error('slot map still names ' + before);
      break;
    } catch (e) {
      failed++;
      if (Date.now() - killed > 12000) throw e;
      if (failed <= 3) console.log(`retry after ${e.message}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }
  const recovered = Date.now() - killed;
  for (const end = i + OPS - 1; i < end; i++) await pair(i);
  for (const [k, v] of acked) {
    const got = await c.get(k);
    if (got !== v) throw new Error(`acknowledged ${k}=${v} reads back ${got}`);
  }
  if (c.master) console.log(`master=${c.master()}`);
  console.log(`result before=${OPS} after=${OPS} failed=${failed} recovered_ms=${recovered}`);
  lines.close();
  await c.close();
}

// STUCK_MS is how long a bare client gets to be served again (the
// failover budget of the Go tests).
const STUCK_MS = 3000;

// reportStuck tries pairs for STUCK_MS after the kill and prints
// "result recovered_ms=N" at the first success, or "result stuck failed=N
// last=<error>" if none succeeded.
async function reportStuck(c, pair, i, killed, lines) {
  let failed = 0, last = '';
  while (Date.now() - killed < STUCK_MS) {
    try {
      await pair(i++);
      console.log(`result recovered_ms=${Date.now() - killed} failed=${failed}`);
      break;
    } catch (e) {
      failed++;
      last = e.message;
      await new Promise((r) => setTimeout(r, 10));
    }
  }
  if (Date.now() - killed >= STUCK_MS) console.log(`result stuck failed=${failed} last=${last}`);
  lines.close();
  c.close();
}

main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
