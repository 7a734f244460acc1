package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// replStream is a connection attached with SYNC, as Redis's test suite's
// attach_to_replication_stream attaches: it sends SYNC, reads the
// $<len> RDB payload, then reads the command stream.
type replStream struct {
	t  testing.TB
	c  net.Conn
	rd *bufio.Reader
}

// attachSync sends SYNC on a new connection to n and consumes the payload,
// which it returns.
func attachSync(t testing.TB, n *node) (*replStream, []byte) {
	t.Helper()
	c := n.Dial()
	if _, err := c.Write([]byte("SYNC\r\n")); err != nil {
		t.Fatal(err)
	}
	r := &replStream{t: t, c: c, rd: bufio.NewReader(c)}
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	line := r.line()
	for line == "" { // newlines are keepalives
		line = r.line()
	}
	if !strings.HasPrefix(line, "$") {
		t.Fatalf("SYNC answered %q, want $<len>", line)
	}
	size, err := strconv.Atoi(line[1:])
	if err != nil {
		t.Fatalf("bad payload length %q", line)
	}
	payload := make([]byte, size)
	if _, err := io.ReadFull(r.rd, payload); err != nil {
		t.Fatalf("reading the payload: %v", err)
	}
	return r, payload
}

func (r *replStream) line() string {
	r.t.Helper()
	l, err := r.rd.ReadString('\n')
	if err != nil {
		r.t.Fatalf("reading the stream: %v", err)
	}
	return strings.TrimRight(l, "\r\n")
}

// next reads one command of the stream, its name in lower case, the
// arguments joined by spaces (as the suite's patterns read them).
func (r *replStream) next() string {
	r.t.Helper()
	r.c.SetReadDeadline(time.Now().Add(5 * time.Second))
	head := r.line()
	n, err := strconv.Atoi(strings.TrimPrefix(head, "*"))
	if !strings.HasPrefix(head, "*") || err != nil {
		r.t.Fatalf("stream: got %q, want a multibulk", head)
	}
	args := make([]string, n)
	for i := range args {
		size, err := strconv.Atoi(strings.TrimPrefix(r.line(), "$"))
		if err != nil {
			r.t.Fatalf("stream: bad bulk length: %v", err)
		}
		b := make([]byte, size+2)
		if _, err := io.ReadFull(r.rd, b); err != nil {
			r.t.Fatal(err)
		}
		args[i] = string(b[:size])
	}
	if len(args) > 0 {
		args[0] = strings.ToLower(args[0])
	}
	return strings.Join(args, " ")
}

// expect reads len(patterns) commands, each matching its pattern (globMatch).
func (r *replStream) expect(patterns ...string) {
	r.t.Helper()
	for _, p := range patterns {
		got := r.next()
		if !globMatch(p, got) {
			r.t.Fatalf("stream: got %q, want %q", got, p)
		}
	}
}

// TestReplicationStreamForms attaches with SYNC and checks that each
// command reaches the stream in Redis 7.0's propagated form: relative
// TTLs as PXAT/PEXPIREAT, GETEX/GETDEL/INCRBYFLOAT/HINCRBYFLOAT/SPOP as
// their effects, blocking and multi-key pops as the plain pops, MULTI and
// scripts wrapped in MULTI/EXEC, SELECT on a change of database, nothing
// for a write that changed nothing, a PFCOUNT only when it stored a count.
func TestReplicationStreamForms(t *testing.T) {
	n := startNode(t)
	cl := n.Client()
	must := func(args ...any) any {
		t.Helper()
		v, err := cl.Do(ctx, args...).Result()
		if err != nil && err != redis.Nil {
			t.Fatalf("%v: %v", args, err)
		}
		return v
	}
	must("set", "before", "1")
	r, payload := attachSync(t, n)
	if !strings.HasPrefix(string(payload), "REDIS0010") || !strings.Contains(string(payload), "before") {
		t.Fatalf("payload %q is not an RDB file holding the key", payload)
	}
	dump := must("dump", "before").(string)
	cases := []struct {
		cmd  []any
		want []string
	}{
		{[]any{"set", "k", "v"}, []string{"select 0", "set k v"}},
		{[]any{"set", "k", "v", "nx"}, nil}, // changed nothing
		{[]any{"set", "k", "v", "ex", "100"}, []string{"set k v PXAT *"}},
		{[]any{"set", "k", "v", "px", "100000", "get"}, []string{"set k v PXAT *"}},
		{[]any{"set", "k", "w", "get"}, []string{"set k w"}},
		{[]any{"setex", "k", "100", "v"}, []string{"set k v PXAT *"}},
		{[]any{"psetex", "k", "100000", "v"}, []string{"set k v PXAT *"}},
		{[]any{"expire", "k", "100"}, []string{"pexpireat k *"}},
		{[]any{"pexpireat", "k", "9999999999999"}, []string{"pexpireat k 9999999999999"}},
		{[]any{"getex", "k", "persist"}, []string{"persist k"}},
		{[]any{"getex", "k", "ex", "100"}, []string{"pexpireat k *"}},
		{[]any{"getex", "k"}, nil},
		{[]any{"expireat", "k", "1"}, []string{"del k"}},
		{[]any{"set", "k", "v"}, []string{"set k v"}},
		{[]any{"getdel", "k"}, []string{"del k"}},
		{[]any{"getset", "k", "v"}, []string{"set k v"}},
		{[]any{"incrbyfloat", "f", "1.5"}, []string{"set f 1.5 KEEPTTL"}},
		{[]any{"hincrbyfloat", "h", "x", "2.5"}, []string{"hset h x 2.5"}},
		{[]any{"rpush", "l", "a", "b", "c"}, []string{"rpush l a b c"}},
		{[]any{"lmpop", "2", "nol", "l", "left", "count", "2"}, []string{"lpop l 2"}},
		{[]any{"lmpop", "1", "nol", "left"}, nil},
		{[]any{"blpop", "l", "0"}, []string{"lpop l"}},
		{[]any{"rpush", "l", "a", "b"}, []string{"rpush l a b"}},
		{[]any{"blmpop", "0", "1", "l", "right", "count", "10"}, []string{"rpop l 2"}},
		{[]any{"rpush", "l", "a"}, []string{"rpush l a"}},
		{[]any{"brpoplpush", "l", "l2", "0"}, []string{"rpoplpush l l2"}},
		{[]any{"blmove", "l2", "l", "left", "right", "0"}, []string{"lmove l2 l left right"}},
		{[]any{"sadd", "s", "m"}, []string{"sadd s m"}},
		{[]any{"spop", "s"}, []string{"srem s m"}},
		{[]any{"sadd", "s", "m", "n"}, []string{"sadd s m n"}},
		{[]any{"spop", "s", "5"}, []string{"del s"}},
		{[]any{"zadd", "z", "1", "a", "2", "b", "3", "c"}, []string{"zadd z 1 a 2 b 3 c"}},
		{[]any{"bzpopmin", "z", "0"}, []string{"zpopmin z"}},
		{[]any{"bzpopmax", "z", "0"}, []string{"zpopmax z"}},
		{[]any{"zmpop", "1", "z", "max", "count", "5"}, []string{"zpopmax z 1"}},
		{[]any{"restore", "r", "100000", dump}, []string{"restore r * * ABSTTL"}},
		{[]any{"pfadd", "hll", "a", "b"}, []string{"pfadd hll a b"}},
		{[]any{"pfcount", "hll"}, []string{"pfcount hll"}}, // it stored the count: a change
		{[]any{"pfcount", "hll"}, nil},
		{[]any{"pfcount", "hll", "nokey"}, nil},
		{[]any{"eval", "redis.call('set', KEYS[1], 'x') redis.call('expire', KEYS[1], 100)", "1", "e"},
			[]string{"multi", "set e x", "pexpireat e *", "exec"}},
		{[]any{"eval", "redis.call('set', KEYS[1], 'y')", "1", "e"}, []string{"set e y"}},
		{[]any{"swapdb", "0", "1"}, []string{"swapdb 0 1"}},
		{[]any{"flushall"}, []string{"flushall"}},
	}
	for _, c := range cases {
		must(c.cmd...)
		if c.want == nil {
			must("set", "sentinel", "1") // the next thing in the stream
			c.want = []string{"set sentinel 1"}
		}
		t.Logf("%v", c.cmd)
		r.expect(c.want...)
	}
	pipe := cl.TxPipeline()
	pipe.Do(ctx, "set", "a", "1")
	pipe.Do(ctx, "incr", "a")
	pipe.Do(ctx, "get", "a")
	if _, err := pipe.Exec(ctx); err != nil {
		t.Fatal(err)
	}
	r.expect("multi", "set a 1", "incr a", "exec")
	other := n.Client(func(o *redis.Options) { o.DB = 3 })
	if err := other.Set(ctx, "k3", "v", 0).Err(); err != nil {
		t.Fatal(err)
	}
	r.expect("select 3", "set k3 v")
	if err := other.XAdd(ctx, &redis.XAddArgs{Stream: "x", Values: []any{"f", "v"}}).Err(); err != nil {
		t.Fatal(err)
	}
	r.expect("restore x 0 * REPLACE ABSTTL") // a stream write: its effect, per key
	must("set", "gone", "v", "px", "1")
	r.expect("select 0", "set gone v PXAT *")
	r.expect("del gone") // active expiry
}

// globMatch reports whether s matches pattern, where * is any run of
// characters (binary ones included) and every other character itself.
func globMatch(pattern, s string) bool {
	parts := strings.Split(pattern, "*")
	if !strings.HasPrefix(s, parts[0]) {
		return false
	}
	s = s[len(parts[0]):]
	for i, p := range parts[1:] {
		if i == len(parts)-2 {
			return strings.HasSuffix(s, p)
		}
		j := strings.Index(s, p)
		if j < 0 {
			return false
		}
		s = s[j+len(p):]
	}
	return s == ""
}

// TestReplicaThatStopsReadingIsClosed: a replica that sends SYNC and then
// reads nothing is closed once its stream passes client-output-buffer-limit
// replica's hard limit, not buffered without bound; the node goes on
// serving, and INFO replication no longer counts it.
func TestReplicaThatStopsReadingIsClosed(t *testing.T) {
	n := startNode(t)
	cl := n.Client()
	if err := cl.ConfigSet(ctx, "client-output-buffer-limit", "replica 1mb 512kb 60").Err(); err != nil {
		t.Fatal(err)
	}
	c := n.Dial()
	if _, err := c.Write([]byte("SYNC\r\n")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 10*time.Second, func() error {
		if info := cl.Info(ctx, "replication").Val(); !strings.Contains(info, "connected_slaves:1") {
			return fmt.Errorf("replica not attached: %q", info)
		}
		return nil
	})
	big := strings.Repeat("x", 64<<10)
	for i := range 500 { // 32 MB of stream, far past socket buffers and the limit
		if err := cl.Set(ctx, "big"+strconv.Itoa(i%50), big, 0).Err(); err != nil {
			t.Fatal(err)
		}
		if i%50 == 49 && strings.Contains(cl.Info(ctx, "replication").Val(), "connected_slaves:0") {
			break
		}
	}
	waitFor(t, 10*time.Second, func() error {
		if info := cl.Info(ctx, "replication").Val(); !strings.Contains(info, "connected_slaves:0") {
			return fmt.Errorf("the replica that does not read is still attached: %q", info)
		}
		return nil
	})
	if !n.logged("overcoming of output buffer limits") {
		t.Error("no output buffer limit line in the log")
	}
	if err := cl.Set(ctx, "after", "1", 0).Err(); err != nil {
		t.Fatalf("node after closing the replica: %v", err)
	}
}

// TestExecSleepServesBlockedAfter: a transaction that gives a key a short
// TTL and then sleeps (DEBUG SLEEP) wakes a client blocked on that key
// only after it ends, as Redis serves blocked clients after EXEC: the key
// has expired by then, so the client stays blocked and the stream shows
// the expired key's DEL after the transaction (Redis's unit/type/list,
// "MULTI + LPUSH + EXPIRE + DEBUG SLEEP on blocked client, key already
// expired").
func TestExecSleepServesBlockedAfter(t *testing.T) {
	n := startNode(t)
	cl := n.Client()
	if err := cl.Do(ctx, "debug", "set-active-expire", "0").Err(); err != nil {
		t.Fatal(err)
	}
	r, _ := attachSync(t, n)
	blocked := n.Client(noRetries)
	id := blocked.ClientID(ctx).Val()
	popped := make(chan []string, 1)
	go func() { popped <- blocked.BRPop(ctx, 0, "k").Val() }()
	waitFor(t, 5*time.Second, func() error {
		if list := cl.ClientList(ctx).Val(); !strings.Contains(list, "id="+strconv.FormatInt(id, 10)+" ") || !strings.Contains(list, "flags=b") {
			return fmt.Errorf("not blocked yet")
		}
		return nil
	})
	p := cl.TxPipeline()
	p.RPush(ctx, "k", "hello")
	p.PExpire(ctx, "k", 100*time.Millisecond)
	p.Do(ctx, "debug", "sleep", "0.2")
	if _, err := p.Exec(ctx); err != nil {
		t.Fatal(err)
	}
	r.expect("select 0", "multi", "rpush k hello", "pexpireat k *", "exec", "del k")
	if err := cl.ClientUnblock(ctx, id).Err(); err != nil {
		t.Fatal(err)
	}
	if got := <-popped; got != nil {
		t.Fatalf("the blocked client popped %q from a key that expired during EXEC", got)
	}
}

// TestScanAndRandomKeyDeleteExpiredKeys: with active expiry off, SCAN
// and RANDOMKEY meeting expired keys delete them (Redis's lazy expiry),
// each deletion a bare DEL in the replication stream (Redis's
// unit/expire "SCAN/RANDOMKEY: Lazy-expire should not be wrapped in
// MULTI/EXEC").
func TestScanAndRandomKeyDeleteExpiredKeys(t *testing.T) {
	n := startNode(t)
	cl := n.Client()
	if err := cl.Do(ctx, "debug", "set-active-expire", "0").Err(); err != nil {
		t.Fatal(err)
	}
	for _, read := range [][]any{{"scan", "0"}, {"randomkey"}} {
		cl.Set(ctx, "foo1", "bar", time.Millisecond)
		cl.Set(ctx, "foo2", "bar", time.Millisecond)
		time.Sleep(5 * time.Millisecond)
		r, _ := attachSync(t, n)
		cl.Do(ctx, read...)
		r.expect("select 0", "del foo*", "del foo*")
		r.c.Close()
		if got := cl.DBSize(ctx).Val(); got != 0 {
			t.Errorf("%v: DBSIZE %d after, want 0", read, got)
		}
	}
}

// TestReplicationStreamOnFollowerStartsAfterAckedWrites: a write
// acknowledged through a follower just before another connection SYNCs
// with that follower is in the payload, not in the stream: the stream's
// first write is the one made after SYNC, as on Redis, where the master's
// state holds every write it answered (Redis's unit/type/list "SWAPDB
// wants to wake blocked client, but the key already expired" read the
// previous test's RPOP first, through a follower). Before, the follower
// attached at the index it had applied, which could be behind the leader's.
func TestReplicationStreamOnFollowerStartsAfterAckedWrites(t *testing.T) {
	_, _, follower := startClusterWithFollower(t)
	c := follower.Client(noRetries)
	const rounds = 20
	late := 0
	for i := range rounds {
		if err := c.Set(ctx, "pre"+strconv.Itoa(i), "v", 0).Err(); err != nil {
			t.Fatal(err)
		}
		s, _ := attachSync(t, follower)
		mark := "mark" + strconv.Itoa(i)
		if err := c.Set(ctx, mark, "v", 0).Err(); err != nil {
			t.Fatal(err)
		}
		first := s.next()
		for strings.HasPrefix(first, "select ") || first == "ping" {
			first = s.next()
		}
		if first != "set "+mark+" v" {
			late++
			t.Logf("round %d: the stream's first write is %q, want %q", i, first, "set "+mark+" v")
		}
		s.c.Close()
	}
	if late > 0 {
		t.Fatalf("%d of %d streams began with a write acknowledged before SYNC", late, rounds)
	}
}
