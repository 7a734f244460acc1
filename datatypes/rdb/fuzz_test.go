package rdb

import (
	"bytes"
	"testing"
)

// FuzzLZFDecompress: any input is expanded or refused, never a panic or
// an output longer than asked for; what LZFCompress makes comes back.
func FuzzLZFDecompress(f *testing.F) {
	f.Add([]byte{1, 'a', 'b', 0x20, 0}, 6)
	f.Add([]byte("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"), 51)
	f.Fuzz(func(t *testing.T, in []byte, n int) {
		n = n & 0xffff
		if out, ok := LZFDecompress(in, n); ok && len(out) != n {
			t.Fatalf("expanded to %d bytes, asked for %d", len(out), n)
		}
		if c := LZFCompress(in, len(in)); c != nil {
			if back, ok := LZFDecompress(c, len(in)); !ok || !bytes.Equal(back, in) {
				t.Fatal("round trip failed")
			}
		}
	})
}
