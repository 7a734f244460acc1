// ioredis and node-redis over TLS with a client certificate: SET then GET
// on a node's TLS port, then a client without a certificate is refused.
//
// usage: node tls.js HOST PORT CA CERT KEY (NODE_PATH names the folder
// holding ioredis and redis). Prints "node_tls: ok" at the end; a failed
// check exits non-zero.
'use strict';
process.exitCode = 1; // until every step is done: a promise left pending must not pass
const assert = require('node:assert/strict');
const fs = require('node:fs');
const Redis = require('ioredis');
const { createClient } = require('redis');

const [host, port, caFile, certFile, keyFile] = process.argv.slice(2);
const ca = fs.readFileSync(caFile);
const cert = fs.readFileSync(certFile);
const key = fs.readFileSync(keyFile);
const step = (what) => console.log('node_tls:', what);

async function ioredis() {
  const c = new Redis({ host, port: Number(port), tls: { ca, cert, key, servername: 'localhost' }, maxRetriesPerRequest: 0 });
  try {
    assert.equal(await c.set('tls:io', 'v1'), 'OK');
    assert.equal(await c.get('tls:io'), 'v1');
    step('ioredis SET/GET');
  } finally {
    c.disconnect();
  }
}

async function nodeRedis() {
  const c = createClient({ socket: { host, port: Number(port), tls: true, ca, cert, key, servername: 'localhost' } });
  c.on('error', () => {});
  await c.connect();
  try {
    assert.equal(await c.set('tls:nr', 'v2'), 'OK');
    assert.equal(await c.get('tls:nr'), 'v2');
    step('node-redis SET/GET');
  } finally {
    await c.quit();
  }
}

// refused: ioredis without a client certificate gets no reply (the
// handshake fails, or the first command finds the connection closed).
async function refused() {
  const c = new Redis({ host, port: Number(port), tls: { ca, servername: 'localhost' }, lazyConnect: true,
    maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  c.on('error', () => {});
  let timer;
  const timeout = new Promise((resolve) => { timer = setTimeout(() => resolve('timeout'), 10000); });
  const attempt = (async () => {
    try {
      await c.connect();
      return await c.ping();
    } catch (e) {
      return 'refused: ' + e.message;
    }
  })();
  const got = await Promise.race([attempt, timeout]);
  clearTimeout(timer);
  c.disconnect();
  step('ioredis without a certificate: ' + got);
  assert.ok(String(got).startsWith('refused'), 'a client without a certificate got ' + got);
}

(async () => {
  await ioredis();
  await nodeRedis();
  await refused();
  console.log('node_tls: ok');
  process.exitCode = 0;
})().catch((e) => {
  console.error('node_tls: failed:', e);
  process.exit(1);
});
