package main

// Per-link TCP proxies between Raft peers, for network partitions: node i
// reaches node j only through links[i][j], which can pass traffic, cut it
// (connections closed, new ones refused: RPCs fail fast) or stall it
// (connections stay open, bytes are held until the link heals: RPCs hang,
// as behind a dropped route, then arrive late).
//
// Each node names its peers by its own proxies in its bootstrap
// configuration, so each must bootstrap on its own (startProxiedCluster
// checks). Limit: a snapshot installed from the leader would carry the
// leader's view of the addresses, so tests using the proxies must keep the
// trailing logs long enough that no follower ever needs one.

import (
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// linkProxy forwards one direction of Raft traffic: the connections one
// node opens to one peer, and the replies on them.
type linkProxy struct {
	ln      net.Listener
	target  string
	mu      sync.Mutex
	cut     bool
	stalled chan struct{} // non-nil while stalled; closed when traffic flows again
	conns   map[net.Conn]struct{}
}

// newLinkProxy listens on a free loopback port and forwards to target.
func newLinkProxy(t testing.TB, target string) *linkProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("failed to listen for a proxy: %v", err)
	}
	p := &linkProxy{ln: ln, target: target, conns: map[net.Conn]struct{}{}}
	go p.serve()
	t.Cleanup(func() { ln.Close(); p.Cut() })
	return p
}

func (p *linkProxy) addr() string { return p.ln.Addr().String() }

func (p *linkProxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		go p.forward(c)
	}
}

// forward pipes c to a new connection to the target, both ways.
func (p *linkProxy) forward(c net.Conn) {
	up, err := net.DialTimeout("tcp", p.target, time.Second)
	if err != nil {
		c.Close()
		return
	}
	if !p.track(c, up) {
		return
	}
	go p.pipe(up, c)
	p.pipe(c, up)
}

// track registers the pair, or closes both if the link is cut.
func (p *linkProxy) track(a, b net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cut {
		a.Close()
		b.Close()
		return false
	}
	p.conns[a], p.conns[b] = struct{}{}, struct{}{}
	return true
}

// pipe copies src to dst, holding each chunk while the link is stalled.
func (p *linkProxy) pipe(dst, src net.Conn) {
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			p.waitFlowing()
			if _, werr := dst.Write(buf[:n]); werr != nil {
				break
			}
		}
		if err != nil {
			break
		}
	}
	p.untrack(dst, src)
}

func (p *linkProxy) waitFlowing() {
	p.mu.Lock()
	ch := p.stalled
	p.mu.Unlock()
	if ch != nil {
		<-ch
	}
}

func (p *linkProxy) untrack(a, b net.Conn) {
	a.Close()
	b.Close()
	p.mu.Lock()
	delete(p.conns, a)
	delete(p.conns, b)
	p.mu.Unlock()
}

// Cut drops every connection on the link and refuses new ones.
func (p *linkProxy) Cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cut = true
	p.flow()
	for c := range p.conns {
		c.Close()
	}
	clear(p.conns)
}

// Stall holds every byte on the link, in open connections and new ones,
// until Heal (or Cut) lets it through.
func (p *linkProxy) Stall() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stalled == nil {
		p.stalled = make(chan struct{})
	}
}

// Heal lets connections and bytes through again.
func (p *linkProxy) Heal() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cut = false
	p.flow()
}

// flow releases a stall; p.mu is held.
func (p *linkProxy) flow() {
	if p.stalled != nil {
		close(p.stalled)
		p.stalled = nil
	}
}

// proxiedCluster is a three-node cluster whose Raft traffic from node i to
// node j goes through links[i][j]. Each node names itself by its real
// raft address in --peers (the config requires it) and its peers by the
// proxies it dials them through.
type proxiedCluster struct {
	nodes []*node
	links [3][3]*linkProxy
}

// linkFault is what a partition does to a link: linkProxy.Cut or Stall.
type linkFault func(*linkProxy)

var (
	cutLink   linkFault = (*linkProxy).Cut
	stallLink linkFault = (*linkProxy).Stall
)

// isolate cuts every link to and from nodes[i]; heal restores them all.
func (pc *proxiedCluster) isolate(i int) { pc.isolateWith(i, cutLink) }

// isolateWith applies f to every link to and from nodes[i].
func (pc *proxiedCluster) isolateWith(i int, f linkFault) {
	for j := range 3 {
		if j != i {
			pc.splitWith(i, j, f)
		}
	}
}

// splitWith applies f to both links between nodes[i] and nodes[j]; the
// third node still reaches both.
func (pc *proxiedCluster) splitWith(i, j int, f linkFault) {
	f(pc.links[i][j])
	f(pc.links[j][i])
}

// oneWay applies f to the link from nodes[from] to nodes[to] only: RPCs
// from to to fail or hang, RPCs from to to from still get through.
func (pc *proxiedCluster) oneWay(from, to int, f linkFault) { f(pc.links[from][to]) }

func (pc *proxiedCluster) heal() {
	for i := range 3 {
		for j := range 3 {
			if i != j {
				pc.links[i][j].Heal()
			}
		}
	}
}

func (pc *proxiedCluster) index(n *node) int {
	for i, m := range pc.nodes {
		if m == n {
			return i
		}
	}
	panic("node not in the cluster")
}

// startProxiedCluster starts three nodes whose peer links all run
// through linkProxies; extra flags go to every node.
func startProxiedCluster(t *testing.T, extra ...string) *proxiedCluster {
	t.Helper()
	pc := &proxiedCluster{}
	ports := freePorts(t, 6)
	for i := range 3 {
		for j := range 3 {
			if i != j {
				pc.links[i][j] = newLinkProxy(t, "127.0.0.1:"+strconv.Itoa(ports[3+j]))
			}
		}
	}
	peerAddr := func(from, to int) string {
		if from == to {
			return "127.0.0.1:" + strconv.Itoa(ports[3+to])
		}
		return pc.links[from][to].addr()
	}
	// The links stay cut while the nodes start: a node with an empty data
	// directory that reaches a peer already bootstrapped joins it rather
	// than bootstrapping (cluster/probe.go), and would then take that
	// peer's view of the addresses from its log.
	for i := range 3 {
		pc.isolate(i)
	}
	// A short election wait: the isolated node's CLUSTERDOWN comes sooner.
	args := append([]string{"--election-wait", "1s"}, extra...)
	pc.nodes = launchCluster(t, ports, args, peerAddr)
	pc.heal()
	pc.checkViews(t, peerAddr)
	return pc
}

// checkViews fails the test unless every node's Raft configuration names
// each peer by the proxy that node dials it through, so that cutting a
// link cuts what it should.
func (pc *proxiedCluster) checkViews(t *testing.T, peerAddr func(from, to int) string) {
	t.Helper()
	for i, n := range pc.nodes {
		waitFor(t, 10*time.Second, func() error {
			members, err := n.Client(noRetries).Do(ctx, "RAFT", "MEMBERS").Slice()
			if err != nil || len(members) != 3 {
				return fmt.Errorf("RAFT MEMBERS on n%d = %v, %v", i+1, members, err)
			}
			for _, m := range members {
				mm, _ := m.(map[any]any)
				id, _ := mm["id"].(string)
				j, err := strconv.Atoi(strings.TrimPrefix(id, "n"))
				if err != nil || j < 1 || j > 3 {
					return fmt.Errorf("node n%d lists an unknown member %v", i+1, mm)
				}
				if want := peerAddr(i, j-1); mm["raft_addr"] != want {
					return fmt.Errorf("node n%d lists member %v; want %s at %s", i+1, mm, id, want)
				}
			}
			return nil
		})
	}
}
