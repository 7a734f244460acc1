package main

import (
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// tracker is a raw RESP3 connection with CLIENT TRACKING on.
type tracker struct {
	t    *testing.T
	name string
	conn net.Conn
	side *diffSide
}

// track connects to n in RESP3 and turns tracking on with opts.
func track(t *testing.T, n *node, opts ...string) *tracker {
	t.Helper()
	c := n.Dial()
	tr := &tracker{t: t, name: n.addr(), conn: c, side: newDiffSide(n.addr(), c)}
	tr.do("HELLO", "3")
	if got := tr.do(append([]string{"CLIENT", "TRACKING", "ON"}, opts...)...); got != "+OK\r\n" {
		t.Fatalf("%s: CLIENT TRACKING ON %v: %q", tr.name, opts, got)
	}
	return tr
}

// do sends one command and returns its reply's bytes.
func (tr *tracker) do(args ...string) string {
	tr.t.Helper()
	tr.side.send([][]string{args})
	reps, err := tr.side.replies(1)
	if err != nil {
		tr.t.Fatalf("%s: %v: %v", tr.name, args, err)
	}
	return string(reps[0].raw)
}

// next returns the next frame (an invalidation push), or "" when none
// comes within wait.
func (tr *tracker) next(wait time.Duration) string {
	tr.conn.SetReadDeadline(time.Now().Add(wait))
	defer tr.conn.SetReadDeadline(time.Time{})
	rep, err := tr.side.r.read()
	if err != nil {
		return ""
	}
	return string(rep.raw)
}

func invalidation(keys ...string) string {
	s := ">2\r\n$10\r\ninvalidate\r\n*" + strconv.Itoa(len(keys)) + "\r\n"
	for _, k := range keys {
		s += "$" + strconv.Itoa(len(k)) + "\r\n" + k + "\r\n"
	}
	return s
}

// TestTrackingOnFollowers: connections tracking on the two followers of a
// three-node cluster are told of writes made through any node, each when
// its own node applies them: a key read on a follower (default mode,
// remembered there), a BCAST prefix, NOLOOP leaving out the connection's
// own write sent through its follower (forwarded to the leader), OPTIN, and
// FLUSHALL's null. Keys nobody read bring nothing.
func TestTrackingOnFollowers(t *testing.T) {
	nodes := startCluster(t)
	leader := waitForLeader(t, nodes, 15*time.Second)
	f := others(nodes, leader)
	w := leader.Client(noRetries)
	wf := f[1].Client(noRetries)

	plain := track(t, f[0])
	plain.do("GET", "k1")
	plain.do("MGET", "k2", "k3")
	mustDo(t, w.Set(ctx, "unread", "x", 0).Err())
	mustDo(t, w.Set(ctx, "k1", "1", 0).Err())
	if got := plain.next(5 * time.Second); got != invalidation("k1") {
		t.Fatalf("follower after a write through the leader: %q, want %q", got, invalidation("k1"))
	}
	mustDo(t, wf.Set(ctx, "k3", "3", 0).Err()) // through the other follower
	if got := plain.next(5 * time.Second); got != invalidation("k3") {
		t.Fatalf("follower after a write through the other follower: %q", got)
	}

	bcast := track(t, f[1], "BCAST", "PREFIX", "user:")
	mustDo(t, w.MSet(ctx, "user:1", "a", "user:2", "b", "other", "c").Err())
	if got := bcast.next(5 * time.Second); got != invalidation("user:1", "user:2") {
		t.Fatalf("BCAST on a follower: %q", got)
	}

	noloop := track(t, f[0], "NOLOOP")
	noloop.do("MGET", "mine", "theirs")
	noloop.do("SET", "mine", "1") // forwarded to the leader, applied here before the next write
	mustDo(t, w.Set(ctx, "theirs", "2", 0).Err())
	if got := noloop.next(5 * time.Second); got != invalidation("theirs") {
		t.Fatalf("NOLOOP: first frame %q, want only the other client's write", got)
	}

	optin := track(t, f[1], "OPTIN")
	optin.do("GET", "o1")
	optin.do("CLIENT", "CACHING", "YES")
	optin.do("GET", "o2")
	mustDo(t, w.MSet(ctx, "o1", "1", "o2", "2").Err())
	if got := optin.next(5 * time.Second); got != invalidation("o2") {
		t.Fatalf("OPTIN: %q, want o2 only", got)
	}

	script := track(t, f[0])
	script.do("EVAL", "return redis.call('get', KEYS[1])", "1", "s1")
	mustDo(t, w.Set(ctx, "s1", "1", 0).Err())
	if got := script.next(5 * time.Second); got != invalidation("s1") {
		t.Fatalf("a read-only script's declared key on a follower: %q", got)
	}

	plain.do("GET", "k2")
	mustDo(t, w.FlushAll(ctx).Err())
	for {
		got := plain.next(5 * time.Second)
		if got == ">2\r\n$10\r\ninvalidate\r\n_\r\n" {
			break
		}
		if got == "" || !strings.HasPrefix(got, ">2\r\n$10\r\ninvalidate") {
			t.Fatalf("FLUSHALL: %q, want a null invalidation", got)
		}
	}
}

// TestTrackingNodeRedis: node-redis's client-side cache (createClient with
// RESP 3 and clientSideCache, testdata/node/csc.js) on a follower, the
// writes through the leader: a cached GET is served from the cache until
// the write's invalidation reaches the follower, then read again.
func TestTrackingNodeRedis(t *testing.T) {
	modules := nodeModules(t)
	nodes := startCluster(t)
	leader := waitForLeader(t, nodes, 15*time.Second)
	follower := others(nodes, leader)[0]
	fh, fp := splitAddr(t, follower.addr())
	lh, lp := splitAddr(t, leader.addr())
	runClient(t, []string{"NODE_PATH=" + modules}, "node", filepath.Join("testdata", "node", "csc.js"), fh, fp, lh, lp)
}
