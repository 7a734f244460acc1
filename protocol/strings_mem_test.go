package protocol

import (
	"runtime"
	"strconv"
	"testing"
)

// liveHeap is the live heap after a collection.
func liveHeap() int64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}

// TestSmallStringCostPerKey stores small strings with SET (keys and values
// of about 10 bytes, as docs/memory.sh writes them) and bounds what each key costs
// in the Go heap: Redis 7.0 takes about 88 bytes for one, and issue 12's
// goal is at most 1.3 times that. The keyspace's estimate (used_memory)
// must stay close to the real cost.
func TestSmallStringCostPerKey(t *testing.T) {
	const keys = 50000
	h := newHarness(t)
	before := liveHeap()
	for i := range keys {
		n := strconv.Itoa(i)
		h.do("SET", "key:"+n, "value-"+n)
	}
	h.ks.Settle()
	perKey := float64(liveHeap()-before) / keys
	estimate := float64(h.ks.Used()) / keys
	t.Logf("heap %.1f bytes a key, estimate %.1f", perKey, estimate)
	if perKey > 128 {
		t.Errorf("a small string costs %.1f bytes of heap, want at most 128", perKey)
	}
	if r := estimate / perKey; r < 0.85 || r > 1.2 {
		t.Errorf("estimate/heap = %.2f, want 0.85..1.2", r)
	}
	runtime.KeepAlive(h)
}
