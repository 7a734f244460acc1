package main

// The skewed-clock linearizability check: keys with a time to live, on a
// three-node cluster whose clocks disagree by seconds (one node runs
// skewOffset ahead, one skewOffset behind: GEETCACHE_TEST_CLOCK_OFFSET,
// a test-only setting), with clients on every node and leadership handed
// to each node in turn. Whatever the clocks say, every node must tell the
// same story about when each key expires.
//
// The model (skewModel) gives each operation the time interval it ran in,
// on the test's clock, and keeps, per key, the interval its deadline lies
// in and the earliest point at which the last operation in the order may
// have taken effect. Operations take effect at non-decreasing points, each
// within its own interval, and a key exists at a point before its
// deadline; the deadline of SET PX or PEXPIRE is the point it took effect
// plus the TTL. Since the cluster's time line may be offset from the
// test's clock by a constant (it is the leader's), only differences of
// time matter, within skewTolerance (commit and read latency). A node
// that judged expiry by its own clock would show a key skewOffset too
// early or too late, far outside it.
//
// The run is linSeconds (GEETCACHE_LIN_SECONDS, 60 s by default) split into
// three phases, one per leader; each phase uses keys of its own, so that a
// change of leader (whose clock may run ahead of the cluster's time line,
// which then jumps forward) never falls inside one key's history.

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/anishathalye/porcupine"
	"github.com/redis/go-redis/v9"
)

const (
	skewOffset     = 4 * time.Second
	skewTolerance  = 500 * time.Millisecond
	skewMinTTL     = 500  // ms
	skewMaxTTL     = 2500 // ms
	skewKeys       = 4    // keys per generation
	skewGeneration = 2 * time.Second
)

// skewOffsets are the nodes' clock offsets: n1 on time, n2 ahead, n3 behind.
var skewOffsets = []time.Duration{0, skewOffset, -skewOffset}

// skewInput is one command with the interval it ran in (ns on the
// history's clock; ret is MaxInt64 when the outcome is unknown).
type skewInput struct {
	op        string // set (PX), setnx (NX PX), pexpire, get, pttl, incr, del
	key       string
	value     int64 // set, setnx
	ms        int64 // set, setnx, pexpire: the TTL
	call, ret int64
}

// skewOutput is a reply.
type skewOutput struct {
	unknown bool  // a write whose outcome is unknown
	ok      bool  // get: the key existed; setnx: OK; pexpire: 1
	n       int64 // get, incr: the value; pttl: the reply; del: keys removed
}

// skewState is one key in the model.
type skewState struct {
	present    bool
	value      int64
	volatile   bool
	dmin, dmax int64 // the deadline lies in [dmin, dmax] when volatile
	at         int64 // the earliest point of the last operation
}

var skewModel = porcupine.NondeterministicModel{
	Partition: func(h []porcupine.Operation) [][]porcupine.Operation {
		return partitionBy(h, func(op porcupine.Operation) string { return op.Input.(skewInput).key })
	},
	Init: func() []any { return []any{skewState{}} },
	Step: func(s, in, out any) []any {
		var states []any
		for _, st := range skewStep(s.(skewState), in.(skewInput), out.(skewOutput)) {
			states = append(states, st)
		}
		return states
	},
	DescribeOperation: skewDescribeOp,
	DescribeState: func(s any) string {
		st := s.(skewState)
		if !st.present {
			return fmt.Sprintf("absent (at %v)", time.Duration(st.at))
		}
		if !st.volatile {
			return fmt.Sprintf("%d (at %v)", st.value, time.Duration(st.at))
		}
		return fmt.Sprintf("%d until [%v, %v] (at %v)", st.value, time.Duration(st.dmin), time.Duration(st.dmax), time.Duration(st.at))
	},
}

// partitionBy splits a history by key, keys in order of first use.
func partitionBy(h []porcupine.Operation, key func(porcupine.Operation) string) [][]porcupine.Operation {
	index := map[string]int{}
	var out [][]porcupine.Operation
	for _, op := range h {
		i, ok := index[key(op)]
		if !ok {
			i = len(out)
			index[key(op)] = i
			out = append(out, nil)
		}
		out[i] = append(out[i], op)
	}
	return out
}

// exists returns s as it is if the operation takes effect while the key
// exists (ok false if it cannot) and as it is if it takes effect while the
// key does not (gone false if it cannot), each with the earliest such
// point. A point is no earlier than the call and the previous operation's
// point, no later than the return.
func (s skewState) exists(in skewInput) (live skewState, ok bool, dead skewState, gone bool) {
	from := max(in.call, s.at)
	if from > in.ret {
		return s, false, s, false
	}
	live, dead = s, skewState{at: from}
	live.at = from
	switch {
	case !s.present:
		return live, false, dead, true
	case !s.volatile:
		return live, true, dead, false
	}
	dead.at = max(from, s.dmin)
	return live, from < s.dmax, dead, dead.at <= in.ret
}

// expireAt gives s a deadline ms after the operation's point.
func (s skewState) expireAt(in skewInput, ms int64) skewState {
	s.volatile = true
	s.dmin = s.at + ms*1e6 - int64(skewTolerance)
	s.dmax = satAdd(in.ret, ms*1e6+int64(skewTolerance))
	return s
}

func satAdd(a, b int64) int64 {
	if a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}

// skewStep returns the states after in with reply out.
func skewStep(s skewState, in skewInput, out skewOutput) []skewState {
	live, ok, dead, gone := s.exists(in)
	var next []skewState
	add := func(cond bool, st skewState) {
		if cond {
			next = append(next, st)
		}
	}
	switch in.op {
	case "get":
		add(ok && out.ok && live.value == out.n, live)
		add(gone && !out.ok, dead)
	case "pttl":
		add(gone && out.n == -2, dead)
		add(ok && !live.volatile && out.n == -1, live)
		if ok && live.volatile && out.n >= 0 { // the point is the deadline less the reply
			at := max(live.at, live.dmin-out.n*1e6)
			add(at <= min(in.ret, live.dmax-out.n*1e6), skewState{true, live.value, true, live.dmin, live.dmax, at})
		}
	case "set":
		if ok || gone {
			st := skewState{present: true, value: in.value, at: live.at}
			add(true, st.expireAt(in, in.ms))
		}
		add(out.unknown, s)
	case "setnx":
		add(gone && (out.ok || out.unknown), skewState{present: true, value: in.value, at: dead.at}.expireAt(in, in.ms))
		add(ok && (!out.ok || out.unknown), live)
		add(out.unknown, s)
	case "pexpire":
		add(ok && (out.ok || out.unknown), live.expireAt(in, in.ms))
		add(gone && (!out.ok || out.unknown), dead)
		add(out.unknown, s)
	case "incr":
		incr := live
		incr.value++
		add(ok && (out.unknown || out.n == incr.value), incr)
		add(gone && (out.unknown || out.n == 1), skewState{present: true, value: 1, at: dead.at})
		add(out.unknown, s)
	case "del":
		add(ok && (out.unknown || out.n == 1), skewState{at: live.at})
		add(gone && (out.unknown || out.n == 0), dead)
		add(out.unknown, s)
	}
	return next
}

func skewDescribeOp(in, out any) string {
	i, o := in.(skewInput), out.(skewOutput)
	call := strings.ToUpper(i.op) + " " + i.key
	switch i.op {
	case "set", "setnx":
		call += fmt.Sprintf(" %d PX %d", i.value, i.ms)
	case "pexpire":
		call += fmt.Sprintf(" %d", i.ms)
	}
	switch {
	case o.unknown:
		return call + " -> ?"
	case i.op == "get" && !o.ok, i.op == "setnx" && !o.ok:
		return call + " -> nil"
	case i.op == "get", i.op == "incr":
		return call + " -> " + strconv.FormatInt(o.n, 10)
	case i.op == "set", i.op == "setnx":
		return call + " -> OK"
	case i.op == "pexpire" && o.ok:
		return call + " -> 1"
	case i.op == "pexpire":
		return call + " -> 0"
	}
	return call + " -> " + strconv.FormatInt(o.n, 10)
}

// skewClient is one worker bound to one node.
type skewClient struct {
	id     int
	rnd    *rand.Rand
	rdb    *redis.Client
	h      *linHistory
	seq    int64
	prefix func() string // the keys of the phase and generation now
}

// next picks a random operation on the current generation's keys.
func (c *skewClient) next() skewInput {
	in := skewInput{key: c.prefix() + strconv.Itoa(c.rnd.IntN(skewKeys)),
		ms: int64(skewMinTTL + c.rnd.IntN(skewMaxTTL-skewMinTTL))}
	ops := []string{"set", "set", "setnx", "pexpire", "get", "get", "get", "pttl", "pttl", "incr", "del"}
	in.op = ops[c.rnd.IntN(len(ops))]
	c.seq++
	in.value = (int64(c.id)*1_000_000 + c.seq) * 1000 // far apart: INCRs never make one another's
	return in
}

// step runs one operation and records it unless it surely did nothing.
func (c *skewClient) step() {
	in := c.next()
	in.call = c.h.now()
	out, err := c.do(in)
	in.ret = c.h.now()
	switch {
	case err == nil:
	case in.op == "get" || in.op == "pttl":
		c.h.failedReads.Add(1)
		return
	case notSent(err) || isClusterDown(err):
		c.h.dropped.Add(1)
		return
	default: // timeouts, broken connections, UNCERTAIN, other errors
		out.unknown, in.ret = true, math.MaxInt64
	}
	meta := fmt.Sprintf("client %d on %s", c.id, c.rdb.Options().Addr)
	if err != nil {
		meta += ": " + err.Error()
	}
	c.h.add(porcupine.Operation{ClientId: c.id, Input: in, Call: in.call, Output: out, Return: in.ret, Metadata: meta})
}

// do sends one command and decodes its reply.
func (c *skewClient) do(in skewInput) (skewOutput, error) {
	var out skewOutput
	var err error
	ttl := time.Duration(in.ms) * time.Millisecond
	switch in.op {
	case "get":
		var v string
		v, err = c.rdb.Get(ctx, in.key).Result()
		if out.ok = err == nil; out.ok {
			out.n, err = strconv.ParseInt(v, 10, 64)
		}
	case "pttl":
		out.n, err = c.rdb.Do(ctx, "PTTL", in.key).Int64()
	case "set":
		err = c.rdb.Set(ctx, in.key, in.value, ttl).Err()
	case "setnx":
		err = c.rdb.SetArgs(ctx, in.key, in.value, redis.SetArgs{Mode: "NX", TTL: ttl}).Err()
		out.ok = err == nil
	case "pexpire":
		out.ok, err = c.rdb.PExpire(ctx, in.key, ttl).Result()
	case "incr":
		out.n, err = c.rdb.Incr(ctx, in.key).Result()
	case "del":
		out.n, err = c.rdb.Del(ctx, in.key).Result()
	}
	if errors.Is(err, redis.Nil) {
		err = nil
	}
	return out, err
}

// TestLinearizabilitySkewedClocks: nine clients, three on each node of a
// cluster whose nodes' clocks are 0, +4 s and -4 s off, run SET PX, SET NX
// PX, PEXPIRE, GET, PTTL, INCR and DEL on keys that live 0.5-2.5 s, while
// leadership goes to each node in turn; the history must be linearizable
// per key under the timed model (skewModel).
func TestLinearizabilitySkewedClocks(t *testing.T) {
	seed := linSeed(t)
	t.Logf("random seed %d (replay with GEETCACHE_E2E_SEED=%d)", seed, seed)
	rnd := rand.New(rand.NewPCG(seed, seed))
	nodes := startClusterWith(t, func(i int, n *node) {
		n.env = append(n.env, testClockOffsetEnv+"="+skewOffsets[i].String())
	})
	waitForLeader(t, nodes, 15*time.Second)
	h := &linHistory{start: time.Now()}
	phase := linSeconds(t) / 3
	skipped := map[string]bool{}
	for p, target := range []int{2, 0, 1} { // behind, on time, ahead
		skewTransfer(t, nodes, target)
		term := linMaxTerm(nodes)
		prefix := fmt.Sprintf("skew:%d:", p)
		skewPhase(t, nodes, rnd, h, prefix, phase)
		if now := linMaxTerm(nodes); now != term {
			// The new leader's time may lie ahead (its clock, or the
			// 0.5 s jump): the time line moved, which the model, with
			// one offset per phase, does not allow.
			t.Logf("phase %d: the raft term moved from %d to %d, an unplanned election: left out of the check", p, term, now)
			skipped[strings.TrimSuffix(prefix, ":")] = true
		}
	}
	t.Logf("%d writes not applied (CLUSTERDOWN or no connection), %d failed reads", h.dropped.Load(), h.failedReads.Load())
	for _, n := range nodes {
		n.Kill9() // leave both cores to the checker
	}
	if len(skipped) == 3 {
		t.Fatal("an unplanned election in every phase: nothing to check")
	}
	skewCheck(t, slices.DeleteFunc(h.ops, func(op porcupine.Operation) bool { return skipped[skewPhaseOf(op)] }))
}

// skewPhaseOf is the phase of an operation, from its key.
func skewPhaseOf(op porcupine.Operation) string {
	k := op.Input.(skewInput).key
	return k[:strings.Index(k[len("skew:"):], ":")+len("skew:")]
}

// skewTransfer hands leadership to nodes[target] and waits until it leads.
func skewTransfer(t *testing.T, nodes []*node, target int) {
	t.Helper()
	id := "n" + strconv.Itoa(target+1)
	waitFor(t, 20*time.Second, func() error {
		leader := waitForLeader(t, nodes, 15*time.Second)
		if leader == nodes[target] {
			return nil
		}
		if err := leader.Client(noRetries).Do(ctx, "RAFT", "TRANSFER", id).Err(); err != nil {
			return fmt.Errorf("RAFT TRANSFER %s: %v", id, err)
		}
		return fmt.Errorf("%s does not lead yet", id)
	})
	t.Logf("%s (clock offset %v) leads", id, skewOffsets[target])
}

// skewPhase runs the clients for d on keys named from prefix.
func skewPhase(t *testing.T, nodes []*node, rnd *rand.Rand, h *linHistory, prefix string, d time.Duration) {
	start := time.Now()
	keys := func() string {
		return prefix + strconv.Itoa(int(time.Since(start)/skewGeneration)) + ":"
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for i := range linClients {
		n := nodes[i%len(nodes)]
		rdb := n.Client(noRetries, func(o *redis.Options) {
			o.DialTimeout, o.ReadTimeout, o.WriteTimeout = time.Second, linOpTimeout, linOpTimeout
			o.PoolSize, o.MinIdleConns = 1, 0
		})
		c := &skewClient{id: i, rnd: rand.New(rand.NewPCG(rnd.Uint64(), uint64(i))), rdb: rdb, h: h, prefix: keys}
		wg.Go(func() {
			defer rdb.Close()
			for {
				select {
				case <-stop:
					return
				default:
				}
				c.step()
				time.Sleep(time.Duration(1+c.rnd.IntN(5)) * time.Millisecond)
			}
		})
	}
	time.Sleep(d)
	close(stop)
	wg.Wait()
}

// skewCheck runs porcupine on the history and fails with a visualization
// on a violation or when the check cannot finish in time.
func skewCheck(t *testing.T, ops []porcupine.Operation) {
	model := skewModel.ToModel()
	for _, phase := range partitionBy(ops, skewPhaseOf) { // for the log: which leaders' phases fail
		res := porcupine.CheckOperationsTimeout(model, phase, linCheckTimeout)
		t.Logf("phase %s: %d operations: %s", skewPhaseOf(phase[0]), len(phase), res)
	}
	start := time.Now()
	res, info := porcupine.CheckOperationsVerbose(model, ops, linCheckTimeout)
	t.Logf("%d operations on %d keys; porcupine: %s in %v", len(ops), len(model.Partition(ops)), res,
		time.Since(start).Round(time.Millisecond))
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
	if err := porcupine.VisualizePath(model, info, path); err != nil {
		t.Logf("failed to write the visualization: %v", err)
	}
	t.Fatalf("history is not linearizable; visualization at %s", path)
}

// TestSkewModel: the timed model accepts what expiry allows and rejects a
// key seen too early gone, seen after its deadline, seen again after it
// was seen gone, or written as if absent while alive.
func TestSkewModel(t *testing.T) {
	const ms = int64(time.Millisecond)
	op := func(client int, in skewInput, call, ret int64, out skewOutput) porcupine.Operation {
		in.key, in.call, in.ret = "skew:0:0:0", call*ms, ret*ms
		return porcupine.Operation{ClientId: client, Input: in, Call: in.call, Output: out, Return: in.ret}
	}
	set := op(0, skewInput{op: "set", value: 7, ms: 1000}, 0, 10, skewOutput{})
	get := skewInput{op: "get"}
	alive, gone := skewOutput{ok: true, n: 7}, skewOutput{}
	pttl := skewInput{op: "pttl"}
	cases := []struct {
		name string
		ops  []porcupine.Operation
		want porcupine.CheckResult
	}{
		{"alive before the deadline", []porcupine.Operation{set, op(1, get, 100, 110, alive)}, porcupine.Ok},
		{"gone after the deadline", []porcupine.Operation{set, op(1, get, 1600, 1610, gone)}, porcupine.Ok},
		{"gone within the tolerance", []porcupine.Operation{set, op(1, get, 700, 710, gone)}, porcupine.Ok},
		{"gone seconds early", []porcupine.Operation{set, op(1, get, 100, 110, gone)}, porcupine.Illegal},
		{"alive seconds late", []porcupine.Operation{set, op(1, get, 3000, 3010, alive)}, porcupine.Illegal},
		{"alive again after gone", []porcupine.Operation{set, op(1, get, 900, 910, gone), op(2, get, 920, 930, alive)},
			porcupine.Illegal},
		{"pttl counts down", []porcupine.Operation{set, op(1, pttl, 300, 310, skewOutput{n: 700})}, porcupine.Ok},
		{"pttl seconds off", []porcupine.Operation{set, op(1, pttl, 300, 310, skewOutput{n: 3700})}, porcupine.Illegal},
		{"pttl then gone too early", []porcupine.Operation{set, op(1, pttl, 300, 310, skewOutput{n: 700}),
			op(2, get, 320, 330, gone)}, porcupine.Illegal},
		{"set nx on a live key", []porcupine.Operation{set,
			op(1, skewInput{op: "setnx", value: 8, ms: 1000}, 100, 110, skewOutput{ok: true})}, porcupine.Illegal},
		{"incr after expiry starts over", []porcupine.Operation{set,
			op(1, skewInput{op: "incr"}, 1600, 1610, skewOutput{n: 1})}, porcupine.Ok},
		{"incr keeps the ttl", []porcupine.Operation{set, op(1, skewInput{op: "incr"}, 100, 110, skewOutput{n: 8}),
			op(2, get, 1600, 1610, gone)}, porcupine.Ok},
		{"pexpire extends", []porcupine.Operation{set,
			op(1, skewInput{op: "pexpire", ms: 5000}, 100, 110, skewOutput{ok: true}), op(2, get, 3000, 3010, alive)}, porcupine.Ok},
		{"unknown set may land late", []porcupine.Operation{
			op(0, skewInput{op: "set", value: 7, ms: 1000}, 0, math.MaxInt64/ms, skewOutput{unknown: true}),
			op(1, get, 3000, 3010, alive)}, porcupine.Ok},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := porcupine.CheckOperationsTimeout(skewModel.ToModel(), tc.ops, 10*time.Second); got != tc.want {
				t.Fatalf("check = %s, want %s", got, tc.want)
			}
		})
	}
}
