package server

import (
	"io"
	"net"
	"strings"
	"testing"
)

// BenchmarkRoundTrip sends pipelines of one command (x16: sixteen) to a
// single node over TCP and reads each reply, as redis-benchmark -c 1 does: allocs/op is
// what the node allocates per request (the client's loop allocates nothing), ns/op a round trip through the kernel and the front end.
func BenchmarkRoundTrip(b *testing.B) {
	for _, bc := range []struct {
		name, req, reply string
	}{
		{"GET", "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n", "$3\r\nxxx\r\n"},
		{"SADD-unchanged", "*3\r\n$4\r\nSADD\r\n$1\r\ns\r\n$1\r\nm\r\n", ":0\r\n"},
		{"SET", "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$3\r\nxxx\r\n", "+OK\r\n"},
		{"GETx16", strings.Repeat("*2\r\n$3\r\nGET\r\n$1\r\nk\r\n", 16), strings.Repeat("$3\r\nxxx\r\n", 16)},
		{"SETx16", strings.Repeat("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$3\r\nxxx\r\n", 16), strings.Repeat("+OK\r\n", 16)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			conn, err := net.Dial("tcp", startServer(b))
			if err != nil {
				b.Fatal(err)
			}
			defer conn.Close()
			roundTrip(b, conn, "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$3\r\nxxx\r\n", "+OK\r\n")
			roundTrip(b, conn, "*3\r\n$4\r\nSADD\r\n$1\r\ns\r\n$1\r\nm\r\n", ":1\r\n")
			req, got := []byte(bc.req), make([]byte, len(bc.reply))
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				if _, err := conn.Write(req); err != nil {
					b.Fatal(err)
				}
				if _, err := io.ReadFull(conn, got); err != nil || string(got) != bc.reply {
					b.Fatalf("%s: got %q (%v), want %q", bc.name, got, err, bc.reply)
				}
			}
		})
	}
}

// roundTrip writes req on conn and reads exactly the reply want (setup:
// it allocates).
func roundTrip(b *testing.B, conn net.Conn, req, want string) {
	var buf [64]byte
	if _, err := io.WriteString(conn, req); err != nil {
		b.Fatal(err)
	}
	got := buf[:len(want)]
	if _, err := io.ReadFull(conn, got); err != nil {
		b.Fatal(err)
	}
	if string(got) != want {
		b.Fatalf("%q: got %q, want %q", strings.TrimSpace(req), got, want)
	}
}
