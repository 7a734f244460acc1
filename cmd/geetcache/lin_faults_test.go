package main

// The fault schedule of the linearizability check: one fault at a time,
// drawn from the run's seed, against a cluster whose Raft links run through
// proxies (proxy_test.go).

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// linPlan is everything random about one fault, drawn before it starts in
// a fixed order, so that the schedule depends only on the seed even though
// which node leads depends on timing.
type linPlan struct {
	kind  int
	a, b  int           // two distinct node indexes
	pick  int           // chooses among the nodes a fault can hit (e.g. followers)
	stall bool          // partitions: stall the links rather than cut them
	hold  time.Duration // how long the fault lasts
	gap   time.Duration // health before the fault
}

// linFault is one kind of fault: run injects it, waits p.hold and heals.
// It returns a description for the log.
type linFault struct {
	name      string
	weight    int
	partition bool // a network fault: held longer than an election timeout
	run       func(nm *linNemesis, p linPlan) string
}

// linFaultKinds are the faults, with how often each is drawn.
var linFaultKinds = []linFault{
	{"kill", 3, false, (*linNemesis).kill},
	{"pause", 3, false, (*linNemesis).pause},
	{"restart", 1, false, (*linNemesis).restart},
	{"crash-all", 1, false, (*linNemesis).crashAll},
	{"isolate-leader", 3, true, (*linNemesis).isolateLeader},
	{"isolate-follower", 2, true, (*linNemesis).isolateFollower},
	{"split-pair", 1, true, (*linNemesis).splitPair},
	{"one-way", 2, true, (*linNemesis).oneWay},
	{"failover", 2, false, (*linNemesis).failover},
}

// linNemesis injects faults into a proxied cluster and counts them by kind.
type linNemesis struct {
	t      *testing.T
	pc     *proxiedCluster
	rnd    *rand.Rand
	since  func() time.Duration // time on the history's clock, for the log
	counts map[string]int
}

func newLinNemesis(t *testing.T, pc *proxiedCluster, rnd *rand.Rand, h *linHistory) *linNemesis {
	return &linNemesis{t: t, pc: pc, rnd: rnd, since: func() time.Duration { return time.Duration(h.now()) },
		counts: map[string]int{}}
}

// run injects faults until the deadline, then leaves every node running
// and every link healed.
func (nm *linNemesis) run(until time.Time) {
	total := 0
	for _, f := range linFaultKinds {
		total += f.weight
	}
	for time.Now().Before(until) {
		p := nm.plan(total)
		time.Sleep(p.gap)
		f := linFaultKinds[p.kind]
		start := nm.since()
		desc := f.run(nm, p)
		nm.t.Logf("fault at %v: %s: %s, healed at %v", start.Round(time.Millisecond), f.name, desc,
			nm.since().Round(time.Millisecond))
		nm.counts[f.name]++
	}
}

// plan draws one fault. Partitions last 1-4 s (longer than an election
// timeout), process faults 0.5-2 s; 0.3-1 s of health comes before each.
func (nm *linNemesis) plan(totalWeight int) linPlan {
	r := nm.rnd
	p := linPlan{gap: time.Duration(300+r.IntN(700)) * time.Millisecond}
	w := r.IntN(totalWeight)
	for p.kind = 0; w >= linFaultKinds[p.kind].weight; p.kind++ {
		w -= linFaultKinds[p.kind].weight
	}
	p.a = r.IntN(3)
	p.b = (p.a + 1 + r.IntN(2)) % 3
	p.pick = r.IntN(6)
	p.stall = r.IntN(2) == 0
	if linFaultKinds[p.kind].partition {
		p.hold = time.Duration(1000+r.IntN(3000)) * time.Millisecond
	} else {
		p.hold = time.Duration(500+r.IntN(1500)) * time.Millisecond
	}
	return p
}

// summary lists the faults injected, by kind, in a fixed order.
func (nm *linNemesis) summary() string {
	var parts []string
	total := 0
	for _, f := range linFaultKinds {
		parts = append(parts, f.name+"="+strconv.Itoa(nm.counts[f.name]))
		total += nm.counts[f.name]
	}
	return fmt.Sprintf("%d faults (%s)", total, strings.Join(parts, " "))
}

func (nm *linNemesis) kill(p linPlan) string {
	n := nm.pc.nodes[p.a]
	n.Kill9()
	time.Sleep(p.hold)
	n.Restart()
	return fmt.Sprintf("kill -9 %s, restarted after %v", nm.name(p.a), p.hold)
}

func (nm *linNemesis) pause(p linPlan) string {
	n := nm.pc.nodes[p.a]
	syscall.Kill(n.pid(), syscall.SIGSTOP)
	time.Sleep(p.hold)
	syscall.Kill(n.pid(), syscall.SIGCONT)
	return fmt.Sprintf("SIGSTOP %s, SIGCONT after %v", nm.name(p.a), p.hold)
}

// restart stops a node cleanly (SIGTERM, which must exit 0) and starts it
// again.
func (nm *linNemesis) restart(p linPlan) string {
	n := nm.pc.nodes[p.a]
	if code := n.Term(); code != 0 {
		nm.t.Errorf("SIGTERM %s under load: exit code %d, want 0", nm.name(p.a), code)
	}
	time.Sleep(p.hold / 4)
	n.Restart()
	return fmt.Sprintf("SIGTERM %s, restarted after %v", nm.name(p.a), p.hold/4)
}

// crashAll kills every node at once and restarts them all.
func (nm *linNemesis) crashAll(p linPlan) string {
	for _, n := range nm.pc.nodes {
		n.Kill9()
	}
	time.Sleep(p.hold)
	for _, n := range nm.pc.nodes {
		n.Restart()
	}
	return fmt.Sprintf("kill -9 all three, restarted after %v", p.hold)
}

// isolateLeader puts the leader (or, with none, node a) alone in a
// minority.
func (nm *linNemesis) isolateLeader(p linPlan) string {
	i := nm.leader()
	who := "leader "
	if i < 0 {
		i, who = p.a, "no leader known; "
	}
	nm.partition(p, func(f linkFault) { nm.pc.isolateWith(i, f) })
	return fmt.Sprintf("%s%s isolated (%s) for %v", who, nm.name(i), linkMode(p), p.hold)
}

// isolateFollower puts one of the leader's followers alone.
func (nm *linNemesis) isolateFollower(p linPlan) string {
	l := nm.leader()
	var followers []int
	for i := range 3 {
		if i != l {
			followers = append(followers, i)
		}
	}
	i, who := followers[p.pick%len(followers)], "follower "
	if l < 0 {
		who = "no leader known; "
	}
	nm.partition(p, func(f linkFault) { nm.pc.isolateWith(i, f) })
	return fmt.Sprintf("%s%s isolated (%s) for %v", who, nm.name(i), linkMode(p), p.hold)
}

// splitPair cuts the links between two nodes both ways; the third still
// reaches both.
func (nm *linNemesis) splitPair(p linPlan) string {
	note := nm.leaderNote()
	nm.partition(p, func(f linkFault) { nm.pc.splitWith(p.a, p.b, f) })
	return fmt.Sprintf("%s and %s split (%s) for %v, %s reaches both%s", nm.name(p.a), nm.name(p.b), linkMode(p),
		p.hold, nm.name(3-p.a-p.b), note)
}

// oneWay cuts one direction: RPCs from a to b fail or hang while RPCs
// from b to a get through.
func (nm *linNemesis) oneWay(p linPlan) string {
	note := nm.leaderNote()
	nm.partition(p, func(f linkFault) { nm.pc.oneWay(p.a, p.b, f) })
	return fmt.Sprintf("link %s -> %s only (%s) for %v%s", nm.name(p.a), nm.name(p.b), linkMode(p), p.hold, note)
}

// failover asks for the leadership to move: FAILOVER sent to the leader
// (TO node b when b follows), or CLUSTER FAILOVER sent to a follower, then
// holds. Either may be refused or time out (a follower out of touch, no
// leader known); the reply is logged.
func (nm *linNemesis) failover(p linPlan) string {
	l := nm.leader()
	if l < 0 {
		time.Sleep(p.hold)
		return "no leader known; nothing asked"
	}
	var at int
	var args []any
	if p.pick%2 == 0 {
		at, args = l, []any{"FAILOVER", "TIMEOUT", "2000"}
		if p.b != l {
			host, port, _ := strings.Cut(nm.pc.nodes[p.b].addr(), ":")
			args = append(args, "TO", host, port)
		}
	} else {
		at, args = p.a, []any{"CLUSTER", "FAILOVER"}
		if at == l {
			at = p.b
		}
	}
	c := redis.NewClient(&redis.Options{Addr: nm.pc.nodes[at].addr(), MaxRetries: -1, PoolSize: 1,
		DialTimeout: 500 * time.Millisecond, ReadTimeout: 2 * time.Second})
	reply, err := c.Do(ctx, args...).Result()
	c.Close()
	time.Sleep(p.hold)
	return fmt.Sprintf("%v sent to %s (leader n%d): %v %v, held %v", args, nm.name(at), l+1, reply, err, p.hold)
}

// partition applies apply with the plan's link fault, holds, and heals.
func (nm *linNemesis) partition(p linPlan, apply func(linkFault)) {
	f := cutLink
	if p.stall {
		f = stallLink
	}
	apply(f)
	time.Sleep(p.hold)
	nm.pc.heal()
}

func linkMode(p linPlan) string {
	if p.stall {
		return "stalled"
	}
	return "cut"
}

func (nm *linNemesis) name(i int) string { return fmt.Sprintf("n%d (%s)", i+1, nm.pc.nodes[i].addr()) }

func (nm *linNemesis) leaderNote() string {
	if l := nm.leader(); l >= 0 {
		return "; leader was n" + strconv.Itoa(l+1)
	}
	return "; no leader known"
}

// leader returns the index of the node that leads in the highest term, or
// -1 when none answers as leader.
func (nm *linNemesis) leader() int {
	best, bestTerm := -1, uint64(0)
	for i, n := range nm.pc.nodes {
		info := linRaftInfo(n)
		term, _ := strconv.ParseUint(info["raft_term"], 10, 64)
		if info["raft_state"] == "Leader" && (best < 0 || term > bestTerm) {
			best, bestTerm = i, term
		}
	}
	return best
}

// linRaftInfo returns n's INFO raft fields, or none if it does not answer
// within half a second.
func linRaftInfo(n *node) map[string]string {
	c := redis.NewClient(&redis.Options{Addr: n.addr(), MaxRetries: -1, PoolSize: 1,
		DialTimeout: 500 * time.Millisecond, ReadTimeout: 500 * time.Millisecond})
	defer c.Close()
	info, err := c.Info(ctx, "raft").Result()
	fields := map[string]string{}
	if err != nil {
		return fields
	}
	for _, line := range strings.Split(info, "\r\n") {
		if k, v, ok := strings.Cut(line, ":"); ok {
			fields[k] = v
		}
	}
	return fields
}

// linMaxTerm is the highest Raft term any node reports: how many elections
// the run went through, roughly.
func linMaxTerm(nodes []*node) uint64 {
	var terms []uint64
	for _, n := range nodes {
		t, _ := strconv.ParseUint(linRaftInfo(n)["raft_term"], 10, 64)
		terms = append(terms, t)
	}
	return slices.Max(terms)
}
