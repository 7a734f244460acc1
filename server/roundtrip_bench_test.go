package server

import (
	"io"
	"strings"
	"testing"
)

// BenchmarkRoundTrip sends pipelines of one command (x16: sixteen) to a
// single node over TCP and reads each reply, as redis-benchmark -c 1 does:
// allocs/op is what the node allocates per request (the loop's client side
// allocates nothing), ns/op a round trip through the kernel and the front
// end.
func BenchmarkRoundTrip(b *testing.B) {
	for _, bc := range []struct {
		name, req, reply string
	}{
		{"GET", "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n", "$3\r\nxxx\r\n"},
		{"SADD-unchanged", "*3\r\n$4\r\nSADD\r\n$1\r\ns\r\n$1\r\nm\r\n", ":0\r\n"},
		{"SET", "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$3\r\nxxx\r\n", "+OK\r\n"},
		{"GETx16", strings.Repeat("*2\r\n$3\r\nGET\r\n$1\r\nk\r\n", 16), strings.Repeat("$3\r\nxxx\r\n", 16)},
		{"SADD-unchangedx16", strings.Repeat("*3\r\n$4\r\nSADD\r\n$1\r\ns\r\n$1\r\nm\r\n", 16), strings.Repeat(":0\r\n", 16)},
		{"SETx16", strings.Repeat("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$3\r\nxxx\r\n", 16), strings.Repeat("+OK\r\n", 16)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			r := dialRaw(b, startServer(b))
			r.do("SET", "k", "xxx")
			r.do("SADD", "s", "m")
			req, got := []byte(bc.req), make([]byte, len(bc.reply))
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				if _, err := r.nc.Write(req); err != nil {
					b.Fatal(err)
				}
				if _, err := io.ReadFull(r.rd, got); err != nil || string(got) != bc.reply {
					b.Fatalf("%s: got %q (%v), want %q", bc.name, got, err, bc.reply)
				}
			}
		})
	}
}
