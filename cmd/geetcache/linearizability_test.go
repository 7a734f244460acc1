package main

// The linearizability check: concurrent clients on every node of a
// three-node cluster while a fault injector (lin_faults_test.go) kills,
// pauses, restarts and partitions nodes; the recorded history is checked
// with porcupine against a per-key model.
//
// CI runs a short version (60 s of traffic under faults). For a soak:
//
//	GEETCACHE_LIN_SECONDS=600 go test ./cmd/geetcache/ -run 'TestLinearizability$' -v -timeout 30m
//
// Every run logs its seed; GEETCACHE_E2E_SEED=<seed> replays the same
// schedule of operations and faults (timing, and so which node leads when
// a fault strikes, still varies). On a violation the test writes
// porcupine's visualization (linearizability.html) and the history as text
// (linearizability.txt) to a temporary directory, or to GEETCACHE_LIN_OUT
// when set (the temporary one is removed after the test).

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/anishathalye/porcupine"
	"github.com/redis/go-redis/v9"
)

const (
	linClients      = 9
	linDefaultSecs  = 60
	linCheckTimeout = 2 * time.Minute
	linOpTimeout    = 2 * time.Second
	linGeneration   = 30 * time.Second
)

// linKeys are the keys of one generation: SET/GET/DEL and the scripted
// compare-and-set run on the two register keys, INCR/GET/DEL on the
// counter key, so INCR never meets a
// non-integer (the model still handles that error). Clients move to a new
// generation every linGeneration: porcupine's cache grows with the square
// of the operations on one key, so a soak must not pile its whole history
// on three keys. The old keys stay, and the final reads cover them all.
func linKeys(gen int) (registers [2]string, counter string) {
	p := "lin:" + strconv.Itoa(gen) + ":"
	return [2]string{p + "r0", p + "r1"}, p + "c0"
}

// linGen is the generation of keys in use at time t of the history.
func linGen(t int64) int { return int(time.Duration(t) / linGeneration) }

// linInput is one command: op is get, set, del, incr or cas. A cas is one
// EVAL of casLua (clients_scripts_test.go), or the same script by EVALSHA:
// it sets key to value only when key holds expect.
type linInput struct {
	op, key, value string
	expect         string // cas: the value it compares with
}

// linOutput is a reply. unknown marks an indeterminate write (it may or may
// not have been applied); err is a definite Redis error reply.
type linOutput struct {
	unknown bool
	present bool   // get: the key existed
	value   string // get: its value
	n       int64  // del: keys removed; incr: the new value; cas: 1 if it set
	err     string
}

// linState is one key's value in the model.
type linState struct {
	present bool
	value   string
}

// linModel is a register per key, partitioned by key.
var linModel = porcupine.Model{
	Partition:                 linPartition,
	Init:                      func() any { return linState{} },
	Step:                      func(s, in, out any) (bool, any) { return linStep(s.(linState), in.(linInput), out.(linOutput)) },
	DescribeOperation:         linDescribeOp,
	DescribeState:             linDescribeState,
	DescribeOperationMetadata: func(m any) string { s, _ := m.(string); return s },
}

// linPartition splits the history by key, keys in order of first use.
func linPartition(history []porcupine.Operation) [][]porcupine.Operation {
	index := map[string]int{}
	var out [][]porcupine.Operation
	for _, op := range history {
		k := op.Input.(linInput).key
		i, ok := index[k]
		if !ok {
			i = len(out)
			index[k] = i
			out = append(out, nil)
		}
		out[i] = append(out[i], op)
	}
	return out
}

// linStep applies in to s and says whether out is a reply it could give.
func linStep(s linState, in linInput, out linOutput) (bool, linState) {
	switch in.op {
	case "get":
		return out.err == "" && out.present == s.present && out.value == s.value, s
	case "set":
		return out.unknown || out.err == "", linState{true, in.value}
	case "del":
		want := int64(0)
		if s.present {
			want = 1
		}
		return out.unknown || (out.err == "" && out.n == want), linState{}
	case "incr":
		return linIncr(s, out)
	case "cas":
		return linCAS(s, in, out)
	}
	return false, s
}

// linCAS: the script sets the key only when it holds the expected value
// (an absent key never does: redis.call('get') gives false).
func linCAS(s linState, in linInput, out linOutput) (bool, linState) {
	if s.present && s.value == in.expect {
		return out.unknown || (out.err == "" && out.n == 1), linState{true, in.value}
	}
	return out.unknown || (out.err == "" && out.n == 0), s
}

func linIncr(s linState, out linOutput) (bool, linState) {
	cur := int64(0)
	if s.present {
		v, err := strconv.ParseInt(s.value, 10, 64)
		if err != nil {
			return out.unknown || strings.Contains(out.err, "not an integer"), s
		}
		cur = v
	}
	next := linState{true, strconv.FormatInt(cur+1, 10)}
	return out.unknown || (out.err == "" && out.n == cur+1), next
}

func linDescribeOp(in, out any) string {
	i, o := in.(linInput), out.(linOutput)
	call := strings.ToUpper(i.op) + " " + i.key
	switch i.op {
	case "set":
		call += " " + i.value
	case "cas":
		call += " " + i.expect + " -> " + i.value
	}
	switch {
	case o.unknown:
		return call + " -> ?"
	case o.err != "":
		return call + " -> " + o.err
	case i.op == "get" && !o.present:
		return call + " -> nil"
	case i.op == "get":
		return call + " -> " + o.value
	case i.op == "set":
		return call + " -> OK"
	case i.op == "cas":
		return call + " : " + strconv.FormatInt(o.n, 10)
	}
	return call + " -> " + strconv.FormatInt(o.n, 10)
}

func linDescribeState(s any) string {
	st := s.(linState)
	if !st.present {
		return "absent"
	}
	return st.value
}

// linHistory collects operations from all clients.
type linHistory struct {
	mu          sync.Mutex
	start       time.Time
	ops         []porcupine.Operation
	dropped     atomic.Int64 // writes surely not applied: CLUSTERDOWN or no connection
	failedReads atomic.Int64 // reads that got an error: they observed nothing
}

func (h *linHistory) now() int64 { return time.Since(h.start).Nanoseconds() }

func (h *linHistory) add(op porcupine.Operation) {
	h.mu.Lock()
	h.ops = append(h.ops, op)
	h.mu.Unlock()
}

// linClient is one worker bound to one node.
type linClient struct {
	id  int
	rnd *rand.Rand
	rdb *redis.Client
	n   *node
	h   *linHistory
	seq int
	// seen is the last value this client read or wrote per key: what its
	// compare-and-set expects, so that many of them succeed.
	seen map[string]string
}

func newLinClient(id int, n *node, seed uint64, h *linHistory) *linClient {
	rdb := n.Client(noRetries, func(o *redis.Options) {
		o.DialTimeout, o.ReadTimeout, o.WriteTimeout = time.Second, linOpTimeout, linOpTimeout
		o.PoolSize, o.MinIdleConns = 1, 0
	})
	return &linClient{id: id, rnd: rand.New(rand.NewPCG(seed, uint64(id))), rdb: rdb, n: n, h: h,
		seen: map[string]string{}}
}

// run issues random operations until stop is closed.
func (c *linClient) run(stop <-chan struct{}) {
	for {
		select {
		case <-stop:
			return
		default:
		}
		pause := time.Duration(c.rnd.IntN(5)) * time.Millisecond
		if !c.step() {
			pause += 20 * time.Millisecond // the node is down or leaderless: do not spin
		}
		time.Sleep(pause)
	}
}

// next picks a random operation on the current generation's keys.
func (c *linClient) next() linInput {
	registers, counter := linKeys(linGen(c.h.now()))
	if c.rnd.IntN(3) == 0 {
		ops := []string{"get", "incr", "incr", "del"}
		return linInput{op: ops[c.rnd.IntN(len(ops))], key: counter}
	}
	key := registers[c.rnd.IntN(len(registers))]
	switch op := []string{"get", "get", "set", "set", "del", "cas", "cas"}[c.rnd.IntN(7)]; op {
	case "set":
		c.seq++
		return linInput{op: op, key: key, value: fmt.Sprintf("c%d-%d", c.id, c.seq)}
	case "cas":
		c.seq++
		return linInput{op: op, key: key, value: fmt.Sprintf("c%d-%d", c.id, c.seq), expect: c.seen[key]}
	default:
		return linInput{op: op, key: key}
	}
}

// step runs one operation and records it unless it surely did nothing.
// It reports whether the operation succeeded.
func (c *linClient) step() bool {
	in := c.next()
	call := c.h.now()
	out, err := c.do(in)
	ret := c.h.now()
	switch {
	case err == nil:
	case in.op == "get":
		c.h.failedReads.Add(1)
		return false // a read that observed nothing
	case notSent(err) || isClusterDown(err):
		c.h.dropped.Add(1)
		return false
	case isRedisError(err):
		out.err = err.Error()
		if !strings.Contains(out.err, "not an integer") {
			out.unknown, ret = true, math.MaxInt64
		}
	default: // timeouts, broken connections, UNCERTAIN
		out.unknown, ret = true, math.MaxInt64
	}
	meta := fmt.Sprintf("client %d on %s", c.id, c.n.addr())
	if err != nil {
		meta += ": " + err.Error()
	}
	c.h.add(porcupine.Operation{ClientId: c.id, Input: in, Call: call, Output: out, Return: ret, Metadata: meta})
	if err == nil {
		c.remember(in, out)
	}
	return err == nil
}

// remember notes the value a successful operation read or wrote.
func (c *linClient) remember(in linInput, out linOutput) {
	switch {
	case in.op == "get" && out.present, in.op == "set", in.op == "cas" && out.n == 1:
		c.seen[in.key] = cmp.Or(out.value, in.value)
	}
}

// do sends one command and decodes its reply.
func (c *linClient) do(in linInput) (linOutput, error) {
	var out linOutput
	var err error
	switch in.op {
	case "get":
		out.value, err = c.rdb.Get(ctx, in.key).Result()
		out.present = err == nil
		if errors.Is(err, redis.Nil) {
			err = nil
		}
	case "set":
		err = c.rdb.Set(ctx, in.key, in.value, 0).Err()
	case "del":
		out.n, err = c.rdb.Del(ctx, in.key).Result()
	case "incr":
		out.n, err = c.rdb.Incr(ctx, in.key).Result()
	case "cas":
		out.n, err = c.cas(in)
	}
	return out, err
}

// linCASScript is casLua for EVALSHA: go-redis's Run sends EVALSHA and, on
// NOSCRIPT (which applied nothing), EVAL.
var linCASScript = redis.NewScript(casLua)

// cas runs the compare-and-set as EVAL or, every other time, as EVALSHA.
func (c *linClient) cas(in linInput) (int64, error) {
	keys := []string{in.key}
	if c.rnd.IntN(2) == 0 {
		return c.rdb.Eval(ctx, casLua, keys, in.expect, in.value).Int64()
	}
	return linCASScript.Run(ctx, c.rdb, keys, in.expect, in.value).Int64()
}

// notSent reports a failure to connect: the command never left the client.
func notSent(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

// isClusterDown reports a CLUSTERDOWN reply, which geetcache documents as
// "the command was not applied" (cluster/errors.go).
func isClusterDown(err error) bool {
	return isRedisError(err) && strings.HasPrefix(err.Error(), "CLUSTERDOWN ")
}

func isRedisError(err error) bool {
	var re redis.Error
	return errors.As(err, &re)
}

// linSeconds is the length of the faulty phase: GEETCACHE_LIN_SECONDS or
// the short CI default.
func linSeconds(t *testing.T) time.Duration {
	s := os.Getenv("GEETCACHE_LIN_SECONDS")
	if s == "" {
		return linDefaultSecs * time.Second
	}
	v, err := strconv.Atoi(s)
	if err != nil || v <= 0 {
		t.Fatalf("bad GEETCACHE_LIN_SECONDS %q", s)
	}
	return time.Duration(v) * time.Second
}

// linFinalReads reads every key of every generation through each node
// once the cluster has healed (a follower forwards the read to the
// leader), and appends the reads to the history: an acknowledged write
// missing here is a linearizability violation.
func linFinalReads(t *testing.T, nodes []*node, h *linHistory) {
	waitForLeader(t, nodes, 15*time.Second)
	last := linGen(h.now())
	for i, n := range nodes {
		rdb := n.Client(noRetries)
		for gen := 0; gen <= last; gen++ {
			registers, counter := linKeys(gen)
			for _, k := range append(registers[:], counter) {
				waitFor(t, 15*time.Second, func() error { return linFinalRead(h, rdb, linClients+i, k) })
			}
		}
	}
}

// linFinalRead reads key through rdb and records the read.
func linFinalRead(h *linHistory, rdb *redis.Client, client int, key string) error {
	call := h.now()
	v, err := rdb.Get(ctx, key).Result()
	if err != nil && !errors.Is(err, redis.Nil) {
		return err
	}
	out := linOutput{present: err == nil, value: v}
	h.add(porcupine.Operation{ClientId: client, Input: linInput{op: "get", key: key},
		Call: call, Output: out, Return: h.now(), Metadata: "final read through " + rdb.Options().Addr})
	return nil
}

// linSeed returns the run's seed: GEETCACHE_E2E_SEED, as for newRand, or
// the clock.
func linSeed(t *testing.T) uint64 {
	if s := os.Getenv("GEETCACHE_E2E_SEED"); s != "" {
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("bad GEETCACHE_E2E_SEED %q: %v", s, err)
		}
		return v
	}
	return uint64(time.Now().UnixNano())
}

// linArgs go to every node: frequent snapshots, so restarts restore one
// and replay a log tail, while the default trailing logs (10240 entries)
// keep a follower that was down a few seconds from needing an installed
// snapshot, which the proxies cannot carry (proxy_test.go).
var linArgs = []string{"--raft-snapshot-threshold", "1024", "--raft-snapshot-interval", "1s"}

// TestLinearizability: at least 8 clients spread over the three nodes run
// GET/SET/INCR/DEL and a scripted compare-and-set (one EVAL or EVALSHA)
// with unique values on three keys at a time while nodes
// are killed, paused, restarted and partitioned (lin_faults_test.go); the
// history, with indeterminate writes returning at infinity and a final
// read of every key through every node after healing, must be
// linearizable per key.
func TestLinearizability(t *testing.T) {
	seed := linSeed(t)
	t.Logf("random seed %d (replay with GEETCACHE_E2E_SEED=%d)", seed, seed)
	rnd := rand.New(rand.NewPCG(seed, seed))
	began := time.Now()
	pc := startProxiedCluster(t, linArgs...)
	nodes := pc.nodes
	waitForLeader(t, nodes, 15*time.Second)
	h := &linHistory{start: time.Now()}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for i := range linClients {
		n := nodes[i%len(nodes)] // every node gets clients
		if i >= len(nodes) {
			n = nodes[rnd.IntN(len(nodes))]
		}
		c := newLinClient(i, n, rnd.Uint64(), h)
		wg.Go(func() { c.run(stop) })
	}
	nm := newLinNemesis(t, pc, rnd, h)
	nm.run(time.Now().Add(linSeconds(t)))
	time.Sleep(time.Second) // a little healthy traffic at the end
	close(stop)
	wg.Wait()
	waitSameDigest(t, nodes)
	linFinalReads(t, nodes, h)
	t.Logf("seed %d: %s; raft term %d at the end; %d writes not applied (CLUSTERDOWN or no connection), %d failed reads",
		seed, nm.summary(), linMaxTerm(nodes), h.dropped.Load(), h.failedReads.Load())
	for _, n := range nodes {
		n.Kill9() // leave both cores to the checker
	}
	linCheck(t, h.ops)
	t.Logf("seed %d: wall time %v", seed, time.Since(began).Round(time.Second))
}

// linCheck runs porcupine on the history and fails with a visualization
// on a violation or when the check cannot finish in time.
func linCheck(t *testing.T, ops []porcupine.Operation) {
	unknown := 0
	var cas [3]int // set, not set, indeterminate
	for _, op := range ops {
		out := op.Output.(linOutput)
		if out.unknown {
			unknown++
		}
		switch {
		case op.Input.(linInput).op != "cas":
		case out.unknown:
			cas[2]++
		case out.n == 1:
			cas[0]++
		default:
			cas[1]++
		}
	}
	start := time.Now()
	res, info := porcupine.CheckOperationsVerbose(linModel, ops, linCheckTimeout)
	t.Logf("%d operations on %d keys, %d indeterminate (scripted compare-and-sets: %d set, %d did not, %d indeterminate); porcupine: %s in %v",
		len(ops), len(linPartition(ops)), unknown, cas[0], cas[1], cas[2], res, time.Since(start).Round(time.Millisecond))
	switch res {
	case porcupine.Ok:
		return
	case porcupine.Unknown:
		t.Fatalf("porcupine could not verify the history within %v", linCheckTimeout)
	}
	dir := os.Getenv("GEETCACHE_LIN_OUT")
	if dir == "" {
		dir = t.TempDir()
	}
	path := filepath.Join(dir, "linearizability.html")
	if err := porcupine.VisualizePath(linModel, info, path); err != nil {
		t.Logf("failed to write the visualization: %v", err)
	}
	linDump(t, ops, filepath.Join(dir, "linearizability.txt"))
	t.Fatalf("history is not linearizable; visualization at %s", path)
}

// linDump writes the history as text, one operation a line in call order.
func linDump(t *testing.T, ops []porcupine.Operation, path string) {
	ops = slices.Clone(ops)
	slices.SortFunc(ops, func(a, b porcupine.Operation) int { return cmp.Compare(a.Call, b.Call) })
	var b strings.Builder
	for _, op := range ops {
		fmt.Fprintf(&b, "%d %d %s [%v]\n", op.Call, op.Return, linDescribeOp(op.Input, op.Output), op.Metadata)
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Logf("failed to write the history: %v", err)
	}
	t.Logf("history written to %s", path)
}

// linOp builds a history entry for the model tests.
func linOp(client int, call, ret int64, in linInput, out linOutput) porcupine.Operation {
	return porcupine.Operation{ClientId: client, Input: in, Call: call, Output: out, Return: ret}
}

// TestLinearizabilityModel: the checker accepts linearizable histories and
// rejects stale reads, lost writes and wrong counters.
func TestLinearizabilityModel(t *testing.T) {
	const inf = math.MaxInt64
	registers, ctr := linKeys(0)
	k := registers[0]
	set := func(v string) linInput { return linInput{op: "set", key: k, value: v} }
	get := linInput{op: "get", key: k}
	got := func(v string) linOutput { return linOutput{present: true, value: v} }
	incr := linInput{op: "incr", key: ctr}
	cas := func(expect, v string) linInput { return linInput{op: "cas", key: k, value: v, expect: expect} }
	cases := []struct {
		name string
		ops  []porcupine.Operation
		want porcupine.CheckResult
	}{
		{"concurrent set and get", []porcupine.Operation{
			linOp(0, 0, 10, set("a"), linOutput{}), linOp(1, 5, 6, get, linOutput{})}, porcupine.Ok},
		{"stale read", []porcupine.Operation{
			linOp(0, 0, 10, set("a"), linOutput{}), linOp(1, 11, 12, get, linOutput{})}, porcupine.Illegal},
		{"lost acknowledged write", []porcupine.Operation{
			linOp(0, 0, 10, set("a"), linOutput{}), linOp(1, 20, 30, set("b"), linOutput{}),
			linOp(2, 40, 50, get, got("a"))}, porcupine.Illegal},
		{"indeterminate write seen", []porcupine.Operation{
			linOp(0, 0, inf, set("a"), linOutput{unknown: true}), linOp(1, 40, 50, get, got("a"))}, porcupine.Ok},
		{"indeterminate write not seen", []porcupine.Operation{
			linOp(0, 0, inf, set("a"), linOutput{unknown: true}), linOp(1, 40, 50, get, linOutput{})}, porcupine.Ok},
		{"indeterminate write cannot undo", []porcupine.Operation{
			linOp(0, 0, inf, set("a"), linOutput{unknown: true}), linOp(1, 40, 50, get, got("a")),
			linOp(1, 60, 70, get, linOutput{})}, porcupine.Illegal},
		{"del counts", []porcupine.Operation{
			linOp(0, 0, 10, set("a"), linOutput{}), linOp(1, 20, 30, linInput{op: "del", key: k}, linOutput{n: 1}),
			linOp(1, 40, 50, linInput{op: "del", key: k}, linOutput{n: 1})}, porcupine.Illegal},
		{"counter", []porcupine.Operation{
			linOp(0, 0, 10, incr, linOutput{n: 1}), linOp(1, 5, 15, incr, linOutput{n: 2}),
			linOp(2, 20, 30, incr, linOutput{n: 3})}, porcupine.Ok},
		{"counter applied twice", []porcupine.Operation{
			linOp(0, 0, 10, incr, linOutput{n: 1}), linOp(2, 20, 30, incr, linOutput{n: 3})}, porcupine.Illegal},
		{"cas sets when the value matches", []porcupine.Operation{
			linOp(0, 0, 10, set("a"), linOutput{}), linOp(1, 20, 30, cas("a", "b"), linOutput{n: 1}),
			linOp(2, 40, 50, get, got("b"))}, porcupine.Ok},
		{"cas concurrent with set", []porcupine.Operation{
			linOp(0, 0, 10, set("a"), linOutput{}), linOp(1, 20, 30, cas("a", "b"), linOutput{n: 0}),
			linOp(2, 15, 35, set("c"), linOutput{}), linOp(1, 40, 50, get, got("c"))}, porcupine.Ok},
		{"cas set on a mismatch", []porcupine.Operation{
			linOp(0, 0, 10, set("a"), linOutput{}), linOp(1, 20, 30, cas("x", "b"), linOutput{n: 1})}, porcupine.Illegal},
		{"cas said 0 but set", []porcupine.Operation{
			linOp(0, 0, 10, set("a"), linOutput{}), linOp(1, 20, 30, cas("a", "b"), linOutput{n: 0}),
			linOp(2, 40, 50, get, got("b"))}, porcupine.Illegal},
		{"cas on an absent key", []porcupine.Operation{
			linOp(0, 0, 10, cas("", "b"), linOutput{n: 1})}, porcupine.Illegal},
		{"indeterminate cas seen", []porcupine.Operation{
			linOp(0, 0, 10, set("a"), linOutput{}), linOp(1, 20, inf, cas("a", "b"), linOutput{unknown: true}),
			linOp(2, 40, 50, get, got("b"))}, porcupine.Ok},
		{"incr on a string", []porcupine.Operation{
			linOp(0, 0, 10, linInput{op: "set", key: ctr, value: "x"}, linOutput{}),
			linOp(1, 20, 30, incr, linOutput{err: "ERR value is not an integer or out of range"})}, porcupine.Ok},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := porcupine.CheckOperationsTimeout(linModel, tc.ops, 10*time.Second); got != tc.want {
				t.Fatalf("check = %s, want %s", got, tc.want)
			}
		})
	}
}
