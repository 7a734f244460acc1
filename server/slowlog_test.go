package server

import (
	"bytes"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestSlowlogArgs(t *testing.T) {
	many := make([][]byte, 40)
	for i := range many {
		many[i] = []byte(fmt.Sprint(i))
	}
	tests := []struct {
		name string
		args [][]byte
		want []string
	}{
		{"short", [][]byte{[]byte("get"), []byte("k")}, []string{"get", "k"}},
		{"128 bytes kept", [][]byte{bytes.Repeat([]byte("a"), 128)}, []string{strings.Repeat("a", 128)}},
		{"129 bytes trimmed", [][]byte{bytes.Repeat([]byte("A"), 129)}, []string{strings.Repeat("A", 128) + "... (1 more bytes)"}},
		{"32 arguments kept", many[:32], strs(many[:32])},
		{"33 arguments trimmed", many[:33], append(strs(many[:31]), "... (2 more arguments)")},
		{"40 arguments trimmed", many, append(strs(many[:31]), "... (9 more arguments)")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := strs(slowlogArgs(tc.args))
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("got %q\nwant %q", got, tc.want)
			}
		})
	}
}

func strs(bs [][]byte) []string {
	out := make([]string, len(bs))
	for i, b := range bs {
		out[i] = string(b)
	}
	return out
}

func TestSlowlogMaxLenAndOrder(t *testing.T) {
	l := newSlowLog()
	l.slowerThan.Store(0)
	l.maxLen.Store(3)
	for i := range 5 {
		l.push([][]byte{[]byte(fmt.Sprint(i))}, time.Millisecond, "1.2.3.4:5", "n")
	}
	got := l.newest(10)
	if len(got) != 3 || got[0].id != 4 || got[2].id != 2 || string(got[0].args[0]) != "4" {
		t.Fatalf("newest: %d entries, first id %d", len(got), got[0].id)
	}
	l.setMaxLen(1)
	if n := l.len(); n != 1 {
		t.Errorf("after slowlog-max-len 1: %d entries", n)
	}
	l.reset()
	l.push([][]byte{[]byte("x")}, 0, "", "")
	if e := l.newest(1); len(e) != 1 || e[0].id != 5 {
		t.Errorf("after RESET the ids go on: %+v", e)
	}
}

func TestSlowlogWants(t *testing.T) {
	l := newSlowLog()
	tests := []struct {
		slower, maxLen int64
		d              time.Duration
		want           bool
	}{
		{10000, 128, 9999 * time.Microsecond, false},
		{10000, 128, 10 * time.Millisecond, true},
		{0, 128, 0, true},
		{-1, 128, time.Hour, false},
		{0, 0, time.Hour, false},
	}
	for _, tc := range tests {
		l.slowerThan.Store(tc.slower)
		l.maxLen.Store(tc.maxLen)
		if got := l.wants(tc.d); got != tc.want {
			t.Errorf("slower-than %d, max-len %d, %v: got %v", tc.slower, tc.maxLen, tc.d, got)
		}
	}
}

// TestSlowlogBounded logs 2000 calls of 40 arguments of 64 KiB each (5 GB
// sent) with slowlog-max-len at its maximum: what the log keeps stays
// within Redis's trimming, about 32 × 160 bytes an entry.
func TestSlowlogBounded(t *testing.T) {
	l := newSlowLog()
	l.slowerThan.Store(0)
	l.maxLen.Store(1<<63 - 1)
	big := make([][]byte, 40)
	for i := range big {
		big[i] = bytes.Repeat([]byte{'x'}, 64<<10)
	}
	before := heapInUse()
	const n = 2000
	for range n {
		l.push(big, time.Millisecond, "127.0.0.1:1", "client")
	}
	grew := heapInUse() - before
	t.Logf("%d entries: heap grew %d bytes (%d per entry)", n, grew, grew/n)
	if limit := int64(n * 32 * 300); grew > limit {
		t.Errorf("heap grew %d bytes for %d entries, want at most %d", grew, n, limit)
	}
	runtime.KeepAlive(l)
}

func heapInUse() int64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}
