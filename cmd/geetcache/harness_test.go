package main

// The end-to-end suite: every test here runs the real geetcache binary as a
// child process and talks to it over TCP, as a user would.

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// binPath is the geetcache binary TestMain builds once for the package.
var binPath string

func TestMain(m *testing.M) { os.Exit(runTests(m)) }

func runTests(m *testing.M) int {
	dir, err := os.MkdirTemp("", "geetcache-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "failed to create build dir:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	binPath = filepath.Join(dir, "geetcache")
	if out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "failed to build geetcache: %v\n%s", err, out)
		return 1
	}
	return m.Run()
}

// Timeouts for the process lifecycle; generous for a loaded 2-core CI box.
const (
	startTimeout = 30 * time.Second
	exitTimeout  = 30 * time.Second
)

// node is one geetcache process. Its ports and data directory survive
// Restart.
type node struct {
	t        testing.TB
	bin      string // the binary to run; binPath when empty
	port     int
	raftPort int
	dir      string
	args     []string
	env      []string
	envOnly  bool // env is the whole environment (a rendered pod's), not added to the test's
	// tls, when set, is how ping and Client reach port: over TLS.
	tls     *tls.Config
	cmd     *exec.Cmd
	done    chan struct{} // closed once the process has exited
	logMu   sync.Mutex
	logTail []string // the process's last stderr lines, across restarts
}

// logTailLines bounds how many stderr lines a node keeps for logged.
const logTailLines = 4096

// logged reports whether the process wrote a stderr line containing s.
func (n *node) logged(s string) bool {
	n.logMu.Lock()
	defer n.logMu.Unlock()
	for _, l := range n.logTail {
		if strings.Contains(l, s) {
			return true
		}
	}
	return false
}

// forgetLog drops the lines kept so far, so logged sees only later ones.
func (n *node) forgetLog() {
	n.logMu.Lock()
	n.logTail = nil
	n.logMu.Unlock()
}

func (n *node) keepLine(l string) {
	n.logMu.Lock()
	defer n.logMu.Unlock()
	if len(n.logTail) >= logTailLines {
		n.logTail = n.logTail[1:]
	}
	n.logTail = append(n.logTail, l)
}

// startNode starts geetcache on free ports with a fresh data directory and
// waits until it answers PING. The process is killed when the test ends.
func startNode(t testing.TB, extraArgs ...string) *node {
	t.Helper()
	return startNodeEnv(t, nil, extraArgs...)
}

// startNodeEnv is startNode with extra environment variables (GEETCACHE_*);
// an older binary ignores unknown ones.
func startNodeEnv(t testing.TB, env []string, extraArgs ...string) *node {
	t.Helper()
	ports := freePorts(t, 2)
	n := &node{t: t, port: ports[0], raftPort: ports[1], dir: t.TempDir(), env: env}
	n.args = append([]string{
		"--port", strconv.Itoa(n.port), "--bind", "127.0.0.1", "--dir", n.dir,
		"--raft-addr", "127.0.0.1:" + strconv.Itoa(n.raftPort),
	}, extraArgs...)
	n.launch()
	return n
}

// launch starts the process from n's fields and waits until it is ready.
func (n *node) launch() {
	n.t.Helper()
	bin := n.bin
	if bin == "" {
		bin = binPath
	}
	cmd := exec.Command(bin, n.args...)
	cmd.Env = append(os.Environ(), n.env...)
	if n.envOnly {
		cmd.Env = n.env
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		n.t.Fatalf("failed to pipe stderr: %v", err)
	}
	if err := cmd.Start(); err != nil {
		n.t.Fatalf("failed to start geetcache: %v", err)
	}
	n.cmd, n.done = cmd, make(chan struct{})
	n.t.Cleanup(n.cleanup)
	go n.relay(stderr, cmd, n.done)
	n.waitReady()
}

// relay copies the process's stderr into the test log line by line, then
// reaps the process. Wait must follow the last read of the pipe.
func (n *node) relay(r io.Reader, cmd *exec.Cmd, done chan struct{}) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		n.keepLine(sc.Text())
		n.t.Logf("[geetcache :%d pid %d] %s", n.port, cmd.Process.Pid, sc.Text())
	}
	io.Copy(io.Discard, r)
	cmd.Wait()
	close(done)
}

// cleanup kills a process the test left running and waits for the relay,
// so nothing logs after the test ends.
func (n *node) cleanup() {
	select {
	case <-n.done:
		return
	default:
	}
	n.cmd.Process.Signal(syscall.SIGKILL)
	<-n.done
}

// waitReady polls PING until it answers or the process exits.
func (n *node) waitReady() {
	n.t.Helper()
	deadline := time.Now().Add(startTimeout)
	for {
		select {
		case <-n.done:
			n.t.Fatalf("geetcache exited before answering PING: %v", n.cmd.ProcessState)
		default:
		}
		err := n.ping()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			n.t.Fatalf("geetcache on port %d did not answer PING within %v: %v", n.port, startTimeout, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// ping sends one RESP PING on a new connection.
func (n *node) ping() error {
	var c net.Conn
	var err error
	if n.tls != nil {
		c, err = tls.DialWithDialer(&net.Dialer{Timeout: time.Second}, "tcp", n.addr(), n.tls)
	} else {
		c, err = net.DialTimeout("tcp", n.addr(), time.Second)
	}
	if err != nil {
		return err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(2 * time.Second))
	if _, err := c.Write([]byte("*1\r\n$4\r\nPING\r\n")); err != nil {
		return err
	}
	got := make([]byte, 7)
	if _, err := io.ReadFull(c, got); err != nil {
		return err
	}
	if string(got) != "+PONG\r\n" && string(got) != "-NOAUTH" { // a node that needs a password is up too
		return fmt.Errorf("PING answered %q", got)
	}
	return nil
}

func (n *node) addr() string { return "127.0.0.1:" + strconv.Itoa(n.port) }

func (n *node) pid() int { return n.cmd.Process.Pid }

// Kill9 kills the process with SIGKILL and waits until it is gone.
func (n *node) Kill9() {
	n.t.Helper()
	n.cmd.Process.Signal(syscall.SIGKILL)
	n.wait()
}

// Term sends SIGTERM, waits for the process to exit and returns its exit
// code (-1 if a signal ended it).
func (n *node) Term() int {
	n.t.Helper()
	n.cmd.Process.Signal(syscall.SIGTERM)
	n.wait()
	return n.cmd.ProcessState.ExitCode()
}

// wait waits for the process to exit. One that has not within exitTimeout
// gets SIGQUIT first, so that its goroutines' stacks (Go's dump on
// SIGQUIT, to stderr) are in the test log, to say where it hung.
func (n *node) wait() {
	n.t.Helper()
	select {
	case <-n.done:
		return
	case <-time.After(exitTimeout):
	}
	n.cmd.Process.Signal(syscall.SIGQUIT)
	select {
	case <-n.done:
	case <-time.After(10 * time.Second):
	}
	n.t.Fatalf("geetcache pid %d did not exit within %v (SIGQUIT sent: its goroutines are in the log above)", n.pid(), exitTimeout)
}

// Restart starts the stopped process again on the same ports and data
// directory.
func (n *node) Restart() {
	n.t.Helper()
	select {
	case <-n.done:
	default:
		n.t.Fatalf("Restart of a running node (pid %d)", n.pid())
	}
	n.launch()
}

// Client returns a go-redis client with its default handshake (HELLO 3,
// then CLIENT SETINFO), closed when the test ends. Options may adjust it.
func (n *node) Client(opts ...func(*redis.Options)) *redis.Client {
	o := &redis.Options{Addr: n.addr(), TLSConfig: n.tls}
	for _, f := range opts {
		f(o)
	}
	c := redis.NewClient(o)
	n.t.Cleanup(func() { c.Close() })
	return c
}

// noRetries makes a client report every failure instead of resending: a
// resent INCR could apply twice and blur what was acknowledged.
func noRetries(o *redis.Options) { o.MaxRetries = -1 }

// Dial opens a raw TCP connection, closed when the test ends.
func (n *node) Dial() net.Conn {
	n.t.Helper()
	c, err := net.DialTimeout("tcp", n.addr(), 5*time.Second)
	if err != nil {
		n.t.Fatalf("failed to dial %s: %v", n.addr(), err)
	}
	n.t.Cleanup(func() { c.Close() })
	return c
}

// freePorts returns count distinct ports that were free a moment ago and that
// no earlier call of this test process returned: two calls of one test (a
// cluster's ports, then its TLS ports) once returned the same port, and the
// second node bound to it failed with "address already in use". They
// come from below Linux's ephemeral range (32768-60999 by default): a port
// from that range, free when asked, can be taken as the local port of any
// outgoing connection (a client of this or another test process) before the
// node binds it, which failed a CI run with "address already in use". Below
// it, only a process that binds explicitly can take one, and each port is
// checked by binding it here first.
func freePorts(t testing.TB, count int) []int {
	t.Helper()
	var ports []int
	for range count {
		ln := listenBelowEphemeral(t)
		defer ln.Close()
		ports = append(ports, ln.Addr().(*net.TCPAddr).Port)
	}
	return ports
}

// Test ports are drawn from [testPortLow, testPortHigh).
const testPortLow, testPortHigh = 20000, 27000

// handedOut holds every port freePorts has returned in this process.
var handedOut = struct {
	sync.Mutex
	ports map[int]bool
}{ports: map[int]bool{}}

// listenBelowEphemeral listens on a random free port of the test range that
// was not handed out before, or on one the kernel picks if that range seems
// full, and records it as handed out.
func listenBelowEphemeral(t testing.TB) net.Listener {
	t.Helper()
	handedOut.Lock()
	defer handedOut.Unlock()
	for range 200 {
		port := testPortLow + rand.IntN(testPortHigh-testPortLow)
		if handedOut.ports[port] {
			continue
		}
		if ln, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(port)); err == nil {
			handedOut.ports[port] = true
			return ln
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("failed to find a free port: %v", err)
	}
	handedOut.ports[ln.Addr().(*net.TCPAddr).Port] = true
	return ln
}

// waitFor polls fn until it returns nil, failing the test with fn's last
// error after timeout.
func waitFor(t testing.TB, timeout time.Duration, fn func() error) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		err := fn()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("condition not met within %v: %v", timeout, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// newRand returns a seeded source and logs the seed; set GEETCACHE_E2E_SEED
// to replay a run.
func newRand(t testing.TB) *rand.Rand {
	t.Helper()
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("GEETCACHE_E2E_SEED"); s != "" {
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("bad GEETCACHE_E2E_SEED %q: %v", s, err)
		}
		seed = v
	}
	t.Logf("random seed %d (replay with GEETCACHE_E2E_SEED=%d)", seed, seed)
	return rand.New(rand.NewPCG(seed, seed))
}

// readUntilClosed reads until the peer closes the connection or timeout.
// A reset after the reply counts as closed; a timeout is an error.
func readUntilClosed(c net.Conn, timeout time.Duration) ([]byte, error) {
	c.SetReadDeadline(time.Now().Add(timeout))
	var buf bytes.Buffer
	_, err := io.Copy(&buf, c)
	if errors.Is(err, syscall.ECONNRESET) {
		err = nil
	}
	return buf.Bytes(), err
}

// ctx is the context of every client call in the suite.
var ctx = context.Background()
