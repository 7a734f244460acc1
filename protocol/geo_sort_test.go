package protocol

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestGeoSorts checks the two sorts of search results: the merge sort is
// stable in both directions, and the partial quicksort puts in its first
// n places the distances a full sort puts there, for every n, with ties
// and runs of equal distances.
func TestGeoSorts(t *testing.T) {
	seed := rand.Uint64()
	t.Logf("seed %d", seed)
	r := rand.New(rand.NewPCG(seed, 0))
	for _, size := range []int{0, 1, 2, 6, 7, 8, 40, 41, 100, 333} {
		for _, desc := range []bool{false, true} {
			p := make([]geoPoint, size)
			for i := range p {
				p[i] = geoPoint{dist: float64(r.IntN(size/3 + 1)), score: float64(i)}
			}
			full := slices.Clone(p)
			geoMergeSort(full, desc)
			stable := slices.Clone(p)
			slices.SortStableFunc(stable, func(a, b geoPoint) int { return geoCmp(&a, &b, desc) })
			if !slices.Equal(full, stable) {
				t.Fatalf("size %d desc %v: merge sort not stable", size, desc)
			}
			for n := 1; n <= size; n++ {
				part := slices.Clone(p)
				geoPartialSort(part, 0, n-1, desc)
				for i := range n {
					if part[i].dist != full[i].dist {
						t.Fatalf("size %d desc %v n %d: place %d holds %v, want %v", size, desc, n, i, part[i].dist, full[i].dist)
					}
				}
			}
		}
	}
}

// TestGeoKeysAndFlags checks COMMAND GETKEYS' keys (Redis 7.0.15's
// answers) and the routing: GEORADIUS and GEORADIUSBYMEMBER are writes
// only when they name STORE or STOREDIST.
func TestGeoKeysAndFlags(t *testing.T) {
	tbl := DataTable()
	for _, tc := range []struct {
		args  []string
		keys  []string
		write bool
	}{
		{[]string{"georadius", "k", "1", "1", "1", "km", "store", "a", "storedist", "b"}, []string{"k", "a", "b"}, true},
		{[]string{"georadius", "k", "1", "1", "1", "km", "store", "a", "store", "b"}, []string{"k", "a"}, true},
		{[]string{"georadius", "k", "1", "1", "1", "km", "count", "store"}, []string{"k"}, false},
		{[]string{"georadius", "k", "1", "1", "store", "km", "count", "3"}, []string{"k"}, false},
		{[]string{"georadius", "k", "1", "1", "1", "km", "withdist"}, []string{"k"}, false},
		{[]string{"georadiusbymember", "k", "m", "1", "km", "storedist", "a"}, []string{"k", "a"}, true},
		{[]string{"georadiusbymember", "k", "m", "1", "km", "asc"}, []string{"k"}, false},
		{[]string{"geosearchstore", "d", "s", "fromlonlat", "1", "1", "byradius", "1", "km"}, []string{"d", "s"}, true},
		{[]string{"georadius_ro", "k", "1", "1", "1", "km", "store", "a"}, []string{"k"}, false},
		{[]string{"geoadd", "k", "1", "1", "m"}, []string{"k"}, true},
	} {
		argv := make([][]byte, len(tc.args))
		for i, a := range tc.args {
			argv[i] = []byte(a)
		}
		cmd := tbl.Lookup(argv[0])
		var keys []string
		cmd.KeyArgs(argv, func(k []byte) { keys = append(keys, string(k)) })
		if !slices.Equal(keys, tc.keys) {
			t.Errorf("%v: keys %v, want %v", tc.args, keys, tc.keys)
		}
		if write := cmd.FlagsFor(argv)&Write != 0; write != tc.write {
			t.Errorf("%v: write %v, want %v", tc.args, write, tc.write)
		}
	}
}
