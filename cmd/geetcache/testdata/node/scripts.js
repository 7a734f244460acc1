// ioredis defineCommand and node-redis defineScript against one server:
// both send EVALSHA and fall back to EVAL on NOSCRIPT.
//
// usage: node scripts.js HOST PORT PREFIX   (NODE_PATH names the folder
// holding ioredis and redis). Prints one line per step and
// "node_scripts: ok" at the end; a failed check exits non-zero.
'use strict';
const assert = require('node:assert/strict');
const Redis = require('ioredis');
const { createClient, defineScript } = require('redis');

const [host, portText, prefix] = process.argv.slice(2);
const port = Number(portText);
const step = (what) => console.log('node_scripts:', what);

// casLua sets KEYS[1] to ARGV[2] only when it holds ARGV[1].
const casLua = "if redis.call('get', KEYS[1]) == ARGV[1] then " +
  "redis.call('set', KEYS[1], ARGV[2]) return 1 end return 0";

async function ioredisCommands(sha1Suffix) {
  const r = new Redis({ host, port, maxRetriesPerRequest: 1, enableOfflineQueue: true });
  try {
    // a body no earlier run loaded: the first call meets NOSCRIPT
    r.defineCommand('casSet', { numberOfKeys: 1, lua: casLua + ' -- ' + sha1Suffix });
    r.defineCommand('incrAll', {
      lua: 'local t = {} for i, k in ipairs(KEYS) do t[i] = redis.call("incrby", k, ARGV[1]) end return t',
    });
    r.defineCommand('mixed', {
      numberOfKeys: 0,
      lua: "return {1, 'two', {3, 'four'}, false, redis.status_reply('FINE'), 3.99}",
    });
    r.defineCommand('failing', { numberOfKeys: 0, lua: "return redis.error_reply('MYERR boom')" });
    const k = prefix + ':io:cas';
    await r.set(k, 'a');
    assert.equal(await r.casSet(k, 'a', 'b'), 1);
    assert.equal(await r.casSet(k, 'a', 'c'), 0);
    assert.equal(await r.get(k), 'b');
    step('ioredis defineCommand numberOfKeys=1');
    const k1 = prefix + ':io:n1', k2 = prefix + ':io:n2';
    await r.del(k1, k2);
    assert.deepEqual(await r.incrAll(2, k1, k2, 5), [5, 5]);
    assert.deepEqual(await r.incrAll(1, k1, 2), [7]);
    step('ioredis defineCommand with the key count at call time');
    assert.deepEqual(await r.mixed(), [1, 'two', [3, 'four'], null, 'FINE', 3]);
    await assert.rejects(r.failing(), (e) => e.message === 'MYERR boom');
    step('ioredis replies and error replies');
    const res = await r.pipeline().casSet(k, 'b', 'd').casSet(k, 'b', 'e').get(k).exec();
    assert.deepEqual(res, [[null, 1], [null, 0], [null, 'd']]);
    const again = await r.multi().casSet(k, 'd', 'f').get(k).exec();
    assert.deepEqual(again, [[null, 1], [null, 'f']]);
    step('ioredis custom commands in a pipeline and in MULTI');
  } finally {
    r.disconnect();
  }
}

async function nodeRedisScripts(sha1Suffix) {
  const client = createClient({
    socket: { host, port, reconnectStrategy: false },
    scripts: {
      casSet: defineScript({
        NUMBER_OF_KEYS: 1,
        SCRIPT: casLua + ' -- node-redis ' + sha1Suffix,
        parseCommand(parser, key, expected, next) {
          parser.pushKey(key);
          parser.push(expected, next);
        },
        transformReply(reply) { return reply; },
      }),
    },
  });
  client.on('error', (e) => console.error('node-redis:', e.message));
  await client.connect();
  try {
    const k = prefix + ':nr:cas';
    await client.set(k, 'x');
    assert.equal(await client.casSet(k, 'x', 'y'), 1);
    assert.equal(await client.casSet(k, 'x', 'z'), 0);
    assert.equal(await client.get(k), 'y');
    await client.scriptFlush();
    assert.equal(await client.casSet(k, 'y', 'w'), 1);
    assert.equal(await client.get(k), 'w');
    step('node-redis defineScript');
  } finally {
    await client.quit();
  }
}

async function main() {
  const suffix = prefix + ' ' + process.pid + ' ' + Date.now();
  await ioredisCommands(suffix);
  await nodeRedisScripts(suffix);
  const io = require('ioredis/package.json').version;
  const nr = require('redis/package.json').version;
  console.log(`node_scripts: ok (ioredis ${io}, redis ${nr}, node ${process.version})`);
}

main().catch((e) => {
  console.error('FAIL:', e && e.stack ? e.stack : e);
  process.exit(1);
});
