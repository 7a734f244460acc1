package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Clients that do not read their replies, or read them slowly (issue 9,
// items 3 and 4): the server's memory stays bounded, limits cut them off as
// Redis does, and SIGTERM still ends the process.

// getPipeline is n GETs of key, as one write.
func getPipeline(key string, n int) []byte {
	return bytes.Repeat([]byte(fmt.Sprintf("*2\r\n$3\r\nGET\r\n$%d\r\n%s\r\n", len(key), key)), n)
}

// setBig stores a value of size bytes under key.
func setBig(t *testing.T, n *node, key string, size int) {
	t.Helper()
	if err := n.Client().Set(ctx, key, strings.Repeat("v", size), 0).Err(); err != nil {
		t.Fatalf("SET %s (%d bytes): %v", key, size, err)
	}
}

// sendUnread sends n GETs of key on a new connection that never reads, and
// waits until the server has read them all.
func sendUnread(t *testing.T, nd *node, key string, n int) net.Conn {
	t.Helper()
	c := nd.Dial()
	c.SetWriteDeadline(time.Now().Add(10 * time.Second))
	if _, err := c.Write(getPipeline(key, n)); err != nil {
		t.Fatalf("send %d GETs: %v", n, err)
	}
	waitFor(t, 10*time.Second, serverDrained(c))
	return c
}

// shutdownBound is how long SIGTERM may take with a client that does not
// read: the server's grace for unread replies (2 s) plus closing Raft.
const shutdownBound = 8 * time.Second

// TestShutdownWithNonReadingClient: a client pipelines 200 GETs of a 1 MiB
// value and reads nothing; SIGTERM must still end the process. Before the
// fix the server waited forever for that client's write.
func TestShutdownWithNonReadingClient(t *testing.T) {
	n := startNode(t)
	setBig(t, n, "big", 1<<20)
	sendUnread(t, n, "big", 200)
	reader := n.Client()
	if err := reader.Ping(ctx).Err(); err != nil {
		t.Fatalf("PING beside the non-reading client: %v", err)
	}
	start := time.Now()
	n.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-n.done:
		t.Logf("SIGTERM with a non-reading client: exited in %.2f s (exit code %d)",
			time.Since(start).Seconds(), n.cmd.ProcessState.ExitCode())
	case <-time.After(shutdownBound):
		n.cmd.Process.Signal(syscall.SIGKILL)
		t.Fatalf("SIGTERM with a non-reading client: still running after %v", shutdownBound)
	}
	if code := n.cmd.ProcessState.ExitCode(); code != 0 {
		t.Errorf("exit code %d after SIGTERM, want 0", code)
	}
}

// TestOutputBufferLimitClosesClient: under "normal 10mb 5mb 10" a client
// that does not read 200 MB of replies is closed as Redis closes it, with
// Redis's warning, and everyone else is still served.
func TestOutputBufferLimitClosesClient(t *testing.T) {
	n := startNode(t)
	rc := n.Client()
	if err := rc.ConfigSet(ctx, "client-output-buffer-limit", "normal 10mb 5mb 10").Err(); err != nil {
		t.Fatalf("CONFIG SET client-output-buffer-limit: %v", err)
	}
	setBig(t, n, "big", 1<<20)
	before := connectedClients(t, n)
	start := time.Now()
	c := sendUnread(t, n, "big", 200)
	waitFor(t, 10*time.Second, func() error {
		if n.logged("scheduled to be closed ASAP for overcoming of output buffer limits.") {
			return nil
		}
		return fmt.Errorf("no output buffer limit warning logged; connected_clients %d (was %d)",
			connectedClients(t, n), before)
	})
	waitFor(t, 10*time.Second, func() error {
		if got := connectedClients(t, n); got != before {
			return fmt.Errorf("connected_clients %d, want %d: the non-reading client is still connected", got, before)
		}
		return nil
	})
	t.Logf("non-reading client closed %.2f s after its pipeline was read", time.Since(start).Seconds())
	got, err := readUntilClosed(c, 10*time.Second)
	if err != nil {
		t.Fatalf("the closed client's socket did not reach EOF: %v (read %d bytes)", err, len(got))
	}
	if len(got) >= 200<<20 {
		t.Errorf("the closed client read all %d bytes of its replies", len(got))
	}
	pingStart := time.Now()
	if err := rc.Ping(ctx).Err(); err != nil {
		t.Fatalf("PING after the client was closed: %v", err)
	}
	if v, err := rc.Get(ctx, "big").Result(); err != nil || len(v) != 1<<20 {
		t.Fatalf("GET big after the client was closed: %d bytes, %v", len(v), err)
	}
	t.Logf("PING and GET of the 1 MiB value took %v", time.Since(pingStart))
}

// connectedClients reads INFO clients' connected_clients on a new client.
func connectedClients(t *testing.T, n *node) int {
	t.Helper()
	c := n.Client()
	defer c.Close()
	info, err := c.Info(ctx, "clients").Result()
	if err != nil {
		t.Fatalf("INFO clients: %v", err)
	}
	for _, l := range strings.Split(info, "\r\n") {
		if v, ok := strings.CutPrefix(l, "connected_clients:"); ok {
			k, _ := strconv.Atoi(v)
			return k - 1 // not counting the asking client
		}
	}
	t.Fatalf("no connected_clients in %q", info)
	return 0
}

// largeReplyRSSLimit bounds the server's peak resident memory while 600
// GETs of a 4 MB value (2.4 GB of replies) are read slowly. Before the fix
// every reply was built before the first byte was written.
const largeReplyRSSLimit = 300 << 20

// TestPipelinedLargeRepliesBoundedMemory: one write of 600 GETs (12 KB) of
// a 4 MB value, read slowly: replies go out as they are made, so the peak
// RSS (VmHWM) stays far below the 2.4 GB they add up to, and every reply
// arrives whole and in order.
func TestPipelinedLargeRepliesBoundedMemory(t *testing.T) {
	const gets, size = 600, 4 << 20
	n := startNode(t)
	setBig(t, n, "big", size)
	t.Logf("before the pipeline: VmRSS %d MB, VmHWM %d MB", rss(t, n.pid())>>20, procStatus(t, n.pid(), "VmHWM")>>20)
	c := n.Dial()
	if _, err := c.Write(getPipeline("big", gets)); err != nil {
		t.Fatalf("send the pipeline: %v", err)
	}
	start := time.Now()
	got := readSlowly(t, c, gets, size)
	hwm := procStatus(t, n.pid(), "VmHWM")
	t.Logf("%d replies of %d MB read in %.2f s; server peak RSS (VmHWM) %d MB, VmRSS now %d MB",
		got, size>>20, time.Since(start).Seconds(), hwm>>20, rss(t, n.pid())>>20)
	if hwm > largeReplyRSSLimit {
		t.Fatalf("server peak RSS %d MB while a client read %d replies of %d MB, want under %d MB",
			hwm>>20, gets, size>>20, largeReplyRSSLimit>>20)
	}
}

// readSlowly reads gets bulk replies of size bytes each, in 256 KB reads
// with a pause every 4 MB, checking each reply's header.
func readSlowly(t *testing.T, c net.Conn, gets, size int) int {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(120 * time.Second))
	r := bufio.NewReaderSize(c, 256<<10)
	header := fmt.Sprintf("$%d\r\n", size)
	buf := make([]byte, 256<<10)
	for i := 0; i < gets; i++ {
		line, err := r.ReadString('\n')
		if err != nil || line != header {
			t.Fatalf("reply %d: header %q (%v), want %q", i, line, err, header)
		}
		for left := size + 2; left > 0; {
			k, err := r.Read(buf[:min(left, len(buf))])
			if err != nil {
				t.Fatalf("reply %d: %v", i, err)
			}
			left -= k
		}
		time.Sleep(time.Millisecond)
	}
	return gets
}

// TestIdleTimeout: with timeout 1 an idle client is closed within a few
// seconds, while a client blocked in BLPOP and one that keeps talking are
// not. --timeout sets it at start, CONFIG SET changes it.
func TestIdleTimeout(t *testing.T) {
	n := startNode(t, "--timeout", "7")
	rc := n.Client()
	if got, err := rc.ConfigGet(ctx, "timeout").Result(); err != nil || got["timeout"] != "7" {
		t.Fatalf("CONFIG GET timeout after --timeout 7 = %v, %v", got, err)
	}
	if err := rc.ConfigSet(ctx, "timeout", "1").Err(); err != nil {
		t.Fatalf("CONFIG SET timeout 1: %v", err)
	}
	idle := n.Dial()
	blocked := n.Dial()
	fmt.Fprintf(blocked, "*3\r\n$5\r\nBLPOP\r\n$1\r\nq\r\n$1\r\n0\r\n")
	talker := n.Dial()
	start := time.Now()
	idleClosed := make(chan error, 1)
	go func() {
		_, err := readUntilClosed(idle, 10*time.Second)
		t.Logf("idle client closed after %.2f s (timeout 1)", time.Since(start).Seconds())
		idleClosed <- err
	}()
	for time.Since(start) < 4*time.Second { // talk past the timeout
		if err := ping(talker); err != nil {
			t.Fatalf("a client sending PING every 200 ms was closed: %v", err)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if err := <-idleClosed; err != nil {
		t.Fatalf("idle client not closed: %v", err)
	}
	if err := rc.LPush(ctx, "q", "x").Err(); err != nil {
		t.Fatalf("LPUSH: %v", err)
	}
	blocked.SetReadDeadline(time.Now().Add(10 * time.Second))
	want := "*2\r\n$1\r\nq\r\n$1\r\nx\r\n"
	got := make([]byte, len(want))
	if _, err := io.ReadFull(blocked, got); err != nil || string(got) != want {
		t.Fatalf("client blocked %v in BLPOP: got %q (%v), want %q", time.Since(start), got, err, want)
	}
}

// TestIdleTimeoutNonReadingPushClient: a client whose replies go through
// a push queue (RESP3, subscribed once) and that stops reading is closed
// by the idle timeout, as Redis closes it and as a client without one is:
// waiting for it to read is idleness. Before, serve's busy spanned that
// wait and the client got all 40 replies (160 MB) instead.
func TestIdleTimeoutNonReadingPushClient(t *testing.T) {
	const gets, size = 40, 4 << 20
	n := startNode(t)
	setBig(t, n, "big", size)
	if err := n.Client().ConfigSet(ctx, "timeout", "1").Err(); err != nil {
		t.Fatalf("CONFIG SET timeout 1: %v", err)
	}
	c := n.Dial()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	fmt.Fprintf(c, "HELLO 3\r\nSUBSCRIBE x\r\nUNSUBSCRIBE x\r\n")
	br := bufio.NewReader(c)
	want := ">3\r\n$11\r\nunsubscribe\r\n$1\r\nx\r\n:0\r\n"
	var seen []byte
	for !bytes.HasSuffix(seen, []byte(want)) {
		b, err := br.ReadByte()
		if err != nil {
			t.Fatalf("reading HELLO, SUBSCRIBE, UNSUBSCRIBE replies: %v (got %q)", err, seen)
		}
		seen = append(seen, b)
	}
	if _, err := c.Write(getPipeline("big", gets)); err != nil {
		t.Fatalf("send %d GETs: %v", gets, err)
	}
	time.Sleep(4 * time.Second) // not reading, past the timeout
	got, err := readUntilClosed(c, 10*time.Second)
	if err != nil {
		t.Fatalf("client not reading its replies was not closed: %v (%d bytes read)", err, len(got))
	}
	if len(got) >= gets*size {
		t.Fatalf("read %d bytes: every reply, want the connection closed before", len(got))
	}
}

// ping sends PING on c and reads +PONG.
func ping(c net.Conn) error {
	c.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := c.Write([]byte("PING\r\n")); err != nil {
		return err
	}
	got := make([]byte, 7)
	if _, err := io.ReadFull(c, got); err != nil {
		return err
	}
	if string(got) != "+PONG\r\n" {
		return fmt.Errorf("got %q", got)
	}
	return nil
}

// valueWriteRSSLimit bounds the server's peak resident memory while 100
// pipelined GETEX of a 4 MB value (400 MB of replies) are read.
const valueWriteRSSLimit = 900 << 20

// TestPipelinedValueWritesMemory: replies of writes (GETEX returns the
// value) are not kept once answered. Before, raft's log cache pinned each
// entry's apply future and with it every reply: 2 GB still in use after 100
// GETEX of a 4 MB value had been answered and read.
func TestPipelinedValueWritesMemory(t *testing.T) {
	const writes, size = 100, 4 << 20
	n := startNode(t)
	setBig(t, n, "big", size)
	c := n.Dial()
	req := bytes.Repeat([]byte("*2\r\n$5\r\nGETEX\r\n$3\r\nbig\r\n"), writes)
	if _, err := c.Write(req); err != nil {
		t.Fatalf("send the pipeline: %v", err)
	}
	start := time.Now()
	readSlowly(t, c, writes, size)
	if err := n.Client().Do(ctx, "MEMORY", "PURGE").Err(); err != nil {
		t.Fatalf("MEMORY PURGE: %v", err)
	}
	hwm, now := procStatus(t, n.pid(), "VmHWM"), rss(t, n.pid())
	t.Logf("%d GETEX replies of %d MB read in %.2f s; server peak RSS (VmHWM) %d MB, VmRSS after MEMORY PURGE %d MB",
		writes, size>>20, time.Since(start).Seconds(), hwm>>20, now>>20)
	if now > rssLimit {
		t.Errorf("server RSS %d MB after the replies were read and MEMORY PURGE, want under %d MB", now>>20, rssLimit>>20)
	}
	if hwm > valueWriteRSSLimit {
		t.Errorf("server peak RSS %d MB while a client read %d GETEX replies of %d MB, want under %d MB",
			hwm>>20, writes, size>>20, valueWriteRSSLimit>>20)
	}
}
