package main

import (
	"bufio"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// writeLoad is one client writing distinct keys (SET roll:<i>:<seq>) to
// one node over a raw RESP connection, classifying every attempt by what
// it came back with.
type writeLoad struct {
	n   *node
	id  int
	mu  sync.Mutex
	tal loadTally
	// acked are the keys whose SET was answered +OK; unanswered, those
	// sent on a connection that closed before a reply.
	acked, unanswered []string
}

// loadTally counts the outcomes of a writeLoad's attempts.
type loadTally struct {
	acked     int // +OK
	uncertain int // -UNCERTAIN: the outcome is unknown
	refused   int // another error reply: not applied (CLUSTERDOWN...)
	noReply   int // sent, then the connection closed before a reply
	notSent   int // no connection (the node was down)
	errs      map[string]int
}

func (t *loadTally) add(o loadTally) {
	t.acked += o.acked
	t.uncertain += o.uncertain
	t.refused += o.refused
	t.noReply += o.noReply
	t.notSent += o.notSent
}

func (t loadTally) String() string {
	return fmt.Sprintf("acknowledged=%d UNCERTAIN=%d refused=%d no-reply=%d not-sent=%d",
		t.acked, t.uncertain, t.refused, t.noReply, t.notSent)
}

// run writes until stop is closed.
func (w *writeLoad) run(stop <-chan struct{}) {
	var nc net.Conn
	var rd *bufio.Reader
	defer func() {
		if nc != nil {
			nc.Close()
		}
	}()
	for seq := 0; ; {
		select {
		case <-stop:
			return
		default:
		}
		if nc == nil {
			var err error
			if nc, err = net.DialTimeout("tcp", w.n.addr(), time.Second); err != nil {
				nc = nil
				w.count(func(t *loadTally) { t.notSent++ })
				time.Sleep(20 * time.Millisecond)
				continue
			}
			rd = bufio.NewReader(nc)
		}
		key := "roll:" + strconv.Itoa(w.id) + ":" + strconv.Itoa(seq)
		seq++
		if !w.attempt(nc, rd, key) {
			nc.Close()
			nc = nil
		}
	}
}

// attempt sends one SET and records its outcome; false: drop the connection.
func (w *writeLoad) attempt(nc net.Conn, rd *bufio.Reader, key string) bool {
	nc.SetDeadline(time.Now().Add(20 * time.Second))
	_, err := nc.Write(appendCommand(nil, "SET", key, key))
	line := ""
	if err == nil {
		line, err = rd.ReadString('\n')
	}
	if err != nil {
		w.count(func(t *loadTally) { t.noReply++; w.unanswered = append(w.unanswered, key) })
		return false
	}
	line = strings.TrimRight(line, "\r\n")
	switch {
	case line == "+OK":
		w.mu.Lock()
		w.tal.acked++
		w.acked = append(w.acked, key)
		w.mu.Unlock()
	case strings.HasPrefix(line, "-UNCERTAIN"):
		w.n.t.Logf("client %d: %s at %s", w.id, line, time.Now().Format("15:04:05.000"))
		w.count(func(t *loadTally) { t.uncertain++; t.errs[line]++ })
	default:
		w.count(func(t *loadTally) { t.refused++; t.errs[line]++ })
	}
	return true
}

func (w *writeLoad) count(f func(t *loadTally)) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.tal.errs == nil {
		w.tal.errs = map[string]int{}
	}
	f(&w.tal)
}

func (w *writeLoad) ackedCount() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.tal.acked
}

// waitProgress waits until every load has had 20 more writes acknowledged.
func waitProgress(t *testing.T, loads []*writeLoad) {
	t.Helper()
	before := make([]int, len(loads))
	for i, l := range loads {
		before[i] = l.ackedCount()
	}
	waitFor(t, 20*time.Second, func() error {
		for i, l := range loads {
			if got := l.ackedCount(); got < before[i]+20 {
				return fmt.Errorf("client %d: %d writes acknowledged since, want 20", i, got-before[i])
			}
		}
		return nil
	})
}

// TestRollingRestartUnderLoad stops (SIGTERM) and restarts each node of a
// three-node cluster in turn, the leader first whenever it has not been
// restarted yet, while one client per node writes distinct keys. A leader
// hands leadership over before it stops and every node answers what it
// has read, so no write comes back UNCERTAIN, and every acknowledged write
// is on every node afterwards. The counts are logged.
func TestRollingRestartUnderLoad(t *testing.T) {
	nodes := startCluster(t)
	waitForLeader(t, nodes, 10*time.Second)
	loads := make([]*writeLoad, len(nodes))
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for i, n := range nodes {
		loads[i] = &writeLoad{n: n, id: i}
		wg.Add(1)
		go func() { defer wg.Done(); loads[i].run(stop) }()
	}
	waitProgress(t, loads)
	leaderStops := 0
	restarted := map[*node]bool{}
	for range nodes {
		target := rollTarget(t, nodes, restarted, &leaderStops)
		start := time.Now()
		if code := target.Term(); code != 0 {
			t.Errorf("node :%d exited with code %d after SIGTERM, want 0", target.port, code)
		}
		t.Logf("node :%d stopped in %v", target.port, time.Since(start))
		target.Restart()
		restarted[target] = true
		waitProgress(t, loads) // every client gets writes acknowledged again
	}
	close(stop)
	wg.Wait()
	var total loadTally
	errs := map[string]int{}
	for i, l := range loads {
		t.Logf("client %d (node :%d): %v", i, l.n.port, l.tal)
		total.add(l.tal)
		for e, c := range l.tal.errs {
			errs[e] += c
		}
	}
	for e, c := range errs {
		t.Logf("  %d x %s", c, e)
	}
	lost, appliedUnanswered := lostWrites(t, nodes, loads)
	t.Logf("rolling restart of 3 nodes (%d of them as leader): %v, lost acknowledged writes=%d, unanswered but applied=%d",
		leaderStops, total, lost, appliedUnanswered)
	if total.uncertain != 0 || lost != 0 {
		t.Errorf("want no UNCERTAIN reply and no lost write; got %d UNCERTAIN, %d lost", total.uncertain, lost)
	}
	if appliedUnanswered != 0 { // a node that stops answers every command it read
		t.Errorf("%d writes were applied but their connection closed without a reply", appliedUnanswered)
	}
	if leaderStops == 0 {
		t.Errorf("no leader was stopped")
	}
}

// rollTarget picks the next node to restart: the leader if it has not
// been restarted yet, else any node that has not.
func rollTarget(t *testing.T, nodes []*node, restarted map[*node]bool, leaderStops *int) *node {
	t.Helper()
	if leader := waitForLeader(t, nodes, 10*time.Second); !restarted[leader] {
		*leaderStops++
		return leader
	}
	for _, n := range nodes {
		if !restarted[n] {
			return n
		}
	}
	t.Fatal("every node was restarted")
	return nil
}

// lostWrites waits until the nodes agree, then counts the acknowledged
// keys missing from the leader, and the unanswered ones it holds.
func lostWrites(t *testing.T, nodes []*node, loads []*writeLoad) (lost, appliedUnanswered int) {
	t.Helper()
	leader := waitForLeader(t, nodes, 10*time.Second)
	waitSameDigest(t, nodes)
	c := leader.Client(noRetries)
	for _, l := range loads {
		lost += len(l.acked) - countHeld(t, c, l.acked)
		appliedUnanswered += countHeld(t, c, l.unanswered)
	}
	return lost, appliedUnanswered
}

// countHeld counts the keys that hold their own name as value.
func countHeld(t *testing.T, c *redis.Client, keys []string) int {
	t.Helper()
	held := 0
	for start := 0; start < len(keys); start += 500 {
		part := keys[start:min(start+500, len(keys))]
		vals, err := c.MGet(ctx, part...).Result()
		if err != nil {
			t.Fatalf("MGET: %v", err)
		}
		for i, v := range vals {
			if v == part[i] {
				held++
			}
		}
	}
	return held
}
