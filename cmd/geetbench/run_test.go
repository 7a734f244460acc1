package main

import (
	"net"
	"os/exec"
	"strconv"
	"testing"
	"time"
)

// TestRunAgainstRedis runs SET + WAIT 0 0 pairs against a real redis-server
// 7.0 and checks that every request was answered and timed.
func TestRunAgainstRedis(t *testing.T) {
	if _, err := exec.LookPath("redis-server"); err != nil {
		t.Skip("redis-server is not installed")
	}
	port := freePort(t)
	cmd := exec.Command("redis-server", "--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--save", "", "--dir", t.TempDir())
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	waitListening(t, port)
	for _, wait := range []int{-1, 0} {
		o := options{host: "127.0.0.1", port: port, clients: 4, requests: 1001, pipeline: 16, wait: wait, keys: 100, size: 8}
		lat, err := run(o)
		if err != nil {
			t.Fatalf("wait %d: %v", wait, err)
		}
		if len(lat) != o.requests {
			t.Fatalf("wait %d: %d latencies for %d requests", wait, len(lat), o.requests)
		}
	}
}

func freePort(t *testing.T) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func waitListening(t *testing.T, port int) {
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if c, err := net.Dial("tcp", "127.0.0.1:"+strconv.Itoa(port)); err == nil {
			c.Close()
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("redis-server did not listen")
}
