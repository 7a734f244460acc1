package server

import (
	"bufio"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/geetcache/geetcache/cluster"
	"github.com/geetcache/geetcache/pubsub"
)

// startTrackingServer is a server whose node tells its tracking table of
// the keys each entry changes, as cmd/geetcache wires them.
func startTrackingServer(t *testing.T) *testServer {
	t.Helper()
	tr := pubsub.NewTracking()
	return startServerWithNode(t, func(c *cluster.Config) { c.Tracker = tr }, func(c *Config) { c.Tracking = tr })
}

// trackLoop is a RESP3 connection with tracking on that reads keys and
// counts the invalidations that arrive between its replies.
type trackLoop struct {
	nc            net.Conn
	rd            *bufio.Reader
	invalidations int
}

func (l *trackLoop) send(args ...string) error {
	var b strings.Builder
	fmt.Fprintf(&b, "*%d\r\n", len(args))
	for _, a := range args {
		fmt.Fprintf(&b, "$%d\r\n%s\r\n", len(a), a)
	}
	_, err := l.nc.Write([]byte(b.String()))
	return err
}

// reply returns the next reply that is not a push, counting the pushes.
func (l *trackLoop) reply() (string, error) {
	for {
		l.nc.SetReadDeadline(time.Now().Add(10 * time.Second))
		b, err := readReply(l.rd, nil)
		if err != nil {
			return string(b), err
		}
		if !strings.HasPrefix(string(b), ">2\r\n$10\r\ninvalidate\r\n") {
			return string(b), nil
		}
		l.invalidations++
	}
}

func (l *trackLoop) do(args ...string) (string, error) {
	if err := l.send(args...); err != nil {
		return "", err
	}
	return l.reply()
}

// TestTrackingConcurrent: tracking connections reading while others write
// the same keys (run under -race by CI): every reply parses between the
// pushes, and once the writers stop a read then a write brings each
// reader its invalidation.
func TestTrackingConcurrent(t *testing.T) {
	ts := startTrackingServer(t)
	const readers, writers, rounds = 4, 2, 150
	loops := make([]*trackLoop, readers)
	for i := range loops {
		nc, err := net.Dial("tcp", ts.addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { nc.Close() })
		loops[i] = &trackLoop{nc: nc, rd: bufio.NewReader(nc)}
		opts := []string{"CLIENT", "TRACKING", "ON"}
		if i == readers-1 {
			opts = append(opts, "BCAST", "PREFIX", "k")
		}
		for _, cmd := range [][]string{{"HELLO", "3"}, opts} {
			if _, err := loops[i].do(cmd...); err != nil {
				t.Fatal(err)
			}
		}
	}
	errs := make(chan error, readers+writers)
	var wg sync.WaitGroup
	for i, l := range loops {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range rounds {
				got, err := l.do("GET", fmt.Sprint("k", (r+i)%5))
				if err != nil || (got != "_\r\n" && !strings.HasPrefix(got, "$")) {
					errs <- fmt.Errorf("reader %d: GET answered %q (%v)", i, got, err)
					return
				}
			}
		}()
	}
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l := &trackLoop{}
			nc, err := net.Dial("tcp", ts.addr)
			if err != nil {
				errs <- err
				return
			}
			defer nc.Close()
			l.nc, l.rd = nc, bufio.NewReader(nc)
			for r := range rounds {
				if got, err := l.do("SET", fmt.Sprint("k", r%5), fmt.Sprint(w, r)); got != "+OK\r\n" {
					errs <- fmt.Errorf("writer %d: SET answered %q (%v)", w, got, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	// How many invalidations came while both ran is a matter of timing (a
	// slow reader under -race may finish its rounds before the writers
	// start, or get its pushes after its last reply): logged, not checked.
	for i, l := range loops {
		t.Logf("reader %d: %d invalidations while the writers ran", i, l.invalidations)
	}
	// Quiet now: one read, one write, one invalidation each.
	for _, l := range loops {
		if _, err := l.do("GET", "k0"); err != nil {
			t.Fatal(err)
		}
	}
	w := dialRaw(t, ts.addr)
	w.do("SET", "k0", "last")
	for i, l := range loops {
		before := l.invalidations
		if _, err := l.do("PING"); err != nil { // the push, if any, comes first
			t.Fatal(err)
		}
		for deadline := time.Now().Add(5 * time.Second); l.invalidations == before && time.Now().Before(deadline); {
			if _, err := l.do("PING"); err != nil {
				t.Fatal(err)
			}
		}
		if l.invalidations == before {
			t.Errorf("reader %d was not told of the last write", i)
		}
	}
}
