package main

import (
	"bufio"
	"crypto/tls"
	"fmt"
	"net"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/go-msgpack/v2/codec"
	"github.com/hashicorp/raft"
	"github.com/redis/go-redis/v9"

	"github.com/geetcache/geetcache/tlsconf/tlstest"
)

// tlsClusterFiles are the certificates of a -tls-cluster test: the
// cluster's CA, one certificate per node, and a rogue CA's certificate.
type tlsClusterFiles struct {
	tlstest.Files
	nodes [][2]string // cert, key of n1..n3
}

func makeTLSClusterFiles(t *testing.T) tlsClusterFiles {
	t.Helper()
	dir := t.TempDir()
	f := tlsClusterFiles{Files: tlstest.Write(t, dir)}
	for i := range 3 {
		c, k := f.CAObj.WritePair(t, dir, fmt.Sprintf("n%d", i+1))
		f.nodes = append(f.nodes, [2]string{c, k})
	}
	return f
}

// tlsNodeArgs are the flags of a node with -tls-cluster yes on tlsPort.
func tlsNodeArgs(tlsPort int, cert, key, ca string) []string {
	return []string{"--tls-port", strconv.Itoa(tlsPort), "--tls-cert-file", cert, "--tls-key-file", key,
		"--tls-ca-cert-file", ca, "--tls-cluster", "yes"}
}

// startTLSCluster starts three nodes with -tls-cluster yes: plain client
// ports for the test's clients, TLS ports for the links between nodes.
func startTLSCluster(t *testing.T, f tlsClusterFiles) (nodes []*node, tlsPorts []int) {
	t.Helper()
	tlsPorts = freePorts(t, 3)
	nodes = startClusterWith(t, func(i int, n *node) {
		n.args = append(n.args, tlsNodeArgs(tlsPorts[i], f.nodes[i][0], f.nodes[i][1], f.CA)...)
	})
	return nodes, tlsPorts
}

// memberIDs lists the ids RAFT MEMBERS names on n, sorted.
func memberIDs(n *node) ([]string, error) {
	reply, err := n.Client(noRetries).Do(ctx, "RAFT", "MEMBERS").Slice()
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, r := range reply {
		if m, ok := r.(map[any]any); ok {
			ids = append(ids, fmt.Sprint(m["id"]))
		}
	}
	slices.Sort(ids)
	return ids, nil
}

// TestTLSClusterWorks: three nodes with -tls-cluster yes form a cluster over
// mutual TLS, forward writes and serve reads through a follower (links to
// the leader's TLS port), relay a user's commands (RAFT AUTH over a node's
// link), serve TLS clients (with a client certificate of the CA) on every
// node's TLS port, and fail over when the leader is killed.
func TestTLSClusterWorks(t *testing.T) {
	f := makeTLSClusterFiles(t)
	nodes, tlsPorts := startTLSCluster(t, f)
	leader := waitForLeader(t, nodes, 10*time.Second)
	follower := others(nodes, leader)[0]
	fc := follower.Client(noRetries)
	if got, err := fc.ConfigGet(ctx, "tls-cluster").Result(); err != nil || got["tls-cluster"] != "yes" {
		t.Fatalf("CONFIG GET tls-cluster: %v, %v", got, err)
	}
	waitFor(t, 10*time.Second, func() error { return fc.Set(ctx, "k", "v1", 0).Err() })
	if got, err := fc.Get(ctx, "k").Result(); err != nil || got != "v1" {
		t.Fatalf("GET through the follower: %q, %v", got, err)
	}
	// A user's commands reach the leader over a link logged in as that user.
	if err := fc.Do(ctx, "ACL", "SETUSER", "alice", "on", ">pw", "~*", "+@all").Err(); err != nil {
		t.Fatalf("ACL SETUSER through the follower: %v", err)
	}
	ac := follower.Client(noRetries, func(o *redis.Options) { o.Username, o.Password = "alice", "pw" })
	waitFor(t, 10*time.Second, func() error { return ac.Set(ctx, "a", "1", 0).Err() })
	if p := leaderTLSPort(t, follower); !slices.Contains(tlsPorts, p) {
		t.Fatalf("the leader's client address has port %d, not one of the TLS ports %v", p, tlsPorts)
	}
	// A TLS client with a client certificate of the CA works on every
	// node's TLS port: each writes a key, every node reads all of them.
	ccfg := tlsClientConfig(t, f.CA, f.ClientCert, f.ClientKey)
	var tcs []*redis.Client
	for i, p := range tlsPorts {
		tc := redis.NewClient(&redis.Options{Addr: "127.0.0.1:" + strconv.Itoa(p), TLSConfig: ccfg, MaxRetries: -1})
		t.Cleanup(func() { tc.Close() })
		tcs = append(tcs, tc)
		if err := tc.Set(ctx, fmt.Sprintf("tls:%d", i), i, 0).Err(); err != nil {
			t.Fatalf("SET over TLS on node %d: %v", i+1, err)
		}
	}
	for i, tc := range tcs {
		for j := range tlsPorts {
			if got, err := tc.Get(ctx, fmt.Sprintf("tls:%d", j)).Int(); err != nil || got != j {
				t.Fatalf("GET tls:%d over TLS on node %d: %v, %v", j, i+1, got, err)
			}
		}
	}

	leader.Kill9()
	next := waitForLeader(t, others(nodes, leader), 10*time.Second)
	rest := others(others(nodes, leader), next)[0]
	rc := rest.Client(noRetries)
	waitFor(t, 10*time.Second, func() error { return rc.Set(ctx, "k", "v2", 0).Err() })
	if got, err := rc.Get(ctx, "k").Result(); err != nil || got != "v2" {
		t.Fatalf("GET after failover: %q, %v", got, err)
	}
	leader.Restart()
	waitSameDigest(t, nodes)
}

// leaderTLSPort is the port of the leader's client address in follower's
// RAFT MEMBERS.
func leaderTLSPort(t *testing.T, follower *node) int {
	t.Helper()
	reply, err := follower.Client(noRetries).Do(ctx, "RAFT", "MEMBERS").Slice()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range reply {
		if m, ok := r.(map[any]any); ok && fmt.Sprint(m["role"]) == "leader" {
			_, p, _ := net.SplitHostPort(fmt.Sprint(m["client_addr"]))
			port, _ := strconv.Atoi(p)
			return port
		}
	}
	t.Fatalf("no leader in RAFT MEMBERS: %v", reply)
	return 0
}

// TestTLSClusterRefusesOutsiders: against a -tls-cluster yes cluster, a
// process without a certificate of the cluster's CA gets no Raft RPC
// accepted (a forged AppendEntries on plain TCP, or TLS with another CA's
// certificate), cannot join (with another CA's certificate through the TLS
// port, or with none through the plain port), receives no data, cannot
// connect to the TLS port the nodes forward to, and cannot run the
// commands of the links between nodes; the leader's membership
// stays as it was, its term does not take the forged one, and it logs
// each refused Raft connection.
func TestTLSClusterRefusesOutsiders(t *testing.T) {
	f := makeTLSClusterFiles(t)
	nodes, tlsPorts := startTLSCluster(t, f)
	leader := waitForLeader(t, nodes, 10*time.Second)
	lc := leader.Client(noRetries)
	waitFor(t, 10*time.Second, func() error { return lc.Set(ctx, "secret", "v", 0).Err() })
	want, err := memberIDs(leader)
	if err != nil {
		t.Fatal(err)
	}
	raftAddr := "127.0.0.1:" + strconv.Itoa(leader.raftPort)

	t.Run("forged AppendEntries on plain TCP", func(t *testing.T) {
		term := raftTerm(t, leader)
		if err := forgeAppend(raftAddr, term+1); err == nil {
			t.Fatal("the leader answered a forged AppendEntries")
		} else {
			t.Logf("forged AppendEntries: %v", err)
		}
		// Checked at once: a real election, which a loaded machine may
		// see at any time, would move the term too.
		if got := raftTerm(t, leader); got != term {
			t.Fatalf("the leader's term moved from %d to %d", term, got)
		}
		waitFor(t, 5*time.Second, func() error {
			if !leader.logged("refused a Raft connection: TLS handshake failed") {
				return fmt.Errorf("the leader did not log the refusal")
			}
			return nil
		})
	})
	t.Run("Raft over TLS with another CA's certificate", func(t *testing.T) {
		cert, err := tls.LoadX509KeyPair(f.RogueCert, f.RogueKey)
		if err != nil {
			t.Fatal(err)
		}
		cfg := &tls.Config{InsecureSkipVerify: true,
			GetClientCertificate: func(*tls.CertificateRequestInfo) (*tls.Certificate, error) { return &cert, nil }}
		if err := tlsExchange(raftAddr, cfg); err == nil {
			t.Fatal("the leader's Raft port accepted another CA's certificate")
		} else {
			t.Logf("rogue certificate on the Raft port: %v", err)
		}
	})
	t.Run("the TLS client port the nodes forward to", func(t *testing.T) {
		cert, err := tls.LoadX509KeyPair(f.RogueCert, f.RogueKey)
		if err != nil {
			t.Fatal(err)
		}
		tlsAddr := "127.0.0.1:" + strconv.Itoa(tlsPorts[indexOf(nodes, leader)])
		rogue := &tls.Config{InsecureSkipVerify: true,
			GetClientCertificate: func(*tls.CertificateRequestInfo) (*tls.Certificate, error) { return &cert, nil }}
		for name, cfg := range map[string]*tls.Config{"another CA's certificate": rogue, "no certificate": {InsecureSkipVerify: true}} {
			if err := tlsExchange(tlsAddr, cfg); err == nil {
				t.Fatalf("the leader's TLS port accepted a client with %s", name)
			} else {
				t.Logf("%s on the TLS port: %v", name, err)
			}
		}
	})
	t.Run("commands of the links between nodes", func(t *testing.T) {
		for _, args := range [][]any{{"RAFT", "AUTH", "default", "-"}, {"RAFT", "ORIGIN", "x"}, {"RAFT", "WATCHED", "0", "k"}, {"RAFT", "QUEUED"}} {
			err := lc.Do(ctx, args...).Err()
			if err == nil || !strings.HasPrefix(err.Error(), "NOPERM this command is only for the cluster's nodes") {
				t.Fatalf("%v from a client: %v", args, err)
			}
		}
	})
	t.Run("join with another CA's certificate", func(t *testing.T) {
		rogue := startNode(t, append(tlsNodeArgs(freePorts(t, 1)[0], f.RogueCert, f.RogueKey, f.RogueCA),
			"--node-id", "evil", "--join", "127.0.0.1:"+strconv.Itoa(tlsPorts[indexOf(nodes, leader)]))...)
		waitFor(t, 10*time.Second, func() error {
			if !rogue.logged("failed to reach a cluster member") {
				return fmt.Errorf("the rogue has not failed to join yet")
			}
			return nil
		})
		checkOutsider(t, leader, rogue, want)
	})
	t.Run("join without a certificate", func(t *testing.T) {
		rogue := startNode(t, "--node-id", "evil2", "--join", leader.addr())
		waitFor(t, 10*time.Second, func() error {
			if !rogue.logged("did not answer") {
				return fmt.Errorf("the leader has not refused the rogue yet")
			}
			return nil
		})
		checkOutsider(t, leader, rogue, want)
	})
}

// checkOutsider checks that the leader's members are still want and that
// rogue holds no key.
func checkOutsider(t *testing.T, leader, rogue *node, want []string) {
	t.Helper()
	if got, err := memberIDs(leader); err != nil || !slices.Equal(got, want) {
		t.Fatalf("members after the rogue tried to join: %v, %v; want %v", got, err, want)
	}
	if d, err := digest(rogue); err != nil || strings.Trim(d, "0") != "" {
		t.Fatalf("the rogue's DEBUG DIGEST is %q (%v): it holds data", d, err)
	}
}

// raftTerm is INFO raft's raft_term.
func raftTerm(t *testing.T, n *node) uint64 {
	t.Helper()
	return uint64(infoInt(t, n.Client(noRetries), "raft", "raft_term"))
}

// forgeAppend sends, on plain TCP, an AppendEntries for term in
// hashicorp/raft's framing (the RPC type byte, then msgpack) carrying one
// malformed entry, and reads the answer.
func forgeAppend(addr string, term uint64) error {
	nc, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return err
	}
	defer nc.Close()
	nc.SetDeadline(time.Now().Add(5 * time.Second))
	req := &raft.AppendEntriesRequest{RPCHeader: raft.RPCHeader{ProtocolVersion: raft.ProtocolVersionMax, ID: []byte("evil"), Addr: []byte("evil")},
		Term: term, Entries: []*raft.Log{{Index: 1 << 20, Term: term, Type: raft.LogCommand, Data: []byte("\xffmalformed")}}}
	w := bufio.NewWriter(nc)
	w.WriteByte(0) // AppendEntries
	if err := codec.NewEncoder(w, &codec.MsgpackHandle{}).Encode(req); err != nil {
		return err
	}
	if err := w.Flush(); err != nil {
		return err
	}
	var rpcErr string
	return codec.NewDecoder(bufio.NewReader(nc), &codec.MsgpackHandle{}).Decode(&rpcErr)
}

// tlsExchange completes a TLS handshake with addr and reads from it: a
// server that refuses the client's certificate fails one or the other
// (with TLS 1.3 the refusal comes with the first read); one that accepted
// it waits for a request, and the read times out: nil.
func tlsExchange(addr string, cfg *tls.Config) error {
	nc, err := tls.DialWithDialer(&net.Dialer{Timeout: time.Second}, "tcp", addr, cfg)
	if err != nil {
		return err
	}
	defer nc.Close()
	nc.SetDeadline(time.Now().Add(time.Second))
	_, err = nc.Read(make([]byte, 1))
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		return nil
	}
	return err
}
