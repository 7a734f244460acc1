package datatypes

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// checkTable verifies t's invariants against the model of its contents:
// same keys and values, every key found at its index, the index present
// exactly when the table is large, and every chain link consistent.
func checkTable(tb testing.TB, t *table[string], model map[string]string) {
	tb.Helper()
	keys, vals := keysOf(t), valsOf(t)
	if t.Len() != len(model) || len(vals) != len(keys) || len(keys) != t.Len() {
		tb.Fatalf("len %d/%d/%d, model %d", t.Len(), len(keys), len(vals), len(model))
	}
	for i, k := range keys {
		if v, ok := model[k]; !ok || v != vals[i] || t.find(k) != i || t.key(i) != k || t.val(i) != v {
			tb.Fatalf("entry %d %q=%q: model %q (%v), find %d", i, k, vals[i], v, ok, t.find(k))
		}
	}
	if (t.wide == nil) != (t.Len() <= smallMax) {
		tb.Fatalf("packed=%v at len %d", t.wide == nil, t.Len())
	}
	if t.indexed() != (t.Len() > smallMax) {
		tb.Fatalf("indexed=%v at len %d", t.indexed(), t.Len())
	}
	if t.indexed() {
		checkChains(tb, t)
	}
}

func checkChains(tb testing.TB, t *table[string]) {
	tb.Helper()
	seen := 0
	for b, head := range t.heads {
		for j := head; j != 0; j = t.next[j-1] {
			i := int(j - 1)
			if t.hashes[i] != KeyHash(t.keys[i]) || t.hashes[i]>>t.shift != uint64(b) {
				tb.Fatalf("entry %d in bucket %d: hash %x", i, b, t.hashes[i])
			}
			seen++
		}
	}
	if seen != t.Len() || len(t.hashes) != t.Len() || len(t.next) != t.Len() {
		tb.Fatalf("chains hold %d entries, table %d", seen, t.Len())
	}
}

// randomOps applies n random inserts, updates and removals to t and model,
// drawing keys from a space of size keys.
func randomOps(tb testing.TB, r *rand.Rand, t *table[string], model map[string]string, n, keys int) {
	tb.Helper()
	for op := range n {
		k := fmt.Sprint("k", r.IntN(keys))
		i := t.find(k)
		switch {
		case i >= 0 && r.IntN(2) == 0:
			t.removeAt(i)
			delete(model, k)
		case i >= 0:
			t.setVal(i, fmt.Sprint(op))
			model[k] = t.val(i)
		default:
			t.insert(k, fmt.Sprint(op))
			model[k] = fmt.Sprint(op)
		}
	}
}

func TestTableAgainstModel(t *testing.T) {
	for _, tc := range []struct {
		name      string
		ops, keys int
	}{
		{"small", 200, 10},
		{"aroundThreshold", 2000, 20},
		{"large", 20000, 3000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			seed := rand.Uint64()
			t.Logf("seed %d", seed)
			r := rand.New(rand.NewPCG(seed, 0))
			var tab table[string]
			model := map[string]string{}
			for range 20 {
				randomOps(t, r, &tab, model, tc.ops/20, tc.keys)
				checkTable(t, &tab, model)
			}
		})
	}
}

func TestTableOrderIsAFunctionOfOperations(t *testing.T) {
	seed := rand.Uint64()
	t.Logf("seed %d", seed)
	var a, b table[string]
	ma, mb := map[string]string{}, map[string]string{}
	randomOps(t, rand.New(rand.NewPCG(seed, 1)), &a, ma, 5000, 500)
	randomOps(t, rand.New(rand.NewPCG(seed, 1)), &b, mb, 5000, 500)
	if !slices.Equal(keysOf(&a), keysOf(&b)) || !slices.Equal(valsOf(&a), valsOf(&b)) {
		t.Fatal("same operations gave different orders")
	}
}

func TestTableShrinksAndDropsIndex(t *testing.T) {
	var tab table[string]
	model := map[string]string{}
	for i := range 5000 {
		k := fmt.Sprint(i)
		tab.insert(k, k)
		model[k] = k
	}
	big := len(tab.heads)
	for i := range 4990 {
		k := fmt.Sprint(i)
		tab.removeAt(tab.find(k))
		delete(model, k)
		if tab.Len() == 100 && len(tab.heads) >= big {
			t.Fatalf("buckets did not shrink: %d for %d entries", len(tab.heads), tab.Len())
		}
	}
	checkTable(t, &tab, model)
	if tab.wide != nil {
		t.Fatal("small table kept its index")
	}
}

func TestTableCloneIsDeep(t *testing.T) {
	for _, n := range []int{3, 40} {
		t.Run(fmt.Sprint("n=", n), func(t *testing.T) {
			var a table[string]
			model := map[string]string{}
			for i := range n {
				a.insert(fmt.Sprint(i), "v")
				model[fmt.Sprint(i)] = "v"
			}
			b := a.clone()
			b.setVal(0, "changed")
			b.removeAt(1)
			b.insert("new", "x")
			checkTable(t, &a, model)
		})
	}
}

// keysOf returns t's keys in iteration order.
func keysOf[V any](t *table[V]) []string {
	var out []string
	for k := range t.all() {
		out = append(out, k)
	}
	return out
}

// valsOf returns t's values in iteration order.
func valsOf[V any](t *table[V]) []V {
	var out []V
	for _, v := range t.all() {
		out = append(out, v)
	}
	return out
}
