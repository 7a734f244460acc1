package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// snapshotArgs make Raft snapshot and compact its log every few dozen
// entries, so a restart restores a snapshot and replays only a log tail.
var snapshotArgs = []string{
	"--raft-snapshot-threshold", "64", "--raft-snapshot-interval", "50ms", "--raft-trailing-logs", "32",
}

// TestDurability streams acknowledged writes from several clients, stops
// the node mid-stream, restarts it, and checks that every acknowledged
// write survived and no counter moved more than it was asked to; with
// each Raft log store.
func TestDurability(t *testing.T) {
	cases := []struct {
		name      string
		args      []string
		snapshots bool
		stop      func(t *testing.T, n *node)
	}{
		{"kill -9", nil, false, kill9},
		{"kill -9 after snapshots and compaction", snapshotArgs, true, kill9},
		{"SIGTERM exits 0", nil, false, termClean},
	}
	for _, store := range raftLogs {
		for _, tc := range cases {
			t.Run(store+"/"+tc.name, func(t *testing.T) {
				durability(t, append([]string{"--raft-log", store}, tc.args...), tc.snapshots, tc.stop)
			})
		}
	}
}

// durability is one case of TestDurability.
func durability(t *testing.T, args []string, snapshots bool, stop func(t *testing.T, n *node)) {
	n := startNode(t, args...)
	w := startWorkload(n, 8)
	waitFor(t, 30*time.Second, w.progress(1500))
	if snapshots {
		waitFor(t, 30*time.Second, snapshotExists(n.dir))
	}
	stop(t, n)
	w.wait()
	t.Logf("stopped after %d acknowledged writes", w.acked())
	n.Restart()
	w.verify(t, n.Client())
}

func kill9(t *testing.T, n *node) { n.Kill9() }

func termClean(t *testing.T, n *node) {
	if code := n.Term(); code != 0 {
		t.Fatalf("SIGTERM: exit code %d, want 0", code)
	}
}

// TestCleanRestartKeepsEverything stops an idle node with SIGTERM and
// checks that a restart brings back exactly what was written.
func TestCleanRestartKeepsEverything(t *testing.T) {
	n := startNode(t)
	c := n.Client()
	pipe := c.Pipeline()
	for i := range 500 {
		pipe.Set(ctx, fmt.Sprintf("clean:%d", i), i, 0)
		pipe.Incr(ctx, "clean:counter")
	}
	if _, err := pipe.Exec(ctx); err != nil {
		t.Fatalf("writes: %v", err)
	}
	if code := n.Term(); code != 0 {
		t.Fatalf("SIGTERM: exit code %d, want 0", code)
	}
	n.Restart()
	c = n.Client()
	mustEqual(t, "DBSIZE", c.DBSize(ctx).Val(), int64(501))
	mustEqual(t, "counter", c.Get(ctx, "clean:counter").Val(), "500")
	for _, i := range []int{0, 1, 250, 499} {
		mustEqual(t, "GET", c.Get(ctx, fmt.Sprintf("clean:%d", i)).Val(), strconv.Itoa(i))
	}
}

// workload is writers that each SET unique keys and INCR their own
// counter until a call fails, remembering what the server acknowledged.
type workload struct {
	writers []*writer
	wg      sync.WaitGroup
}

type writer struct {
	id        int
	mu        sync.Mutex
	keys      []string // SETs acknowledged with OK; the value is the key
	incrAcked int64    // INCRs acknowledged
	incrSent  int64    // INCRs sent, acknowledged or not
}

func startWorkload(n *node, writers int) *workload {
	w := &workload{}
	c := n.Client(noRetries, func(o *redis.Options) { o.PoolSize = writers })
	for i := range writers {
		wr := &writer{id: i}
		w.writers = append(w.writers, wr)
		w.wg.Add(1)
		go func() {
			defer w.wg.Done()
			wr.run(c)
		}()
	}
	return w
}

// run alternates SET and INCR until the server stops answering.
func (wr *writer) run(c *redis.Client) {
	for i := 0; ; i++ {
		key := fmt.Sprintf("dur:%d:%d", wr.id, i)
		if c.Set(ctx, key, key, 0).Val() != "OK" {
			return
		}
		wr.mu.Lock()
		wr.keys = append(wr.keys, key)
		wr.incrSent++
		wr.mu.Unlock()
		if c.Incr(ctx, wr.counter()).Err() != nil {
			return
		}
		wr.mu.Lock()
		wr.incrAcked++
		wr.mu.Unlock()
	}
}

func (wr *writer) counter() string { return "dur:counter:" + strconv.Itoa(wr.id) }

func (w *workload) acked() int {
	total := 0
	for _, wr := range w.writers {
		wr.mu.Lock()
		total += len(wr.keys) + int(wr.incrAcked)
		wr.mu.Unlock()
	}
	return total
}

func (w *workload) progress(want int) func() error {
	return func() error {
		if got := w.acked(); got < want {
			return fmt.Errorf("%d of %d writes acknowledged", got, want)
		}
		return nil
	}
}

// wait returns once every writer has hit an error; the caller stopped the
// server, so each one's next call fails.
func (w *workload) wait() { w.wg.Wait() }

// verify checks every acknowledged SET and bounds every counter.
func (w *workload) verify(t *testing.T, c *redis.Client) {
	t.Helper()
	for _, wr := range w.writers {
		for start := 0; start < len(wr.keys); start += 500 {
			batch := wr.keys[start:min(start+500, len(wr.keys))]
			vals, err := c.MGet(ctx, batch...).Result()
			if err != nil {
				t.Fatalf("MGET after restart: %v", err)
			}
			for i, v := range vals {
				if v != batch[i] {
					t.Fatalf("acknowledged SET %s lost: GET returned %v", batch[i], v)
				}
			}
		}
		got, _ := c.Get(ctx, wr.counter()).Int64()
		if got < wr.incrAcked || got > wr.incrSent {
			t.Fatalf("%s = %d, want between %d acknowledged and %d sent", wr.counter(), got, wr.incrAcked, wr.incrSent)
		}
	}
}

// snapshotExists reports whether Raft has completed a snapshot in dir:
// a directory under snapshots/ holding meta.json and no ".tmp" suffix.
func snapshotExists(dir string) func() error {
	return func() error {
		entries, _ := os.ReadDir(filepath.Join(dir, "snapshots"))
		for _, e := range entries {
			if !e.IsDir() || strings.HasSuffix(e.Name(), ".tmp") {
				continue
			}
			if _, err := os.Stat(filepath.Join(dir, "snapshots", e.Name(), "meta.json")); err == nil {
				return nil
			}
		}
		return fmt.Errorf("no completed snapshot in %s/snapshots (%d entries)", dir, len(entries))
	}
}
