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
func TestStampedReaderStampsArrival(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	stampListener(ln)
	out, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	in, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	sent := time.Now().UnixNano()
	out.Write([]byte("PING\r\n"))
	out.Close()
	r := newStampedReader(in)
	in.SetReadDeadline(time.Now().Add(5 * time.Second))
	buf := make([]byte, 64)
	n, err := r.Read(buf)
	read := time.Now().UnixNano()
	if err != nil || string(buf[:n]) != "PING\r\n" {
		t.Fatalf("read %q, %v", buf[:n], err)
	}
	if r.stamp < sent || r.stamp > read {
		t.Fatalf("stamp %d, want between the write (%d) and the read's return (%d)", r.stamp, sent, read)
	}
	if n, err := r.Read(buf); n != 0 || err != io.EOF {
		t.Fatalf("after the peer closed: %d, %v, want io.EOF", n, err)
	}
}
