package server

import (
	"bufio"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/geetcache/geetcache/cluster"
	"github.com/geetcache/geetcache/protocol"
)

// testServer is a single-node cluster with a Server in front of it.
type testServer struct {
	addr string
	srv  *Server
	node *cluster.Node
}

// startServer starts a single-node Raft cluster in a temporary directory
// and a Server on a free port, and returns the address clients dial. Both
// stop when the test ends.
func startServer(t testing.TB) string {
	t.Helper()
	return startTestServer(t).addr
}

// startTestServer is startServer for tests that need the parts.
func startTestServer(t testing.TB) *testServer {
	t.Helper()
	return startLimitedServer(t, DefaultLimits)
}

// startLimitedServer is startTestServer with other client limits.
func startLimitedServer(t testing.TB, limits Limits) *testServer {
	t.Helper()
	return startServerWith(t, func(c *Config) { c.Limits = limits })
}

// startServerWith is startTestServer with the server's Config adjusted.
func startServerWith(t testing.TB, adjust func(*Config)) *testServer {
	t.Helper()
	return startServerWithNode(t, nil, adjust)
}

// startServerWithNode is startServerWith with the node's config adjusted
// too (adjustNode may be nil).
func startServerWithNode(t testing.TB, adjustNode func(*cluster.Config), adjust func(*Config)) *testServer {
	t.Helper()
	cfg := cluster.DefaultConfig()
	cfg.Dir = t.TempDir()
	cfg.RaftAddr = "127.0.0.1:0"
	if adjustNode != nil {
		adjustNode(&cfg)
	}
	node, err := cluster.Open(cfg, protocol.DataTable())
	if err != nil {
		t.Fatalf("failed to open node: %v", err)
	}
	t.Cleanup(func() { node.Close() })
	if err := node.WaitLeader(10 * time.Second); err != nil {
		t.Fatalf("node never led: %v", err)
	}
	port := freePort(t)
	sc := Config{Binds: []string{"127.0.0.1"}, Port: port, Limits: DefaultLimits,
		Logger: slog.New(slog.DiscardHandler), Dir: cfg.Dir}
	adjust(&sc)
	srv := New(sc, node)
	if err := srv.Listen(); err != nil {
		t.Fatalf("failed to listen: %v", err)
	}
	t.Cleanup(srv.Close)
	return &testServer{addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), srv: srv, node: node}
}

// freePort returns a TCP port that was free a moment ago.
func freePort(t testing.TB) int {
	t.Helper()
	// Below Linux's ephemeral range (32768-60999), where no outgoing
	// connection can take the port before the server binds it.
	for range 200 {
		if ln, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(27000+rand.IntN(1000))); err == nil {
			defer ln.Close()
			return ln.Addr().(*net.TCPAddr).Port
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("failed to find a free port: %v", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// rawClient speaks RESP over a plain TCP connection, for tests that check
// replies byte for byte.
type rawClient struct {
	t  testing.TB
	nc net.Conn
	rd *bufio.Reader
}

func dialRaw(t testing.TB, addr string) *rawClient {
	t.Helper()
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatalf("failed to dial %s: %v", addr, err)
	}
	t.Cleanup(func() { nc.Close() })
	return &rawClient{t: t, nc: nc, rd: bufio.NewReader(nc)}
}

// do sends args as a RESP multibulk and returns the raw bytes of one reply.
func (r *rawClient) do(args ...string) string {
	r.t.Helper()
	r.send(args...)
	return r.reply()
}

func (r *rawClient) send(args ...string) {
	r.t.Helper()
	r.sendAll([][]string{args})
}

// sendAll sends cmds as RESP multibulks in one write (one pipeline).
func (r *rawClient) sendAll(cmds [][]string) {
	r.t.Helper()
	var b strings.Builder
	for _, args := range cmds {
		fmt.Fprintf(&b, "*%d\r\n", len(args))
		for _, a := range args {
			fmt.Fprintf(&b, "$%d\r\n%s\r\n", len(a), a)
		}
	}
	if _, err := r.nc.Write([]byte(b.String())); err != nil {
		r.t.Fatalf("failed to send %q: %v", cmds, err)
	}
}

// dialAccepted connects to ln and accepts the connection: the client's
// end and the server's.
func dialAccepted(t testing.TB, ln net.Listener) (client, server net.Conn) {
	t.Helper()
	client, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	if server, err = ln.Accept(); err != nil {
		t.Fatal(err)
	}
	return client, server
}

// reply reads one complete reply, nested ones included.
func (r *rawClient) reply() string {
	r.t.Helper()
	r.nc.SetReadDeadline(time.Now().Add(10 * time.Second))
	b, err := readReply(r.rd, nil)
	if err != nil {
		r.t.Fatalf("failed to read reply (so far %q): %v", b, err)
	}
	return string(b)
}
