#!/usr/bin/env python3
"""redis-py's PubSub against geetcache, as an application would use it: a
subscriber on one server, a publisher on another (or the same).

usage: redispy_pubsub.py SUBHOST SUBPORT PUBHOST PUBPORT PREFIX

Prints one line per step and "redispy_pubsub: ok" at the end; any failed
check exits non-zero with "FAIL: ..." on stderr.
"""
import sys
import time

import redis


def check(cond, what):
    if not cond:
        sys.exit("FAIL: " + what)


def step(what):
    print("redispy_pubsub:", what, flush=True)


def next_message(p, what, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        m = p.get_message(timeout=0.5)
        if m is not None:
            return m
    sys.exit("FAIL: no message for " + what)


def main():
    shost, sport, phost, pport, prefix = sys.argv[1:6]
    sub = redis.Redis(host=shost, port=int(sport))
    pub = redis.Redis(host=phost, port=int(pport))
    ch, pat = prefix + ":news", prefix + ":n*"

    p = sub.pubsub()
    p.subscribe(ch)
    p.psubscribe(pat)
    m = next_message(p, "subscribe")
    check(m["type"] == "subscribe" and m["channel"] == ch.encode() and m["data"] == 1, "subscribe: %r" % m)
    m = next_message(p, "psubscribe")
    check(m["type"] == "psubscribe" and m["data"] == 2, "psubscribe: %r" % m)
    step("subscribed to a channel and a pattern")

    for i in range(20):
        pub.publish(ch, "m%d" % i)
    got = []
    while len(got) < 40:
        m = next_message(p, "message %d" % len(got))
        got.append((m["type"], m["pattern"], m["data"]))
    want = []
    for i in range(20):
        want.append(("message", None, b"m%d" % i))
        want.append(("pmessage", pat.encode(), b"m%d" % i))
    check(got == want, "messages out of order or missing: %r" % got[:6])
    step("20 messages, each as message then pmessage, in order")

    check(pub.pubsub_numsub(ch)[0][1] >= 0, "PUBSUB NUMSUB")
    p.ping()
    m = next_message(p, "pong")
    check(m["type"] == "pong", "PING in subscribed mode: %r" % m)
    step("PING while subscribed")

    p.unsubscribe(ch)
    m = next_message(p, "unsubscribe")
    check(m["type"] == "unsubscribe" and m["data"] == 1, "unsubscribe: %r" % m)
    pub.publish(ch, "after")
    m = next_message(p, "pmessage after unsubscribe")
    check(m["type"] == "pmessage" and m["data"] == b"after", "after unsubscribe: %r" % m)
    p.punsubscribe(pat)
    m = next_message(p, "punsubscribe")
    check(m["type"] == "punsubscribe" and m["data"] == 0, "punsubscribe: %r" % m)
    step("unsubscribed")

    received = []
    thread = sub.pubsub()
    thread.subscribe(**{ch: lambda m: received.append(m["data"])})
    worker = thread.run_in_thread(sleep_time=0.05, daemon=True)
    deadline = time.monotonic() + 10
    while sub.pubsub_numsub(ch)[0][1] < 1 and time.monotonic() < deadline:
        time.sleep(0.02)
    for i in range(5):
        pub.publish(ch, "t%d" % i)
    while len(received) < 5 and time.monotonic() < deadline:
        time.sleep(0.02)
    worker.stop()
    worker.join(timeout=10)
    check(received == [b"t%d" % i for i in range(5)], "run_in_thread handler got %r" % received)
    step("run_in_thread with a handler")
    p.close()
    thread.close()
    print("redispy_pubsub: ok")


main()
