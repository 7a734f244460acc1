package protocol

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Differential-test plumbing: a private redis-server to compare replies
// with. Tests that use it skip when redis-server is not on PATH, except
// under CI=true, where a missing reference is a failure.

// redisRef is one redis-server process and a connection to it.
type redisRef struct {
	t    testing.TB
	conn net.Conn
	r    *bufio.Reader
	w    *bufio.Writer
}

// startRedis starts redis-server on a free port with a temporary directory,
// persistence off, and connects to it. The server is killed when the test
// ends.
func startRedis(t testing.TB) *redisRef {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("redis-server not on PATH: %v", err)
		}
		t.Skip("redis-server not on PATH")
	}
	for attempt := 0; ; attempt++ {
		ref, err := tryStartRedis(t, bin)
		if err == nil {
			return ref
		}
		if attempt == 2 {
			t.Fatalf("failed to start redis-server: %v", err)
		}
	}
}

// tryStartRedis starts one redis-server on a port that was free a moment
// ago; another process may take it first, hence the caller's retries.
func tryStartRedis(t testing.TB, bin string) (*redisRef, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, "--port", strconv.Itoa(port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no", "--dir", t.TempDir(), "--daemonize", "no")
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	conn, err := dialWithin(fmt.Sprintf("127.0.0.1:%d", port), 5*time.Second)
	if err != nil {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		return nil, err
	}
	t.Cleanup(func() {
		_ = conn.Close()
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	return &redisRef{t: t, conn: conn, r: bufio.NewReader(conn), w: bufio.NewWriter(conn)}, nil
}

// Ports come from below Linux's ephemeral range (32768-60999), where no
// outgoing connection can take one between this check and the bind (see
// cmd/geetcache's freePorts); each range is this package's own.
func freePort() (int, error) {
	for range 200 {
		if l, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(28000+rand.IntN(1000))); err == nil {
			defer l.Close()
			return l.Addr().(*net.TCPAddr).Port, nil
		}
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// dialWithin polls addr until it accepts a connection that answers PING.
func dialWithin(addr string, timeout time.Duration) (net.Conn, error) {
	deadline := time.Now().Add(timeout)
	for {
		conn, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err == nil {
			if reply, err := roundTrip(conn, bufio.NewReader(conn), "PING"); err == nil && reply == "+PONG\r\n" {
				return conn, nil
			}
			_ = conn.Close()
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("redis-server at %s did not answer within %v", addr, timeout)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// do sends one command and returns its raw RESP reply.
func (ref *redisRef) do(args ...string) string {
	ref.t.Helper()
	_ = ref.conn.SetDeadline(time.Now().Add(10 * time.Second))
	ref.w.Write(appendCommand(nil, args))
	if err := ref.w.Flush(); err != nil {
		ref.t.Fatalf("redis %q: %v", args, err)
	}
	reply, err := readRESP(ref.r)
	if err != nil {
		ref.t.Fatalf("redis %q: %v", args, err)
	}
	return reply
}

func roundTrip(conn net.Conn, r *bufio.Reader, args ...string) (string, error) {
	_ = conn.SetDeadline(time.Now().Add(time.Second))
	if _, err := conn.Write(appendCommand(nil, args)); err != nil {
		return "", err
	}
	return readRESP(r)
}

// appendCommand appends args as a RESP array of bulk strings.
func appendCommand(b []byte, args []string) []byte {
	b = fmt.Appendf(b, "*%d\r\n", len(args))
	for _, a := range args {
		b = fmt.Appendf(b, "$%d\r\n%s\r\n", len(a), a)
	}
	return b
}

// readRESP reads one complete RESP2 or RESP3 reply and returns its bytes
// exactly as received.
func readRESP(r *bufio.Reader) (string, error) {
	var out strings.Builder
	err := readRESPInto(r, &out)
	return out.String(), err
}

func readRESPInto(r *bufio.Reader, out *strings.Builder) error {
	line, err := r.ReadString('\n')
	if err != nil {
		return err
	}
	out.WriteString(line)
	if len(line) < 3 || !strings.HasSuffix(line, "\r\n") {
		return fmt.Errorf("malformed RESP line %q", line)
	}
	n, _ := strconv.Atoi(line[1 : len(line)-2])
	switch line[0] {
	case '+', '-', ':', '_', ',', '#', '(':
		return nil
	case '$', '=', '!':
		return readRESPBlob(r, out, n)
	case '*', '~', '>':
		return readRESPElems(r, out, n)
	case '%':
		return readRESPElems(r, out, 2*n)
	case '|': // attribute map, then the reply it annotates
		if err := readRESPElems(r, out, 2*n); err != nil {
			return err
		}
		return readRESPInto(r, out)
	}
	return errors.New("unknown RESP type " + strconv.Quote(line[:1]))
}

func readRESPBlob(r *bufio.Reader, out *strings.Builder, n int) error {
	if n < 0 {
		return nil
	}
	buf := make([]byte, n+2)
	if _, err := io.ReadFull(r, buf); err != nil {
		return err
	}
	out.Write(buf)
	return nil
}

func readRESPElems(r *bufio.Reader, out *strings.Builder, n int) error {
	for range max(n, 0) {
		if err := readRESPInto(r, out); err != nil {
			return err
		}
	}
	return nil
}

// sameReply runs args on the harness and on the reference and reports
// (with t.Errorf) whether the raw replies are identical.
func sameReply(t testing.TB, h *harness, ref *redisRef, args []string) bool {
	t.Helper()
	got, want := h.do(args...), ref.do(args...)
	if got != want {
		t.Errorf("%q\n got: %q\nwant: %q", args, got, want)
		return false
	}
	return true
}

// testSeed returns a random seed, or GEETCACHE_SEED's, and logs how to
// replay the run.
func testSeed(t testing.TB) uint64 {
	t.Helper()
	seed := uint64(time.Now().UnixNano())
	if s, err := strconv.ParseUint(os.Getenv("GEETCACHE_SEED"), 10, 64); err == nil {
		seed = s
	}
	t.Logf("seed %d (replay with GEETCACHE_SEED=%d)", seed, seed)
	return seed
}
