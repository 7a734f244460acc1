#!/usr/bin/env python3
"""redis-py's Lock (Lua scripts run through EVALSHA, falling back to SCRIPT
LOAD on NOSCRIPT) against one server, as an application would use it.

usage: redispy_lock.py HOST PORT PREFIX

Prints one line per step and "redispy_lock: ok" at the end; any failed
check exits non-zero with "FAIL: ..." on stderr.
"""
import sys
import time

import redis
from redis.exceptions import LockNotOwnedError


def check(cond, what):
    if not cond:
        sys.exit("FAIL: " + what)


def step(what):
    print("redispy_lock:", what, flush=True)


def pttl_between(r, name, low, high, what):
    ttl = r.pttl(name)
    check(low < ttl <= high, "%s: PTTL %d not in (%d, %d]" % (what, ttl, low, high))


def wait_gone(r, name, seconds):
    deadline = time.monotonic() + seconds
    while r.exists(name):
        check(time.monotonic() < deadline, "lock %s did not expire within %ss" % (name, seconds))
        time.sleep(0.02)


def held_lock(a, b, name):
    lock = a.lock(name, timeout=10)
    check(lock.acquire(blocking=False), "first acquire")
    check(lock.owned() and lock.locked(), "owned/locked after acquire")
    pttl_between(a, name, 0, 10000, "after acquire")
    step("acquired")
    other = b.lock(name, timeout=10)
    check(not other.acquire(blocking=False), "a second client acquired a held lock")
    started = time.monotonic()
    check(not other.acquire(blocking_timeout=0.3), "a second client acquired a held lock while waiting")
    # redis-py stops once its next try (every 0.1 s) would pass the timeout
    check(time.monotonic() - started >= 0.15, "blocking acquire gave up at once")
    check(not other.owned() and other.locked(), "second client: owned/locked")
    step("second client refused")
    check(lock.extend(20), "extend")
    pttl_between(a, name, 10000, 30000, "after extend(20)")
    check(lock.extend(5, replace_ttl=True), "extend with replace_ttl")
    pttl_between(a, name, 0, 5000, "after extend(5, replace_ttl)")
    check(lock.reacquire(), "reacquire")
    pttl_between(a, name, 5000, 10000, "after reacquire")
    step("extended and reacquired")
    for what, call in (("release", other.release), ("extend", lambda: other.extend(5)),
                       ("reacquire", other.reacquire)):
        other.local.token = b"not-the-token"  # as if it believed it held the lock
        try:
            call()
            check(False, "%s with another token succeeded" % what)
        except LockNotOwnedError:
            pass
    other.local.token = None
    check(a.exists(name) == 1, "lock gone after a foreign release")
    lock.release()
    check(b.exists(name) == 0, "lock still there after release")
    step("released")
    check(other.acquire(blocking=False), "second client after release")
    other.release()


def context_and_expiry(a, b, name):
    with a.lock(name, timeout=5, blocking_timeout=1):
        check(b.exists(name) == 1, "lock missing inside with")
    check(b.exists(name) == 0, "lock still there after with")
    step("context manager")
    short = a.lock(name, timeout=0.3)
    check(short.acquire(blocking=False), "acquire of a short lock")
    wait_gone(b, name, 10)
    try:
        short.extend(1)
        check(False, "extend of an expired lock succeeded")
    except LockNotOwnedError:
        pass
    other = b.lock(name, timeout=5)
    check(other.acquire(blocking=False), "acquire after expiry")
    try:
        short.release()
        check(False, "release of an expired, re-taken lock succeeded")
    except LockNotOwnedError:
        pass
    check(other.owned(), "new owner lost the lock to an old owner's release")
    other.release()
    step("expiry")


def main():
    host, port, prefix = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    a = redis.Redis(host=host, port=port, socket_timeout=10)
    b = redis.Redis(host=host, port=port, socket_timeout=10)
    name = prefix + ":lock"
    a.delete(name)
    held_lock(a, b, name)
    context_and_expiry(a, b, name)
    print("redispy_lock: ok (redis-py %s)" % redis.__version__)


if __name__ == "__main__":
    main()
