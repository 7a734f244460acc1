package datatypes

import (
	"runtime"
	"strconv"
	"testing"
)

// heapAlloc is the live heap after a collection.
func heapAlloc() int64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}

// TestMemSizeTracksHeap fills a keyspace with each kind of value and
// compares the settled estimate with the heap the keys really took: the
// estimate must stay within 0.7x..1.4x of it, so that maxmemory bounds
// the process's memory.
func TestMemSizeTracksHeap(t *testing.T) {
	fills := []struct {
		name string
		keys int
		fill func(ks *Keyspace, i int)
	}{
		{"string-small", 50000, func(ks *Keyspace, i int) { ks.SetString("key:"+strconv.Itoa(i), []byte("value-"+strconv.Itoa(i)), 0) }},
		{"string-small-boxed", 50000, func(ks *Keyspace, i int) { ks.Set("key:"+strconv.Itoa(i), String("value-"+strconv.Itoa(i)), 0) }},
		{"string-volatile", 50000, func(ks *Keyspace, i int) { ks.SetString("key:"+strconv.Itoa(i), []byte("v"), int64(1e12+i)) }},
		{"string-1k", 20000, func(ks *Keyspace, i int) { ks.Set("key:"+strconv.Itoa(i), String(make([]byte, 1000)), 0) }},
		{"hash-10", 10000, func(ks *Keyspace, i int) {
			h := NewHash()
			for f := 0; f < 10; f++ {
				h.Set("field"+strconv.Itoa(f), "value"+strconv.Itoa(i))
			}
			ks.Set("h:"+strconv.Itoa(i), h, 0)
		}},
		{"hash-100", 1000, func(ks *Keyspace, i int) {
			h := NewHash()
			for f := 0; f < 100; f++ {
				h.Set("field"+strconv.Itoa(f), "value"+strconv.Itoa(i))
			}
			ks.Set("h:"+strconv.Itoa(i), h, 0)
		}},
		{"set-100", 1000, func(ks *Keyspace, i int) {
			s := NewSet()
			for f := 0; f < 100; f++ {
				s.Add("member" + strconv.Itoa(f))
			}
			ks.Set("s:"+strconv.Itoa(i), s, 0)
		}},
		{"zset-100", 1000, func(ks *Keyspace, i int) {
			z := NewZSet()
			for f := 0; f < 100; f++ {
				z.Set("member"+strconv.Itoa(f), float64(f))
			}
			ks.Set("z:"+strconv.Itoa(i), z, 0)
		}},
		{"list-100", 1000, func(ks *Keyspace, i int) {
			l := NewList()
			for f := 0; f < 100; f++ {
				l.PushBack([]byte("element" + strconv.Itoa(f)))
			}
			ks.Set("l:"+strconv.Itoa(i), l, 0)
		}},
	}
	for _, f := range fills {
		t.Run(f.name, func(t *testing.T) {
			before := heapAlloc()
			ks := NewKeyspace()
			for i := 0; i < f.keys; i++ {
				f.fill(ks, i)
			}
			ks.Settle()
			heap := heapAlloc() - before
			ratio := float64(ks.Used()) / float64(heap)
			t.Logf("%d keys: estimate %d, heap %d, ratio %.2f", f.keys, ks.Used(), heap, ratio)
			if ratio < 0.7 || ratio > 1.4 {
				t.Errorf("estimate/heap = %.2f, want 0.7..1.4", ratio)
			}
			runtime.KeepAlive(ks)
		})
	}
}
