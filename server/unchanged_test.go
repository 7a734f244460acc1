package server

import (
	"strings"
	"testing"
)

// TestUnchangedWritesMakeNoEntry: a write that changes nothing is answered
// as Redis answers it and adds no log entry; one that changes something,
// or whose reply is an error, goes into the log as before. Each step runs
// on the state the steps before it left.
func TestUnchangedWritesMakeNoEntry(t *testing.T) {
	ts := startTestServer(t)
	c := dialRaw(t, ts.addr)
	steps := []struct {
		args     []string
		want     string
		newEntry bool
	}{
		{[]string{"SADD", "s", "a", "b"}, ":2\r\n", true},
		{[]string{"SADD", "s", "a"}, ":0\r\n", false},
		{[]string{"SADD", "s", "b", "a", "b"}, ":0\r\n", false},
		{[]string{"SADD", "s", "a", "c"}, ":1\r\n", true},
		{[]string{"SET", "str", "x"}, "+OK\r\n", true},
		{[]string{"SADD", "str", "a"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", true},
		{[]string{"ZADD", "z", "1", "m", "2.5", "n"}, ":2\r\n", true},
		{[]string{"ZADD", "z", "1", "m"}, ":0\r\n", false},
		{[]string{"ZADD", "z", "1.0", "m", "2.50", "n"}, ":0\r\n", false},
		{[]string{"ZADD", "z", "2", "m"}, ":0\r\n", true}, // a new score: a change, though no member is added
		{[]string{"ZADD", "z", "NX", "2", "m"}, ":0\r\n", true},
		{[]string{"ZADD", "z", "CH", "2", "m"}, ":0\r\n", true},
		{[]string{"ZADD", "z", "x", "m"}, "-ERR value is not a valid float\r\n", true},
		{[]string{"ZPOPMIN", "none"}, "*0\r\n", false},
		{[]string{"ZPOPMAX", "none", "3"}, "*0\r\n", false},
		{[]string{"ZPOPMIN", "none", "-1"}, "-ERR value is out of range, must be positive\r\n", true},
		{[]string{"ZPOPMAX", "z"}, "*2\r\n$1\r\nn\r\n$3\r\n2.5\r\n", true},
		{[]string{"ZPOPMIN", "str"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", true},
		{[]string{"PFADD", "h", "a", "b"}, ":1\r\n", true},
		{[]string{"PFCOUNT", "h"}, ":2\r\n", true}, // the count was stale: stored
		{[]string{"PFCOUNT", "h"}, ":2\r\n", false},
		{[]string{"PFCOUNT", "none"}, ":0\r\n", false},
		{[]string{"PFCOUNT", "h", "none"}, ":2\r\n", false}, // several keys: a read
		{[]string{"PFADD", "h", "a"}, ":0\r\n", true},
		{[]string{"PFCOUNT", "h"}, ":2\r\n", false},
		{[]string{"PFCOUNT", "str"}, "-WRONGTYPE Key is not a valid HyperLogLog string value.\r\n", true},
		{[]string{"PFCOUNT", "s"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", true},
	}
	for _, st := range steps {
		before := ts.node.AppliedIndex()
		if got := c.do(st.args...); got != st.want {
			t.Fatalf("%q: %q, want %q", st.args, got, st.want)
		}
		if grew := ts.node.AppliedIndex() > before; grew != st.newEntry {
			t.Fatalf("%q: new log entry %v, want %v", st.args, grew, st.newEntry)
		}
	}
}

// TestUnchangedAfterPipelinedWrite: an SADD that would change nothing on
// the state before the pipeline's earlier SREM is applied must see that
// SREM: it goes into the log behind it and adds the member again.
func TestUnchangedAfterPipelinedWrite(t *testing.T) {
	c := dialRaw(t, startServer(t))
	c.do("SADD", "s", "a")
	pipeline := []byte("*3\r\n$4\r\nSREM\r\n$1\r\ns\r\n$1\r\na\r\n*3\r\n$4\r\nSADD\r\n$1\r\ns\r\n$1\r\na\r\n")
	for range 50 {
		if _, err := c.nc.Write(pipeline); err != nil { // one write: one batch on the server, mostly
			t.Fatal(err)
		}
		if got := c.reply() + c.reply(); got != ":1\r\n:1\r\n" {
			t.Fatalf("SREM then SADD in one pipeline: %q, want :1 twice", got)
		}
	}
}

// TestUnchangedWriteKeepsWatch: as in Redis, an SADD that changes nothing
// between another client's WATCH and EXEC does not fail the transaction;
// one that changes the set does.
func TestUnchangedWriteKeepsWatch(t *testing.T) {
	addr := startServer(t)
	watcher, other := dialRaw(t, addr), dialRaw(t, addr)
	other.do("SADD", "s", "a")
	for _, st := range []struct {
		member, want string
	}{{"a", "*1\r\n:1\r\n"}, {"b", "*-1\r\n"}} {
		watcher.do("WATCH", "s")
		other.do("SADD", "s", st.member)
		watcher.do("MULTI")
		watcher.do("INCR", "k")
		if got := watcher.do("EXEC"); got != st.want {
			t.Fatalf("EXEC after another client's SADD s %s: %q, want %q", st.member, got, st.want)
		}
	}
}

// TestCachedReadsInPipeline: PFCOUNTs pipelined after a read join its read
// group; one whose count is stale ends the group and goes into the log
// (storing the count), the rest are answered in order. A pipeline whose
// counts are all valid makes no log entry. (A PFCOUNT right behind a
// stored one may go into the log too, as any write that changes nothing
// behind a write of its pipeline still waiting: server/unchanged.go.)
func TestCachedReadsInPipeline(t *testing.T) {
	ts := startTestServer(t)
	c := dialRaw(t, ts.addr)
	for _, cmd := range [][]string{{"SET", "g", "x"}, {"PFADD", "h", "a", "b"}, {"PFADD", "h2", "c"}} {
		c.do(cmd...)
	}
	pipeline := func(steps []pipelineStep) { t.Helper(); sendPipeline(t, c, steps) }
	pipeline([]pipelineStep{
		{[]string{"GET", "g"}, "$1\r\nx\r\n"},
		{[]string{"PFCOUNT", "h"}, ":2\r\n"}, // stale: stored
		{[]string{"PFCOUNT", "h"}, ":2\r\n"},
		{[]string{"GET", "g"}, "$1\r\nx\r\n"},
		{[]string{"PFCOUNT", "none"}, ":0\r\n"},
		{[]string{"PFCOUNT", "h2"}, ":1\r\n"}, // stale: stored
		{[]string{"PFCOUNT", "h2", "h"}, ":3\r\n"},
		{[]string{"PFCOUNT", "h2"}, ":1\r\n"},
		{[]string{"GETRANGE", "h2", "8", "15"}, "$8\r\n\x01\x00\x00\x00\x00\x00\x00\x00\r\n"},
		{[]string{"GETRANGE", "h", "8", "15"}, "$8\r\n\x02\x00\x00\x00\x00\x00\x00\x00\r\n"},
	})
	before := ts.node.AppliedIndex()
	pipeline([]pipelineStep{
		{[]string{"GET", "g"}, "$1\r\nx\r\n"},
		{[]string{"PFCOUNT", "h"}, ":2\r\n"},
		{[]string{"PFCOUNT", "none"}, ":0\r\n"},
		{[]string{"PFCOUNT", "h2"}, ":1\r\n"},
		{[]string{"GET", "g"}, "$1\r\nx\r\n"},
		{[]string{"PFCOUNT", "h"}, ":2\r\n"},
	})
	pipeline([]pipelineStep{ // no read first: the first PFCOUNT passes the barrier, the rest join a group
		{[]string{"PFCOUNT", "h"}, ":2\r\n"},
		{[]string{"PFCOUNT", "h2"}, ":1\r\n"},
		{[]string{"PFCOUNT", "none"}, ":0\r\n"},
		{[]string{"PFCOUNT", "h"}, ":2\r\n"},
	})
	if grew := ts.node.AppliedIndex() - before; grew != 0 {
		t.Errorf("a pipeline of valid counts made %d log entries, want none", grew)
	}
	c.do("PFADD", "h", "z")
	pipeline([]pipelineStep{
		{[]string{"PFCOUNT", "h2"}, ":1\r\n"},
		{[]string{"PFCOUNT", "h"}, ":3\r\n"}, // stale: ends the group, stored
		{[]string{"PFCOUNT", "h"}, ":3\r\n"},
		{[]string{"PFCOUNT", "h2", "h"}, ":4\r\n"},
	})
}

// pipelineStep is one command of a pipeline and its reply.
type pipelineStep struct {
	args []string
	want string
}

// sendPipeline writes steps' commands to c in one write and checks each
// reply in order.
func sendPipeline(t *testing.T, c *rawClient, steps []pipelineStep) {
	t.Helper()
	cmds := make([][]string, len(steps))
	for i, st := range steps {
		cmds[i] = st.args
	}
	c.sendAll(cmds)
	for _, st := range steps {
		if got := c.reply(); got != st.want {
			t.Errorf("%q: %q, want %q", st.args, got, st.want)
		}
	}
}

// TestUnchangedWritesInPipeline: pipelined writes that would change
// nothing join a read group once the pipeline passed its read barrier
// (unchanged_group.go) and are answered as Redis answers them, with no
// log entry; one that would change something (or fail) ends the group and
// goes into the log, and the calls behind it see its change. Above
// maxmemory each denyoom one is refused, as in Redis, whether or not it
// would change anything.
func TestUnchangedWritesInPipeline(t *testing.T) {
	const wrongType = "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"
	ts := startTestServer(t)
	c := dialRaw(t, ts.addr)
	c.do("SADD", "s", "a", "b")
	c.do("ZADD", "z", "1", "m")
	c.do("SET", "str", "x")
	before := ts.node.AppliedIndex()
	sendPipeline(t, c, []pipelineStep{
		{[]string{"SADD", "s", "a"}, ":0\r\n"},
		{[]string{"SADD", "s", "b", "a"}, ":0\r\n"},
		{[]string{"ZADD", "z", "1", "m"}, ":0\r\n"},
		{[]string{"ZPOPMIN", "none"}, "*0\r\n"},
		{[]string{"SCARD", "s"}, ":2\r\n"},
		{[]string{"ZADD", "z", "1.0", "m"}, ":0\r\n"},
		{[]string{"SADD", "s", "a"}, ":0\r\n"},
	})
	if grew := ts.node.AppliedIndex() - before; grew != 0 {
		t.Errorf("a pipeline of writes that change nothing made %d log entries, want none", grew)
	}
	sendPipeline(t, c, []pipelineStep{
		{[]string{"SADD", "s", "a"}, ":0\r\n"},
		{[]string{"SADD", "s", "a"}, ":0\r\n"},
		{[]string{"SADD", "s", "c"}, ":1\r\n"}, // ends the group: into the log
		{[]string{"SADD", "s", "c"}, ":0\r\n"}, // behind it, sees it
		{[]string{"SCARD", "s"}, ":3\r\n"},
		{[]string{"SADD", "s", "c", "a"}, ":0\r\n"},
		{[]string{"SADD", "str", "a"}, wrongType},
		{[]string{"SADD", "s", "a"}, ":0\r\n"},
		{[]string{"ZADD", "z", "x", "m"}, "-ERR value is not a valid float\r\n"},
		{[]string{"ZADD", "z", "2", "m"}, ":0\r\n"}, // a new score
		{[]string{"ZADD", "z", "2", "m"}, ":0\r\n"},
		{[]string{"ZSCORE", "z", "m"}, "$1\r\n2\r\n"},
		{[]string{"ZPOPMIN", "str"}, wrongType},
		{[]string{"SADD", "s", "d"}, ":1\r\n"},
		{[]string{"SMISMEMBER", "s", "a", "d", "e"}, "*3\r\n:1\r\n:1\r\n:0\r\n"},
	})
	if got := c.do("INFO", "commandstats"); !strings.Contains(got, "cmdstat_sadd:calls=12,") {
		t.Errorf("INFO commandstats counts SADD's calls wrong:\n%s", got)
	}
	const oom = "-OOM command not allowed when used memory > 'maxmemory'.\r\n"
	c.do("CONFIG", "SET", "maxmemory", "1")
	sendPipeline(t, c, []pipelineStep{
		{[]string{"SADD", "s", "a"}, oom},
		{[]string{"SADD", "s", "a"}, oom},
		{[]string{"ZPOPMIN", "none"}, "*0\r\n"}, // not denyoom
		{[]string{"SCARD", "s"}, ":4\r\n"},
		{[]string{"SADD", "s", "a"}, oom},
	})
	c.do("CONFIG", "SET", "maxmemory", "0")
}
