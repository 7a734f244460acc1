package server

import (
	"fmt"
	"io"
	"strings"
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

// TestReaderSpare follows a big bulk's slice kept for the next one
// (readbuf_spare.go): kept once its batch is done and counted in the
// published size, reused by a big bulk that fits, not by a larger one,
// dropped once the bulks since stay under half its size for spareJudge,
// and never kept by a reader that cannot wait without a buffer.
func TestReaderSpare(t *testing.T) {
	bigA, bigB := strings.Repeat("a", 40000), strings.Repeat("b", 40000)
	bigger, half := strings.Repeat("c", 90000), strings.Repeat("d", 20000)
	tests := []struct {
		name     string
		second   string // the value of the second SET
		judge    bool   // the kept slice is due to be judged as the third batch starts
		canWait  bool
		reused   bool // the second value is read into the first's slice
		keptThen bool // a slice is kept once the third batch is handed out
	}{
		{"a big bulk that fits reuses it", bigB, false, true, true, true},
		{"a larger one does not", bigger, false, true, false, true},
		{"small bulks keep it until it is judged", "small", false, true, false, true},
		{"judged after small bulks, it goes", "small", true, true, false, false},
		{"judged after a bulk of half its size, it stays", half, true, true, false, true},
		{"a reader that cannot wait keeps none", bigB, false, false, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := &messageReader{msgs: []string{setX(bigA), setX(tt.second), setX("z")}}
			r := newReader(src, DefaultLimits)
			if !tt.canWait {
				r.waiter = nil
			}
			var size atomic.Int64
			r.size = &size
			first := readValue(t, r, bigA)
			if got := size.Load(); got != int64(readSize+len(bigA)) {
				t.Fatalf("published size %d with the big bulk handed out, want %d", got, readSize+len(bigA))
			}
			second := readValue(t, r, tt.second)
			if got := &second[0] == &first[0]; got != tt.reused {
				t.Fatalf("second value read into the first's slice: %v, want %v", got, tt.reused)
			}
			if tt.judge {
				r.judged -= int64(spareJudge)
			}
			readValue(t, r, "z")
			if kept := r.spare != nil; kept != tt.keptThen {
				t.Fatalf("a big slice kept once the third batch is handed out: %v, want %v", kept, tt.keptThen)
			}
			if size.Load() != r.heldBytes() {
				t.Fatalf("published size %d, held %d", size.Load(), r.heldBytes())
			}
			r.release()
			if tt.canWait && (r.spare != nil || size.Load() != 0) {
				t.Fatalf("after the release: a slice of %d bytes, published size %d", cap(r.spare), size.Load())
			}
		})
	}
}

// messageReader returns its messages one read after another, a read never
// crossing from one message into the next, and can wait without a buffer.
type messageReader struct {
	waitingReader
	msgs []string
}

func (m *messageReader) Read(p []byte) (int, error) {
	if len(m.msgs) == 0 {
		return 0, io.EOF
	}
	n := copy(p, m.msgs[0])
	if m.msgs[0] = m.msgs[0][n:]; m.msgs[0] == "" {
		m.msgs = m.msgs[1:]
	}
	return n, nil
}

// setX is SET x v as a client sends it.
func setX(v string) string {
	return fmt.Sprintf("*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$%d\r\n%s\r\n", len(v), v)
}

// readValue reads the next batch, which must be one SET x v, and returns
// its value.
func readValue(t *testing.T, r *reader, v string) []byte {
	t.Helper()
	cmds, err := r.ReadCommands()
	if err != nil || len(cmds) != 1 || len(cmds[0].Args) != 3 || string(cmds[0].Args[2]) != v {
		t.Fatalf("want one SET of %d bytes, got %d commands (%v)", len(v), len(cmds), err)
	}
	return cmds[0].Args[2]
}
