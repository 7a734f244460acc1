package datatypes

import (
	"os"
	"runtime"
	"strconv"
	"testing"
)

// TestStreamMemoryPerEntry reports the heap a stream of 1M entries of three
// fields takes per entry (docs/architecture.md). It runs only with
// GEETCACHE_STREAM_MEM=1: it takes a few seconds and a few hundred MB.
func TestStreamMemoryPerEntry(t *testing.T) {
	if os.Getenv("GEETCACHE_STREAM_MEM") != "1" {
		t.Skip("set GEETCACHE_STREAM_MEM=1")
	}
	const n = 1_000_000
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	s := NewStream()
	fv := make([][]byte, 6)
	fv[0], fv[2], fv[4] = []byte("name"), []byte("score"), []byte("kind")
	for i := 1; i <= n; i++ {
		fv[1] = []byte("user" + strconv.Itoa(i))
		fv[3] = []byte(strconv.Itoa(i % 1000))
		fv[5] = []byte("click")
		s.Append(StreamID{Ms: uint64(i)}, fv, DefaultStreamNodeLimits)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	t.Logf("%d entries, %d nodes: %.1f bytes/entry", s.Len(), s.NodeCount(),
		float64(after.HeapAlloc-before.HeapAlloc)/n)
	runtime.KeepAlive(s)
}
