// node-redis's client-side cache (RESP 3, clientSideCache) on one server,
// writes through another (a follower and its leader): a cached GET is a
// hit until the server's invalidation arrives, then a miss that reads the
// new value.
//
// usage: node csc.js CACHE_HOST CACHE_PORT WRITE_HOST WRITE_PORT (NODE_PATH
// names the folder holding redis). Prints one line per step and
// "node_csc: ok" at the end; a failed check exits non-zero.
'use strict';
const assert = require('node:assert/strict');
const { createClient } = require('redis');

const [ch, cp, wh, wp] = process.argv.slice(2);
const step = (what) => console.log('node_csc:', what);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function main() {
  const cached = createClient({ socket: { host: ch, port: Number(cp) }, RESP: 3, clientSideCache: { ttl: 0, maxEntries: 0 } });
  const writer = createClient({ socket: { host: wh, port: Number(wp) } });
  cached.on('error', (e) => console.log('node_csc: cached client error', e.message));
  writer.on('error', (e) => console.log('node_csc: writer error', e.message));
  await cached.connect();
  await writer.connect();
  try {
    const key = 'csc:' + process.pid;
    await writer.set(key, 'v1');
    // The write reaches the cache's node at its own pace: read until it
    // shows (a cached null is invalidated when it does).
    let v;
    for (let i = 0; i < 200 && v !== 'v1'; i++) {
      v = await cached.get(key);
      if (v !== 'v1') await sleep(25);
    }
    assert.equal(v, 'v1');
    const cache = cached.clientSideCache;
    // Two hits in a row. A read the follower forwards to the leader is
    // tracked on the follower before it is sent, so the follower applying
    // the write afterwards may still invalidate it once: read again then.
    let hits = 0;
    for (let i = 0; i < 100 && hits < 2; i++) {
      const before = cache.stats().hitCount;
      assert.equal(await cached.get(key), 'v1');
      hits = cache.stats().hitCount > before ? hits + 1 : 0;
      if (hits === 0) await sleep(25);
    }
    assert.equal(hits, 2, 'two GETs of a cached key are hits');
    step(`cached: ${hits} hits, ${cache.size()} entries`);

    await writer.set(key, 'v2');
    const deadline = Date.now() + 10000;
    while (cache.size() > 0 && Date.now() < deadline) await sleep(10);
    assert.equal(cache.size(), 0, 'the invalidation emptied the cache');
    const missesBefore = cache.stats().missCount;
    assert.equal(await cached.get(key), 'v2');
    assert.equal(cache.stats().missCount - missesBefore, 1, 'the read after the invalidation is a miss');
    step('invalidated by a write through another node, read again: v2');

    assert.equal(cache.size(), 1, 'the read cached the key again');
    await writer.flushAll();
    const fdeadline = Date.now() + 10000;
    while (cache.size() > 0 && Date.now() < fdeadline) await sleep(10);
    assert.equal(cache.size(), 0, 'FLUSHALL emptied the cache');
    step('FLUSHALL through another node emptied the cache');
    console.log('node_csc: ok');
  } finally {
    await cached.quit();
    await writer.quit();
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
