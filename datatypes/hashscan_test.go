package datatypes

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// walk scans t from cursor 0 until the cursor returns to 0, calling
// between(r) after each batch, and returns how often each key was visited.
func walk(tb testing.TB, t *table[string], count int, between func()) map[string]int {
	tb.Helper()
	seen := map[string]int{}
	cursor := uint64(0)
	for calls := 0; ; calls++ {
		if calls > 1_000_000 {
			tb.Fatal("scan does not terminate")
		}
		cursor = t.scan(cursor, count, func(i int) { seen[t.key(i)]++ })
		if cursor == 0 {
			return seen
		}
		between()
	}
}

func tableOf(keys ...string) *table[string] {
	var t table[string]
	for _, k := range keys {
		t.insert(k, "v")
	}
	return &t
}

func names(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprint(prefix, i)
	}
	return out
}

func TestScanSmallIsWholeAndDone(t *testing.T) {
	tab := tableOf(names("m", smallMax)...)
	for _, cursor := range []uint64{0, 1, 12345, ^uint64(0)} {
		var got []string
		next := tab.scan(cursor, 1, func(i int) { got = append(got, tab.key(i)) })
		if next != 0 || !slices.Equal(got, keysOf(tab)) {
			t.Errorf("cursor %d: got %v next %d", cursor, got, next)
		}
	}
}

func TestScanVisitsEveryKeyOnce(t *testing.T) {
	for _, tc := range []struct{ n, count int }{{17, 1}, {100, 10}, {5000, 7}, {5000, 100000}} {
		t.Run(fmt.Sprintf("n=%d/count=%d", tc.n, tc.count), func(t *testing.T) {
			tab := tableOf(names("m", tc.n)...)
			seen := walk(t, tab, tc.count, func() {})
			if len(seen) != tc.n {
				t.Fatalf("visited %d of %d", len(seen), tc.n)
			}
			for k, c := range seen {
				if c != 1 {
					t.Fatalf("%q visited %d times", k, c)
				}
			}
		})
	}
}

// TestScanUnderChurn inserts and removes other keys between batches, enough
// to grow and shrink the index (and, with few stable keys, drop it): every
// stable key is still visited, exactly once while the table stays large,
// and nothing else is invented.
func TestScanUnderChurn(t *testing.T) {
	for _, tc := range []struct{ stable, count int }{{20, 1}, {20, 10}, {20, 300}, {3, 1}, {3, 50}} {
		t.Run(fmt.Sprintf("stable=%d/count=%d", tc.stable, tc.count), func(t *testing.T) {
			seed := rand.Uint64()
			t.Logf("seed %d", seed)
			r := rand.New(rand.NewPCG(seed, 0))
			stable := names("s", tc.stable)
			tab := tableOf(stable...)
			ever := map[string]bool{}
			for _, k := range stable {
				ever[k] = true
			}
			seen := walk(t, tab, tc.count, func() { churn(r, tab, ever) })
			for _, k := range stable {
				if seen[k] < 1 || (tc.stable > smallMax && seen[k] != 1) {
					t.Fatalf("stable %q visited %d times", k, seen[k])
				}
			}
			for k := range seen {
				if !ever[k] {
					t.Fatalf("visited %q, never inserted", k)
				}
			}
		})
	}
}

// churn adds or removes a burst of non-stable keys.
func churn(r *rand.Rand, tab *table[string], ever map[string]bool) {
	grow := r.IntN(2) == 0
	for range r.IntN(400) {
		k := fmt.Sprint("c", r.IntN(2000))
		i := tab.find(k)
		switch {
		case grow && i < 0:
			tab.insert(k, "v")
			ever[k] = true
		case !grow && i >= 0:
			tab.removeAt(i)
		}
	}
}

// TestScanBatchesIgnoreHistory builds the same contents by two histories
// (one grew far and shrank back) and expects identical batches.
func TestScanBatchesIgnoreHistory(t *testing.T) {
	keys := names("m", 300)
	a := tableOf(keys...)
	b := tableOf(append(names("x", 5000), keys...)...)
	for _, k := range names("x", 5000) {
		b.removeAt(b.find(k))
	}
	if len(a.heads) == len(b.heads) {
		t.Logf("both have %d buckets; history still differs in insertion order", len(a.heads))
	}
	for ca, cb := uint64(0), uint64(0); ; {
		var ga, gb []string
		ca = a.scan(ca, 13, func(i int) { ga = append(ga, a.key(i)) })
		cb = b.scan(cb, 13, func(i int) { gb = append(gb, b.key(i)) })
		if ca != cb || !slices.Equal(ga, gb) {
			t.Fatalf("batches differ: %v (%d) vs %v (%d)", ga, ca, gb, cb)
		}
		if ca == 0 {
			return
		}
	}
}
