package main

// The two servers of the differential test: a private redis-server started
// by the test, and connections that pipeline a batch to both.

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

// diffTimeout bounds one batch's round trip on a loaded CI machine.
const diffTimeout = 30 * time.Second

// startRedisServer starts redis-server on a free port with a temporary
// directory and persistence off, and returns its address. It skips the test
// when redis-server is missing, except under CI=true, where that fails.
// The process is killed when the test ends. extra are more options for
// redis-server ("--enable-debug-command", "yes").
func startRedisServer(t testing.TB, extra ...string) string {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("redis-server not on PATH: %v", err)
		}
		t.Skip("redis-server not on PATH")
	}
	var last error
	for range 3 { // another process may take the free port first
		addr, err := tryRedisServer(t, bin, extra)
		if err == nil {
			return addr
		}
		last = err
	}
	t.Fatalf("failed to start redis-server: %v", last)
	return ""
}

func tryRedisServer(t testing.TB, bin string, extra []string) (string, error) {
	port := freePorts(t, 1)[0]
	cmd := exec.Command(bin, append([]string{"--port", strconv.Itoa(port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no", "--dir", t.TempDir(), "--daemonize", "no"}, extra...)...)
	if err := cmd.Start(); err != nil {
		return "", err
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	stop := func() { cmd.Process.Kill(); <-done }
	addr := "127.0.0.1:" + strconv.Itoa(port)
	deadline := time.Now().Add(10 * time.Second)
	for pingAddr(addr) != nil {
		select {
		case <-done:
			return "", fmt.Errorf("redis-server on port %d exited: %v", port, cmd.ProcessState)
		default:
		}
		if time.Now().After(deadline) {
			stop()
			return "", fmt.Errorf("redis-server on port %d did not answer PING", port)
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Cleanup(stop)
	return addr, nil
}

func pingAddr(addr string) error {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return err
	}
	defer c.Close()
	side := newDiffSide("ping", c)
	rep, err := side.roundTrip([]string{"PING"})
	if err == nil && string(rep.raw) != "+PONG\r\n" {
		err = fmt.Errorf("PING answered %q", rep.raw)
	}
	return err
}

// requireRedis70 stops the test unless the reference is Redis 7.0, the
// version geetcache answers as: another version words some replies
// differently. Under CI=true that fails the test; elsewhere it skips.
func requireRedis70(t testing.TB, s *diffSide) {
	t.Helper()
	rep, err := s.roundTrip([]string{"INFO", "server"})
	if err != nil {
		t.Fatal(err)
	}
	_, rest, _ := strings.Cut(string(rep.raw), "redis_version:")
	version, _, _ := strings.Cut(rest, "\r\n")
	if strings.HasPrefix(version, "7.0.") {
		t.Logf("reference: redis-server %s", version)
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("redis-server is %q, want 7.0.x", version)
	}
	t.Skipf("redis-server is %q, want 7.0.x", version)
}

// namedAddr is one server a test runs the same steps on.
type namedAddr struct{ name, addr string }

// redisAndNode starts a redis-server and a node, for tests that run the
// same steps on both: Redis first.
func redisAndNode(t *testing.T) []namedAddr {
	t.Helper()
	redisAddr := startRedisServer(t)
	return []namedAddr{{"redis", redisAddr}, {"geetcache", startNode(t).addr()}}
}

// diffSide is one connection to one server.
type diffSide struct {
	name string
	conn net.Conn
	r    *respReader
	w    *bufio.Writer
}

func newDiffSide(name string, c net.Conn) *diffSide {
	return &diffSide{name: name, conn: c, r: &respReader{r: bufio.NewReaderSize(c, 64<<10)},
		w: bufio.NewWriterSize(c, 64<<10)}
}

func dialDiffSide(t testing.TB, name, addr string) *diffSide {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatalf("failed to dial %s at %s: %v", name, addr, err)
	}
	t.Cleanup(func() { c.Close() })
	return newDiffSide(name, c)
}

// send writes the commands without flushing.
func (s *diffSide) send(cmds [][]string) {
	for _, args := range cmds {
		s.w.Write(appendCommand(nil, args...))
	}
}

// replies flushes what was sent and reads n replies.
func (s *diffSide) replies(n int) ([]respReply, error) {
	s.conn.SetDeadline(time.Now().Add(diffTimeout))
	if err := s.w.Flush(); err != nil {
		return nil, fmt.Errorf("%s: failed to send: %w", s.name, err)
	}
	out := make([]respReply, 0, n)
	for range n {
		rep, err := s.r.read()
		if err != nil {
			return out, fmt.Errorf("%s: failed to read reply %d of %d: %w", s.name, len(out)+1, n, err)
		}
		out = append(out, rep)
	}
	return out, nil
}

func (s *diffSide) roundTrip(args []string) (respReply, error) {
	s.send([][]string{args})
	reps, err := s.replies(1)
	if err != nil {
		return respReply{}, err
	}
	return reps[0], nil
}

// diffPair is a connection to each server speaking the same protocol version.
type diffPair struct {
	proto int
	redis *diffSide
	gc    *diffSide
}

// newDiffPair connects to both servers and, for RESP3, sends HELLO 3 on both.
func newDiffPair(t testing.TB, proto int, redisAddr, gcAddr string) *diffPair {
	t.Helper()
	p := &diffPair{proto: proto, redis: dialDiffSide(t, "redis", redisAddr), gc: dialDiffSide(t, "geetcache", gcAddr)}
	if proto == 3 {
		for _, s := range []*diffSide{p.redis, p.gc} {
			rep, err := s.roundTrip([]string{"HELLO", "3"})
			if err != nil || rep.kind != '%' {
				t.Fatalf("%s: HELLO 3 answered %q (%v)", s.name, rep.raw, err)
			}
		}
	}
	return p
}

// batch pipelines the commands to both servers and returns both replies.
func (p *diffPair) batch(t testing.TB, cmds [][]string) (fromRedis, fromGC []respReply) {
	t.Helper()
	p.redis.send(cmds)
	p.gc.send(cmds)
	p.gc.conn.SetDeadline(time.Now().Add(diffTimeout))
	if err := p.gc.w.Flush(); err != nil { // both servers work at once
		t.Fatalf("geetcache: failed to send: %v", err)
	}
	fromRedis, err := p.redis.replies(len(cmds))
	if err != nil {
		t.Fatal(err)
	}
	fromGC, err = p.gc.replies(len(cmds))
	if err != nil {
		t.Fatal(err)
	}
	return fromRedis, fromGC
}
