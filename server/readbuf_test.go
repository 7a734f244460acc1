package server

import (
	"io"
	"sync/atomic"
	"testing"
)

// waitingReader is a chunkReader that can wait without a buffer and
// counts the waits.
type waitingReader struct {
	chunkReader
	waits int
}

func (w *waitingReader) canWaitReadable() bool { return true }
func (w *waitingReader) waitReadable() error   { w.waits++; return nil }

// TestReaderRelease: after a first read that ends at the given byte, the
// read buffer goes only if that ends a command with nothing read left in
// it; it comes back, after one wait, with the next read; the commands are
// the same either way.
func TestReaderRelease(t *testing.T) {
	const in = "*1\r\n$4\r\nPING\r\n*1\r\n$4\r\nECHO\r\n" // two commands of 14 bytes
	tests := []struct {
		name     string
		first    int // bytes the first read returns
		released bool
	}{
		{"between commands", 14, true},
		{"an unfinished header left in the buffer", 16, false},
		{"a command in progress", 22, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := &waitingReader{chunkReader: chunkReader{in: []byte(in), sizes: []int{tt.first, len(in)}}}
			r := newReader(src, DefaultLimits)
			var size atomic.Int64
			r.size = &size
			if cmds, err := r.ReadCommands(); err != nil || len(cmds) != 1 || string(cmds[0].Args[0]) != "PING" {
				t.Fatalf("first batch: %d commands, %v", len(cmds), err)
			}
			r.release()
			if got := r.buf == nil; got != tt.released {
				t.Fatalf("released = %v, want %v", got, tt.released)
			}
			if tt.released && size.Load() != 0 {
				t.Fatalf("published size %d after the release, want 0", size.Load())
			}
			var names []string
			for {
				cmds, err := r.ReadCommands()
				for _, c := range cmds {
					names = append(names, string(c.Args[0]))
				}
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
			}
			if len(names) != 1 || names[0] != "ECHO" {
				t.Fatalf("after the first batch: %v, want [ECHO]", names)
			}
			wantWaits := 0
			if tt.released {
				wantWaits = 1
			}
			if src.waits != wantWaits {
				t.Fatalf("%d waits without a buffer, want %d", src.waits, wantWaits)
			}
			if tt.released && size.Load() != readSize {
				t.Fatalf("published size %d after the next read, want %d", size.Load(), readSize)
			}
		})
	}
}
