package datatypes

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"
)

// zmodel is the obviously-correct sorted set the tests compare with: a
// slice kept sorted by (score, member).
type zmodel []ZMember

func (m *zmodel) set(member string, score float64) {
	m.remove(member)
	i, _ := slices.BinarySearchFunc(*m, ZMember{member, score}, zcmp)
	*m = slices.Insert(*m, i, ZMember{member, score})
}

func (m *zmodel) remove(member string) bool {
	for i, x := range *m {
		if x.Member == member {
			*m = slices.Delete(*m, i, i+1)
			return true
		}
	}
	return false
}

func zcmp(a, b ZMember) int {
	switch {
	case zless(a, b):
		return -1
	case zless(b, a):
		return 1
	}
	return 0
}

// zcheck compares every observable of z with the model.
func zcheck(t *testing.T, z *ZSet, m zmodel) {
	t.Helper()
	if z.Len() != len(m) {
		t.Fatalf("Len = %d, want %d", z.Len(), len(m))
	}
	var got []ZMember
	z.Ascend(0, func(x ZMember) bool { got = append(got, x); return true })
	if !slices.Equal(got, m) {
		t.Fatalf("Ascend = %v\nwant %v", got, m)
	}
	for i, x := range m {
		if at := z.At(i); at != x {
			t.Fatalf("At(%d) = %v, want %v", i, at, x)
		}
		if r, ok := z.Rank(x.Member); !ok || r != i {
			t.Fatalf("Rank(%q) = %d %v, want %d", x.Member, r, ok, i)
		}
		if s, ok := z.Score(x.Member); !ok || s != x.Score {
			t.Fatalf("Score(%q) = %v %v, want %v", x.Member, s, ok, x.Score)
		}
	}
}

func TestZSetModel(t *testing.T) {
	for _, tc := range []struct {
		name    string
		members int
		ops     int
	}{
		{"small", 20, 2000},
		{"around-index-threshold", 40, 4000},
		{"multi-level", 5000, 30000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			seed := rand.Uint64()
			t.Logf("seed %d", seed)
			r := rand.New(rand.NewPCG(seed, 1))
			z, m := NewZSetSkiplist(), zmodel{}
			for op := range tc.ops {
				member := fmt.Sprint("m", r.IntN(tc.members))
				if r.IntN(3) == 0 {
					if z.Remove(member) != m.remove(member) {
						t.Fatalf("Remove(%q) disagrees", member)
					}
				} else {
					score := float64(r.IntN(50))
					_, had := z.Score(member)
					if z.Set(member, score) == had {
						t.Fatalf("Set(%q) added = %v, had = %v", member, !had, had)
					}
					m.set(member, score)
				}
				if op%(tc.ops/20) == 0 {
					zcheck(t, z, m)
				}
			}
			zcheck(t, z, m)
		})
	}
}

func TestZSetGrowShrink(t *testing.T) {
	seed := rand.Uint64()
	t.Logf("seed %d", seed)
	r := rand.New(rand.NewPCG(seed, 2))
	z, m := NewZSet(), zmodel{}
	for _, i := range r.Perm(20000) {
		score := float64(r.IntN(1000))
		z.Set(fmt.Sprint(i), score)
		m.set(fmt.Sprint(i), score)
	}
	zcheck(t, z, m)
	checkTree(t, z.tree.root, true)
	for k, i := range r.Perm(20000) {
		z.Remove(fmt.Sprint(i))
		m.remove(fmt.Sprint(i))
		if k%1000 == 0 {
			zcheck(t, z, m)
			checkTree(t, z.tree.root, true)
		}
	}
	zcheck(t, z, m)
}

// checkTree verifies sizes, separators and the fill of non-root branches
// below n, returning n's size, smallest and largest member.
func checkTree(t *testing.T, n *znode, root bool) (size int, lo, hi ZMember) {
	t.Helper()
	if n == nil {
		return 0, lo, hi
	}
	if n.leaf() {
		if len(n.members) == 0 && !root {
			t.Fatalf("empty non-root leaf")
		}
		for i := 1; i < len(n.members); i++ {
			if !zless(n.members[i-1], n.members[i]) {
				t.Fatalf("leaf out of order")
			}
		}
		return len(n.members), n.members[0], n.members[len(n.members)-1]
	}
	if !root && len(n.children) < zminFill {
		t.Fatalf("non-root branch with %d children", len(n.children))
	}
	if len(n.seps) != len(n.children)-1 || len(n.sizes) != len(n.children) {
		t.Fatalf("branch shape: %d children, %d seps, %d sizes", len(n.children), len(n.seps), len(n.sizes))
	}
	for i, c := range n.children {
		cs, clo, chi := checkTree(t, c, false)
		if cs != n.sizes[i] {
			t.Fatalf("child %d holds %d members, sizes says %d", i, cs, n.sizes[i])
		}
		if i > 0 && zless(clo, n.seps[i-1]) || i < len(n.seps) && !zless(chi, n.seps[i]) {
			t.Fatalf("separator invariant broken at child %d", i)
		}
		if i == 0 {
			lo = clo
		}
		size, hi = size+cs, chi
	}
	return size, lo, hi
}

func TestZSetSequentialFill(t *testing.T) {
	for _, tc := range []struct {
		name  string
		score func(i int) float64
	}{
		{"ascending", func(i int) float64 { return float64(i) }},
		{"descending", func(i int) float64 { return float64(-i) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			z, m := NewZSet(), zmodel{}
			for i := range 10000 {
				z.Set(fmt.Sprint(i), tc.score(i))
				m.set(fmt.Sprint(i), tc.score(i))
			}
			zcheck(t, z, m)
			if leaves := countLeaves(z.tree.root); leaves > 10000/(zmaxFill-1)+2 {
				t.Errorf("%d leaves for 10000 members: sequential inserts should fill leaves", leaves)
			}
			for i := range 10000 {
				z.Remove(fmt.Sprint(i))
				m.remove(fmt.Sprint(i))
				if i%997 == 0 {
					zcheck(t, z, m)
				}
			}
			if z.tree.root != nil || z.Len() != 0 {
				t.Errorf("empty set keeps a tree")
			}
		})
	}
}

func countLeaves(n *znode) int {
	if n == nil {
		return 0
	}
	if n.leaf() {
		return 1
	}
	total := 0
	for _, c := range n.children {
		total += countLeaves(c)
	}
	return total
}

func TestZSetRanges(t *testing.T) {
	z := NewZSet()
	for i := range 300 {
		z.Set(fmt.Sprintf("m%03d", i), float64(i/3))
	}
	for _, tc := range []struct {
		name      string
		got, want int
	}{
		{"score below 0", z.CountScoreBelow(0, false), 0},
		{"score at most 0", z.CountScoreBelow(0, true), 3},
		{"score below 10", z.CountScoreBelow(10, false), 30},
		{"score at most 10", z.CountScoreBelow(10, true), 33},
		{"score below 9.5", z.CountScoreBelow(9.5, true), 30},
		{"score at most +inf", z.CountScoreBelow(math.Inf(1), true), 300},
		{"score below -inf", z.CountScoreBelow(math.Inf(-1), false), 0},
		{"member below m100", z.CountMemberBelow("m100", false), 100},
		{"member at most m100", z.CountMemberBelow("m100", true), 101},
		{"member below m1000", z.CountMemberBelow("m1000", true), 101},
		{"member at most empty", z.CountMemberBelow("", true), 0},
	} {
		if tc.got != tc.want {
			t.Errorf("%s: got %d, want %d", tc.name, tc.got, tc.want)
		}
	}
}

func TestZSetAscendDescendFrom(t *testing.T) {
	z := NewZSet()
	for i := range 1000 {
		z.Set(fmt.Sprint(i), float64(i))
	}
	for _, from := range []int{-5, 0, 1, 63, 64, 65, 500, 998, 999, 1000, 5000} {
		var up, down []float64
		z.Ascend(from, func(m ZMember) bool { up = append(up, m.Score); return len(up) < 3 })
		z.Descend(from, func(m ZMember) bool { down = append(down, m.Score); return len(down) < 3 })
		var wantUp, wantDown []float64
		for i := max(from, 0); i < 1000 && len(wantUp) < 3; i++ {
			wantUp = append(wantUp, float64(i))
		}
		for i := min(from, 999); i >= 0 && len(wantDown) < 3; i-- {
			wantDown = append(wantDown, float64(i))
		}
		if !slices.Equal(up, wantUp) || !slices.Equal(down, wantDown) {
			t.Errorf("from %d: up %v down %v, want %v %v", from, up, down, wantUp, wantDown)
		}
	}
}

func TestZSetRemoveRange(t *testing.T) {
	for _, tc := range []struct {
		name              string
		n, start, end, rm int
	}{
		{"middle", 500, 100, 200, 100},
		{"all", 500, 0, 500, 500},
		{"clamped", 500, -10, 10000, 500},
		{"empty", 500, 300, 300, 0},
		{"inverted", 500, 300, 200, 0},
		{"small tail", 20, 15, 20, 5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			z, m := NewZSet(), zmodel{}
			for i := range tc.n {
				z.Set(fmt.Sprint(i), float64(i))
				m.set(fmt.Sprint(i), float64(i))
			}
			if got := z.RemoveRange(tc.start, tc.end); got != tc.rm {
				t.Fatalf("removed %d, want %d", got, tc.rm)
			}
			s, e := max(tc.start, 0), min(tc.end, tc.n)
			if s < e {
				m = slices.Delete(m, s, e)
			}
			zcheck(t, z, m)
		})
	}
}

func TestZSetListpackEncoding(t *testing.T) {
	long := string(bytes.Repeat([]byte("x"), ZSetListpackValue+1))
	for _, tc := range []struct {
		name     string
		build    func() *ZSet
		listpack bool
		zero     float64 // the score of member "z"
	}{
		{"new set", func() *ZSet { z := NewZSet(); z.Set("z", math.Copysign(0, -1)); return z }, true, 0},
		{"too many", func() *ZSet {
			z := NewZSet()
			for i := range ZSetListpackEntries + 1 {
				z.Set(fmt.Sprint(i), 1)
			}
			z.Set("z", math.Copysign(0, -1))
			return z
		}, false, math.Copysign(0, -1)},
		{"long member", func() *ZSet { z := NewZSet(); z.Set(long, 1); z.Set("z", math.Copysign(0, -1)); return z }, false, math.Copysign(0, -1)},
		{"stays skiplist after removal", func() *ZSet {
			z := NewZSet()
			z.Set(long, 1)
			z.Remove(long)
			z.Set("z", 0)
			return z
		}, false, 0},
		{"store result small", func() *ZSet { return NewZSetFrom([]ZMember{{"z", math.Copysign(0, -1)}}) }, true, 0},
		{"store result long", func() *ZSet {
			return NewZSetFrom([]ZMember{{"z", math.Copysign(0, -1)}, {long, 1}})
		}, false, math.Copysign(0, -1)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			z := tc.build()
			if z.Listpack() != tc.listpack {
				t.Errorf("Listpack() = %v, want %v", z.Listpack(), tc.listpack)
			}
			s, _ := z.Score("z")
			if math.Signbit(s) != math.Signbit(tc.zero) {
				t.Errorf("score of z = %v, want %v", s, tc.zero)
			}
		})
	}
}

func TestZSetEncodingRoundTrip(t *testing.T) {
	for _, n := range []int{0, 1, 32, 33, 500} {
		t.Run(fmt.Sprint("n=", n), func(t *testing.T) {
			a, b := NewZSet(), NewZSet()
			for i := range n {
				a.Set(fmt.Sprint(i), float64(i%7))
			}
			for i := n - 1; i >= 0; i-- { // same members, another history
				b.Set(fmt.Sprint(i), -1)
				b.Set(fmt.Sprint(i), float64(i%7))
			}
			ea, eb := a.AppendEncoded(nil), b.AppendEncoded(nil)
			if !bytes.Equal(ea, eb) {
				t.Fatalf("same members, different encodings")
			}
			v, err := DecodeValue(ea)
			if err != nil {
				t.Fatal(err)
			}
			if got := v.AppendEncoded(nil); !bytes.Equal(got, ea) {
				t.Fatalf("decode/encode changed the bytes")
			}
			c := a.Clone().(*ZSet)
			c.Set("new", 1)
			if a.Len() != n || !bytes.Equal(a.AppendEncoded(nil), ea) {
				t.Fatalf("Clone shares memory with the original")
			}
		})
	}
}

func TestZSetDecodeCorrupt(t *testing.T) {
	good := NewZSet()
	good.Set("a", 1)
	good.Set("b", 2)
	enc := good.AppendEncoded(nil)
	nan := NewZSet()
	nan.insert(ZMember{"a", math.NaN()})
	dup := &ZSet{}
	dup.tree.insert(ZMember{"a", 1})
	dup.tree.insert(ZMember{"a", 2})
	unsorted := append([]byte{tagZSet, 0, 2}, appendString(nil, "b")...)
	unsorted = append(unsorted, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f)
	unsorted = append(append(unsorted, appendString(nil, "a")...), 0, 0, 0, 0, 0, 0, 0xf0, 0x3f)
	for _, tc := range []struct {
		name string
		b    []byte
	}{
		{"truncated", enc[:len(enc)-1]},
		{"trailing", append(slices.Clone(enc), 0)},
		{"bad flags", append([]byte{tagZSet, 9}, enc[2:]...)},
		{"huge count", []byte{tagZSet, 0, 0xff, 0xff, 0xff, 0x0f}},
		{"nan", nan.AppendEncoded(nil)},
		{"duplicate member", dup.AppendEncoded(nil)},
		{"unsorted", unsorted},
	} {
		if _, err := DecodeValue(tc.b); err == nil {
			t.Errorf("%s: decoded without error", tc.name)
		}
	}
}

func TestZSetScan(t *testing.T) {
	z := NewZSetSkiplist()
	for i := range 1000 {
		z.Set(fmt.Sprint(i), float64(i))
	}
	seen := map[string]int{}
	cursor, calls := uint64(0), 0
	for {
		cursor = z.Scan(cursor, 10, func(m ZMember) { seen[m.Member]++ })
		calls++
		// Churn: members >= 1000 come and go, the original ones stay.
		z.Set(fmt.Sprint(1000+calls), 0)
		z.Remove(fmt.Sprint(1000 + calls/2))
		if cursor == 0 {
			break
		}
	}
	for i := range 1000 {
		if seen[fmt.Sprint(i)] == 0 {
			t.Fatalf("member %d never returned", i)
		}
	}
	if calls < 50 {
		t.Errorf("a 1000-member skiplist set scanned in %d calls: want batches", calls)
	}
	small := NewZSet()
	small.Set("a", 1)
	var got []string
	if next := small.Scan(12345, 1, func(m ZMember) { got = append(got, m.Member) }); next != 0 || len(got) != 1 {
		t.Errorf("small set: next %d, got %v; want everything and cursor 0", next, got)
	}
}

// TestZSetMemoryPerMember measures the heap a sorted set costs per member,
// beyond the member strings themselves (which the set shares with nothing
// else here).
func TestZSetMemoryPerMember(t *testing.T) {
	if testing.Short() {
		t.Skip("measures the heap")
	}
	members := make([]string, 100000)
	for i := range members {
		members[i] = fmt.Sprintf("member:%08d", i)
	}
	for _, tc := range []struct {
		name  string
		n     int
		order func(i int) float64
	}{
		{"small/n=20", 20, func(i int) float64 { return float64(i) }},
		{"large/ascending", 100000, func(i int) float64 { return float64(i) }},
		{"large/random", 100000, func(i int) float64 { return float64(i*7919%100000) / 3 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			per := perMember(tc.n, func() any {
				sets := make([]*ZSet, 100000/tc.n)
				for s := range sets {
					sets[s] = NewZSet()
					for i := range tc.n {
						sets[s].Set(members[i], tc.order(i))
					}
				}
				return sets
			})
			t.Logf("%.1f bytes per member (not counting the member bytes)", per)
			if per > 120 {
				t.Errorf("%.1f bytes per member", per)
			}
		})
	}
}

// perMember returns the heap bytes build's result keeps alive, divided by
// the 100000 members it holds.
func perMember(n int, build func() any) float64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	v := build()
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(v)
	sets := 100000 / n
	return float64(after.HeapAlloc-before.HeapAlloc) / float64(sets*n)
}
