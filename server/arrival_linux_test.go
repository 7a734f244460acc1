//go:build linux

package server

import (
	"io"
	"net"
	"testing"
	"time"
)

// TestStampedReaderStampsArrival: a connection accepted on a stamped
// listener reads its bytes with the kernel's arrival time, no later than
// the read's return, and ends with io.EOF as net.Conn's Read does.
//
// Linux turns receive timestamps on for the whole stack asynchronously
// after the first socket asks (net_enable_timestamp defers it), so the
// first packets after stampListener may carry no stamp (read as 0, which
// arrivalOf replaces by the read's time): CI run 30 (2026-12-05, -race)
// read one. The test tries connections until one is stamped, up to 100.
func TestStampedReaderStampsArrival(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	stampListener(ln)
	for range 100 {
		stamp, sent, read := stampedRoundTrip(t, ln)
		if stamp == 0 {
			time.Sleep(10 * time.Millisecond)
			continue
		}
		if stamp < sent || stamp > read {
			t.Fatalf("stamp %d, want between the write (%d) and the read's return (%d)", stamp, sent, read)
		}
		return
	}
	t.Fatal("100 connections read with no arrival stamp")
}

// stampedRoundTrip sends PING on a new connection to ln and reads it with
// a stampedReader, then its io.EOF; it returns the read's stamp, when the
// write was sent and when the read returned (unix ns).
func stampedRoundTrip(t *testing.T, ln net.Listener) (stamp, sent, read int64) {
	t.Helper()
	out, in := dialAccepted(t, ln)
	defer in.Close()
	sent = time.Now().UnixNano()
	out.Write([]byte("PING\r\n"))
	out.Close()
	r := newStampedReader(in)
	in.SetReadDeadline(time.Now().Add(5 * time.Second))
	buf := make([]byte, 64)
	n, err := r.Read(buf)
	read, stamp = time.Now().UnixNano(), r.stamp
	if err != nil || string(buf[:n]) != "PING\r\n" {
		t.Fatalf("read %q, %v", buf[:n], err)
	}
	if n, err := r.Read(buf); n != 0 || err != io.EOF {
		t.Fatalf("after the peer closed: %d, %v, want io.EOF", n, err)
	}
	return stamp, sent, read
}
