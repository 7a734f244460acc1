package main

import (
	"bufio"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// masterData is what the master holds before the replica attaches: every
// type, a TTL, a second database and a function library.
var masterData = [][]string{
	{"SET", "s", "v"}, {"SET", "ttl", "v", "PX", "500000"}, {"HSET", "h", "f1", "v1", "f2", "v2"},
	{"RPUSH", "l", "a", "b", "c"}, {"SADD", "st", "x", "y"}, {"ZADD", "z", "1", "m", "2.5", "n"},
	{"XADD", "x", "1-1", "f", "v"}, {"PFADD", "hll", "a", "b", "c"}, {"SETBIT", "bits", "7", "1"},
	{"FUNCTION", "LOAD", "#!lua name=lib\nredis.register_function('put', function(keys, args) return redis.call('set', keys[1], args[1]) end)"},
	{"SELECT", "3"}, {"SET", "d3", "v3"}, {"SELECT", "0"},
}

// replicaReads read back everything masterData and masterWrites leave.
var replicaReads = [][]string{
	{"GET", "s"}, {"EXISTS", "ttl"}, {"HGETALL", "h"}, {"LRANGE", "l", "0", "-1"}, {"SORT_RO", "st", "ALPHA"},
	{"ZRANGE", "z", "0", "-1", "WITHSCORES"}, {"XRANGE", "x", "-", "+"}, {"PFCOUNT", "hll"}, {"GET", "bits"},
	{"FUNCTION", "LIST"}, {"MGET", "a", "b", "n", "e", "f", "gone"}, {"SELECT", "3"}, {"GET", "d3"}, {"SELECT", "0"},
	{"DBSIZE"},
}

// masterWrites reach the replica through the master's command stream:
// plain writes, a transaction, a script's effects, a function call, an
// expiry, a deletion and a write in another database.
var masterWrites = [][]string{
	{"SET", "s", "v2"}, {"INCR", "n"}, {"MULTI"}, {"SET", "a", "1"}, {"SET", "b", "2"}, {"EXEC"},
	{"EVAL", "redis.call('set', 'e', 'x') redis.call('del', 'gone') return 1", "0"},
	{"FCALL", "put", "1", "f", "fv"}, {"EXPIRE", "s", "1000"}, {"DEL", "l"}, {"SADD", "st", "w"},
	{"SELECT", "3"}, {"SET", "d3", "v4"}, {"SELECT", "0"},
}

// TestReplicaOfRedisMaster: a single node made a replica of a Redis 7.0
// master with REPLICAOF loads the master's data, applies its command
// stream, acknowledges it (the master's WAIT counts it), answers writes
// as a Redis replica of the same master does, synchronizes again after the
// master drops the link, and keeps its data after REPLICAOF NO ONE.
func TestReplicaOfRedisMaster(t *testing.T) {
	master := startRedisServer(t)
	host, port, _ := net.SplitHostPort(master)
	m := dialDiffSide(t, "master", master)
	runAll(t, m, masterData)
	m.roundTrip([]string{"SET", "gone", "soon"})
	redisReplica := startRedisServer(t, "--replicaof", host, port)
	n := startNode(t)
	g := dialDiffSide(t, "geetcache", n.addr())
	mustReply(t, g, "+OK\r\n", "REPLICAOF", host, port)
	mustReply(t, g, "+OK Already connected to specified master\r\n", "REPLICAOF", host, port)
	waitReplicaUp(t, n.addr())
	requireSameReads(t, master, n.addr(), replicaReads)

	runAll(t, m, masterWrites)
	mustReply(t, m, ":2\r\n", "WAIT", "2", "10000") // both replicas acknowledged the writes
	requireSameReads(t, master, n.addr(), replicaReads)
	if info := infoText(t, master, "replication"); !strings.Contains(info, "connected_slaves:2") {
		t.Fatalf("the master does not count both replicas:\n%s", info)
	}

	// Writes, as a Redis replica of the same master answers them.
	p := newDiffPair(t, 2, redisReplica, n.addr())
	p.requireSame(t, "writes on a read-only replica", [][]string{
		{"SET", "k", "v"}, {"SADD", "st", "x"}, {"DEL", "s"}, {"EVAL", "return redis.call('set', 'k', 'v')", "0"},
		{"EVAL", "#!lua\nreturn redis.call('set', 'k', 'v')", "0"}, {"EVAL", "return redis.call('get', 'a')", "0"},
		{"FCALL", "put", "1", "k", "v"}, {"MULTI"}, {"SET", "k", "v"}, {"GET", "a"}, {"EXEC"},
		{"CONFIG", "GET", "replicaof"}, {"REPLICAOF", host, "notaport"}, {"REPLICAOF", host, "70000"},
		{"REPLICAOF", host, "+" + port}, {"REPLICAOF", host, "0" + port}, {"REPLICAOF", host, " " + port},
		{"GET", "k"}, {"FLUSHALL"}, {"SORT", "st", "ALPHA"}, {"SORT_RO", "st", "ALPHA"},
	})
	if got := roleOf(t, n.addr()); got != "slave" {
		t.Fatalf("ROLE of the replica: %q", got)
	}

	// The master drops the link: the replica continues the stream from
	// the offset it applied (PSYNC <replid> <offset+1>, +CONTINUE), in the
	// database the stream had selected (the master selects it again only
	// when it changes).
	runAll(t, m, [][]string{{"SELECT", "3"}, {"SET", "k3", "before"}})
	mustReply(t, m, ":2\r\n", "WAIT", "2", "10000")
	mustReply(t, m, ":2\r\n", "CLIENT", "KILL", "TYPE", "replica")
	runAll(t, m, [][]string{{"SET", "k3", "kill"}, {"SELECT", "0"}, {"SET", "after", "kill"}})
	requireSameReads(t, master, n.addr(), [][]string{{"GET", "after"}, {"SELECT", "3"}, {"GET", "k3"}})
	mustReply(t, m, ":2\r\n", "WAIT", "2", "10000")
	if stats := infoText(t, master, "stats"); !strings.Contains(stats, "sync_partial_ok:2\r\n") {
		t.Errorf("both replicas should have continued the stream:\n%s", stats)
	}

	mustReply(t, g, "+OK\r\n", "REPLICAOF", "NO", "ONE")
	mustReply(t, g, "+OK\r\n", "SET", "k", "mine")
	mustReply(t, g, "$4\r\nkill\r\n", "GET", "after")
	if got := roleOf(t, n.addr()); got != "master" {
		t.Fatalf("ROLE after REPLICAOF NO ONE: %q", got)
	}
	mustReply(t, g, "*2\r\n$9\r\nreplicaof\r\n$0\r\n\r\n", "CONFIG", "GET", "replicaof")
}

// runAll sends each command and reads its reply, failing on none.
func runAll(t *testing.T, s *diffSide, cmds [][]string) {
	t.Helper()
	for _, c := range cmds {
		if _, err := s.roundTrip(c); err != nil {
			t.Fatalf("%s %q: %v", s.name, c, err)
		}
	}
}

// waitReplicaUp waits until INFO replication at addr says the link is up.
func waitReplicaUp(t *testing.T, addr string) {
	t.Helper()
	waitFor(t, 20*time.Second, func() error {
		if info := infoText(t, addr, "replication"); !strings.Contains(info, "master_link_status:up") {
			return fmt.Errorf("the link is not up: %s", info)
		}
		return nil
	})
}

// requireSameReads waits until the replica answers reads as the master
// does, byte for byte.
func requireSameReads(t *testing.T, master, replica string, reads [][]string) {
	t.Helper()
	waitFor(t, 20*time.Second, func() error {
		p := newDiffPair(t, 2, master, replica)
		defer p.redis.conn.Close()
		defer p.gc.conn.Close()
		fromRedis, fromGC := p.batch(t, reads)
		for i := range fromRedis {
			if string(fromRedis[i].raw) != string(fromGC[i].raw) {
				return fmt.Errorf("%q: master %q, replica %q", reads[i], fromRedis[i].raw, fromGC[i].raw)
			}
		}
		return nil
	})
}

// TestReplicaOfBrokenMaster: a master that sends too much or nonsense
// drops the link (tried again a second later) and never crashes the node
// or makes it allocate what it claims; a payload that is not a readable
// RDB file leaves the node's data as it was (it is checked whole before
// anything is flushed). REPLICAOF NO ONE ends the retries.
func TestReplicaOfBrokenMaster(t *testing.T) {
	n := startNode(t)
	g := dialDiffSide(t, "geetcache", n.addr())
	mustReply(t, g, "+OK\r\n", "SET", "kept", "v")
	for _, tc := range []struct{ name, afterPSYNC string }{
		{"a payload past the limit", "+FULLRESYNC 0123 0\r\n$99999999999999\r\n"},
		{"a line without end", "+FULLRESYNC 0123 0\r\n" + strings.Repeat("a", 100<<10)},
		{"not an RDB file", "+FULLRESYNC 0123 0\r\n$5\r\nhello"},
		{"a bulk past proto-max-bulk-len", "+FULLRESYNC 0123 0\r\n$" + fmt.Sprint(len(emptyRDB)) + "\r\n" + emptyRDB +
			"*3\r\n$3\r\nSET\r\n$999999999999\r\n"},
		{"an array of too many", "+FULLRESYNC 0123 0\r\n$" + fmt.Sprint(len(emptyRDB)) + "\r\n" + emptyRDB + "*99999999\r\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			addr, conns := fakeMaster(t, tc.afterPSYNC)
			host, port, _ := net.SplitHostPort(addr)
			mustReply(t, g, "+OK\r\n", "REPLICAOF", host, port)
			waitFor(t, 20*time.Second, func() error {
				if c := conns.Load(); c < 2 {
					return fmt.Errorf("%d connections to the master, want a retry", c)
				}
				return nil
			})
			if info := infoText(t, n.addr(), "replication"); !strings.Contains(info, "master_link_status:down") {
				t.Errorf("INFO replication:\n%s", info)
			}
			mustReply(t, g, "+OK\r\n", "REPLICAOF", "NO", "ONE")
			if tc.name != "a bulk past proto-max-bulk-len" && tc.name != "an array of too many" {
				mustReply(t, g, "$1\r\nv\r\n", "GET", "kept")
			}
		})
	}
}

// TestReplicaOfNoOneWhileWaiting: REPLICAOF NO ONE answers at once while
// the link waits on a master that accepted the connection and says
// nothing (it would wait for the link's 60 s timeout otherwise).
func TestReplicaOfNoOneWhileWaiting(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		if c, err := ln.Accept(); err == nil {
			accepted <- c
		}
	}()
	n := startNode(t)
	g := dialDiffSide(t, "geetcache", n.addr())
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	mustReply(t, g, "+OK\r\n", "REPLICAOF", "localhost", port)
	mustReply(t, g, "+OK Already connected to specified master\r\n", "REPLICAOF", "LOCALHOST", port) // hosts compared as Redis does, case aside
	select {
	case c := <-accepted:
		defer c.Close()
	case <-time.After(20 * time.Second):
		t.Fatal("the node did not connect to the master")
	}
	start := time.Now()
	mustReply(t, g, "+OK\r\n", "REPLICAOF", "NO", "ONE")
	if took := time.Since(start); took > 5*time.Second {
		t.Fatalf("REPLICAOF NO ONE took %v", took)
	}
	mustReply(t, g, "+OK\r\n", "SET", "k", "v")
}

// emptyRDB is an RDB file of an empty dataset, with no checksum (0, which
// Redis's loader accepts as none).
const emptyRDB = "REDIS0010\xff\x00\x00\x00\x00\x00\x00\x00\x00"

// fakeMaster listens for replicas and answers each connection's
// handshake, then sends afterPSYNC and holds the connection until the
// test ends; conns counts the connections.
func fakeMaster(t *testing.T, afterPSYNC string) (string, *atomic.Int64) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	conns := new(atomic.Int64)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			conns.Add(1)
			t.Cleanup(func() { c.Close() })
			go serveFakeMaster(c, afterPSYNC)
		}
	}()
	return ln.Addr().String(), conns
}

func serveFakeMaster(c net.Conn, afterPSYNC string) {
	r := &respReader{r: bufio.NewReader(c)}
	for {
		req, err := r.read()
		if err != nil {
			return
		}
		switch cmd := strings.ToUpper(string(req.raw)); {
		case strings.Contains(cmd, "PING"):
			c.Write([]byte("+PONG\r\n"))
		case strings.Contains(cmd, "PSYNC"):
			c.Write([]byte(afterPSYNC))
		default:
			c.Write([]byte("+OK\r\n"))
		}
	}
}

// TestReplicaOfRefusedInCluster: a node of a cluster of several refuses
// REPLICAOF (and NO ONE), as a Redis Cluster node does.
func TestReplicaOfRefusedInCluster(t *testing.T) {
	_, leader, follower := startClusterWithFollower(t)
	for _, n := range []*node{leader, follower} {
		s := dialDiffSide(t, "geetcache", n.addr())
		mustReply(t, s, "-ERR REPLICAOF not allowed in cluster mode.\r\n", "REPLICAOF", "127.0.0.1", "6379")
		mustReply(t, s, "-ERR REPLICAOF not allowed in cluster mode.\r\n", "SLAVEOF", "NO", "ONE")
	}
}

// TestReplicaOfAtStart: --replicaof host port (replicaof in a
// configuration file) makes a node start as a replica of that master.
func TestReplicaOfAtStart(t *testing.T) {
	master := startRedisServer(t)
	host, port, _ := net.SplitHostPort(master)
	m := dialDiffSide(t, "master", master)
	mustReply(t, m, "+OK\r\n", "SET", "a", "1")
	n := startNode(t, "--replicaof", host, port)
	waitReplicaUp(t, n.addr())
	g := dialDiffSide(t, "geetcache", n.addr())
	mustReply(t, g, "$1\r\n1\r\n", "GET", "a")
	want := fmt.Sprintf("*2\r\n$9\r\nreplicaof\r\n$%d\r\n%s %s\r\n", len(host)+1+len(port), host, port)
	mustReply(t, g, want, "CONFIG", "GET", "replicaof")
	mustReply(t, m, ":1\r\n", "WAIT", "1", "10000")
}

// TestReplicaOfReplTimeout: a master that goes silent, before its payload
// or in its stream, drops the link after repl-timeout seconds (here 1),
// and the node connects again, as a Redis replica does.
func TestReplicaOfReplTimeout(t *testing.T) {
	n := startNode(t)
	g := dialDiffSide(t, "geetcache", n.addr())
	mustReply(t, g, "+OK\r\n", "CONFIG", "SET", "repl-timeout", "1")
	for _, tc := range []struct{ name, afterPSYNC string }{
		{"before the payload", "+FULLRESYNC 0123 0\r\n"},
		{"in the stream", "+FULLRESYNC 0123 0\r\n$" + fmt.Sprint(len(emptyRDB)) + "\r\n" + emptyRDB},
	} {
		t.Run(tc.name, func(t *testing.T) {
			addr, conns := fakeMaster(t, tc.afterPSYNC)
			host, port, _ := net.SplitHostPort(addr)
			start := time.Now()
			mustReply(t, g, "+OK\r\n", "REPLICAOF", host, port)
			waitFor(t, 20*time.Second, func() error {
				if c := conns.Load(); c < 3 {
					return fmt.Errorf("%d connections to the master, want two retries", c)
				}
				return nil
			})
			if took := time.Since(start); took > 15*time.Second { // two timeouts of 1 s and two waits of 1 s between tries
				t.Fatalf("two retries took %v with repl-timeout 1", took)
			}
			mustReply(t, g, "+OK\r\n", "REPLICAOF", "NO", "ONE")
		})
	}
}

// TestReplicaOfAnnounces: the master shows the node at the address it
// announces, as a Redis replica's: its own port by default, then
// replica-announce-ip and replica-announce-port (from the next link).
func TestReplicaOfAnnounces(t *testing.T) {
	master := startRedisServer(t)
	host, port, _ := net.SplitHostPort(master)
	n := startNode(t)
	g := dialDiffSide(t, "geetcache", n.addr())
	_, nodePort, _ := net.SplitHostPort(n.addr())
	mustReply(t, g, "+OK\r\n", "REPLICAOF", host, port)
	waitMasterShows(t, master, "slave0:ip=127.0.0.1,port="+nodePort+",")

	mustReply(t, g, "+OK\r\n", "CONFIG", "SET", "replica-announce-ip", "10.1.2.3", "replica-announce-port", "7777")
	mustReply(t, dialDiffSide(t, "master", master), ":1\r\n", "CLIENT", "KILL", "TYPE", "replica")
	waitMasterShows(t, master, "slave0:ip=10.1.2.3,port=7777,")
}

// waitMasterShows waits until the master's INFO replication holds want.
func waitMasterShows(t *testing.T, master, want string) {
	t.Helper()
	waitFor(t, 20*time.Second, func() error {
		if info := infoText(t, master, "replication"); !strings.Contains(info, want) {
			return fmt.Errorf("the master's INFO replication lacks %q:\n%s", want, info)
		}
		return nil
	})
}

// TestReplicaOfIgnoresMaxMemory: a node replicating a master holds more
// than its maxmemory without evicting or refusing writes for memory
// (replica-ignore-maxmemory yes, the default, as a Redis replica), and
// evicts once told not to ignore it.
func TestReplicaOfIgnoresMaxMemory(t *testing.T) {
	master := startRedisServer(t)
	host, port, _ := net.SplitHostPort(master)
	m := dialDiffSide(t, "master", master)
	value := strings.Repeat("v", 1000)
	var fill [][]string
	for i := range 2000 {
		fill = append(fill, []string{"SET", "k" + strconv.Itoa(i), value})
	}
	runAll(t, m, fill)
	n := startNode(t)
	g := dialDiffSide(t, "geetcache", n.addr())
	runAll(t, g, [][]string{{"CONFIG", "SET", "maxmemory", "1mb"}, {"CONFIG", "SET", "maxmemory-policy", "allkeys-lru"}})
	mustReply(t, g, "+OK\r\n", "REPLICAOF", host, port)
	waitReplicaUp(t, n.addr())
	requireSameReads(t, master, n.addr(), [][]string{{"DBSIZE"}})
	mustReply(t, g, "+OK\r\n", "CONFIG", "SET", "replica-read-only", "no")
	mustReply(t, g, "+OK\r\n", "SET", "local", "write") // no OOM on such a replica
	time.Sleep(300 * time.Millisecond)                  // several rounds of the eviction loop
	mustReply(t, g, ":2001\r\n", "DBSIZE")

	mustReply(t, g, "+OK\r\n", "CONFIG", "SET", "replica-ignore-maxmemory", "no")
	waitFor(t, 20*time.Second, func() error {
		rep, err := g.roundTrip([]string{"DBSIZE"})
		if err != nil {
			t.Fatal(err)
		}
		if string(rep.raw) == ":2001\r\n" {
			return fmt.Errorf("nothing evicted yet")
		}
		return nil
	})
}
