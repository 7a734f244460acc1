package datatypes

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// listModel is the obvious slice implementation the List is checked against.
type listModel [][]byte

// checkList compares l with the model and checks the chunk invariants.
func checkList(t testing.TB, l *List, want listModel) {
	t.Helper()
	if l.Len() != len(want) {
		t.Fatalf("Len = %d, want %d", l.Len(), len(want))
	}
	got := l.all()
	for i := range want {
		if !bytes.Equal(got[i], want[i]) {
			t.Fatalf("element %d = %q, want %q", i, got[i], want[i])
		}
	}
	total := 0
	for _, c := range l.chunks() {
		if c.count() == 0 {
			t.Fatalf("empty chunk in a list of %d", l.Len())
		}
		if c.count() > 1 && (c.count() > maxChunkElems || c.size() > 2*maxChunkBytes) {
			t.Fatalf("oversized chunk: %d elements, %d bytes", c.count(), c.size())
		}
		total += c.count()
	}
	if total != l.n {
		t.Fatalf("chunks hold %d elements, n = %d", total, l.n)
	}
}

func elem(i int) []byte { return []byte(fmt.Sprintf("e%d", i)) }

func TestListPushPop(t *testing.T) {
	cases := []struct {
		name       string
		pushFront  bool
		popFront   bool
		n          int
		size       int // element size in bytes; 0 for short names
		wantHeadAt int // the element Index(0) returns after all pushes
	}{
		{"rpush lpop one chunk", false, true, 10, 0, 0},
		{"rpush lpop many chunks", false, true, 1000, 0, 0},
		{"lpush rpop many chunks", true, false, 1000, 0, 999},
		{"lpush lpop many chunks", true, true, 1000, 0, 999},
		{"rpush rpop many chunks", false, false, 1000, 0, 0},
		{"big elements", true, true, 20, maxChunkBytes + 1, 19},
		{"half-chunk elements", false, true, 30, maxChunkBytes / 2, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			l, model := NewList(), listModel{}
			for i := range tc.n {
				e := append(elem(i), strings.Repeat("x", tc.size)...)
				if tc.pushFront {
					l.PushFront(e)
					model = slices.Insert(model, 0, e)
				} else {
					l.PushBack(e)
					model = append(model, e)
				}
			}
			checkList(t, l, model)
			if !bytes.HasPrefix(l.Index(0), elem(tc.wantHeadAt)) {
				t.Fatalf("Index(0) = %.10q, want element %d", l.Index(0), tc.wantHeadAt)
			}
			for l.Len() > 0 {
				got, want := l.Pop(tc.popFront), model[0]
				if tc.popFront {
					model = model[1:]
				} else {
					want, model = model[len(model)-1], model[:len(model)-1]
				}
				if !bytes.Equal(got, want) {
					t.Fatalf("Pop = %.10q, want %.10q", got, want)
				}
			}
			checkList(t, l, nil)
		})
	}
}

// TestListPopIsACopy checks popped elements survive later pushes that
// reuse the room they left.
func TestListPopIsACopy(t *testing.T) {
	for _, front := range []bool{true, false} {
		t.Run(fmt.Sprintf("front=%v", front), func(t *testing.T) {
			l := NewList()
			l.PushBack([]byte("aaa"))
			l.PushBack([]byte("bbb"))
			one := l.Pop(front)
			two := l.PopN(front, 5)
			for range 3 {
				l.PushFront([]byte("xxx"))
				l.PushBack([]byte("yyy"))
			}
			if string(one)+string(two[0]) != map[bool]string{true: "aaabbb", false: "bbbaaa"}[front] {
				t.Fatalf("popped %q %q", one, two[0])
			}
		})
	}
}

func TestListEdits(t *testing.T) {
	build := func(n int) (*List, listModel) {
		l, m := NewList(), listModel{}
		for i := range n {
			l.PushBack(elem(i % 7))
			m = append(m, elem(i%7))
		}
		return l, m
	}
	cases := []struct {
		name string
		n    int
		edit func(l *List, m listModel) listModel
	}{
		{"set same length", 300, func(l *List, m listModel) listModel {
			l.Set(150, []byte("zz"))
			m[150] = []byte("zz")
			return m
		}},
		{"set longer in a full chunk", 300, func(l *List, m listModel) listModel {
			big := bytes.Repeat([]byte("b"), maxChunkBytes)
			l.Set(127, big)
			m[127] = big
			return m
		}},
		{"set near the tail", 300, func(l *List, m listModel) listModel {
			l.Set(298, []byte("tail-1"))
			m[298] = []byte("tail-1")
			return m
		}},
		{"insert before first match", 300, func(l *List, m listModel) listModel {
			insert(l, elem(3), []byte("new"), false)
			return slices.Insert(m, 3, []byte("new"))
		}},
		{"insert after, splitting a full chunk", 128, func(l *List, m listModel) listModel {
			for range 50 {
				insert(l, elem(6), []byte("ins"), true)
				m = slices.Insert(m, 7, []byte("ins"))
			}
			return m
		}},
		{"insert missing pivot", 10, func(l *List, m listModel) listModel {
			if insert(l, []byte("nope"), []byte("x"), false) {
				panic("found a missing pivot")
			}
			return m
		}},
		{"remove all", 1000, func(l *List, m listModel) listModel {
			l.Remove(elem(2), 0, false)
			return slices.DeleteFunc(m, func(e []byte) bool { return bytes.Equal(e, elem(2)) })
		}},
		{"remove from head with limit", 1000, func(l *List, m listModel) listModel {
			l.Remove(elem(2), 20, false)
			return removeModel(m, elem(2), 20, false)
		}},
		{"remove from tail with limit", 1000, func(l *List, m listModel) listModel {
			l.Remove(elem(2), 20, true)
			return removeModel(m, elem(2), 20, true)
		}},
		{"remove everything one value at a time", 500, func(l *List, m listModel) listModel {
			for v := range 7 {
				l.Remove(elem(v), 0, v%2 == 0)
			}
			return nil
		}},
		{"trim across chunks", 1000, func(l *List, m listModel) listModel {
			l.Trim(300, 400)
			return m[300:600]
		}},
		{"trim inside one chunk", 100, func(l *List, m listModel) listModel {
			l.Trim(3, 4)
			return m[3:96]
		}},
		{"trim everything", 1000, func(l *List, m listModel) listModel {
			l.Trim(500, 500)
			return nil
		}},
		{"trim then push", 1000, func(l *List, m listModel) listModel {
			l.Trim(129, 129)
			l.PushFront([]byte("f"))
			l.PushBack([]byte("b"))
			m = append(listModel{[]byte("f")}, m[129:1000-129]...)
			return append(m, []byte("b"))
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			l, m := build(tc.n)
			m = tc.edit(l, m)
			checkList(t, l, m)
		})
	}
}

// insert inserts e before (or after) the first pivot, as LINSERT does, and
// reports whether pivot was found.
func insert(l *List, pivot, e []byte, after bool) bool {
	i := l.Find(pivot)
	if i < 0 {
		return false
	}
	if after {
		i++
	}
	l.InsertAt(i, e)
	return true
}

func removeModel(m listModel, e []byte, limit int, fromTail bool) listModel {
	drop := map[int]bool{}
	for k := 0; k < len(m) && len(drop) < limit; k++ {
		i := k
		if fromTail {
			i = len(m) - 1 - k
		}
		if bytes.Equal(m[i], e) {
			drop[i] = true
		}
	}
	var out listModel
	for i, x := range m {
		if !drop[i] {
			out = append(out, x)
		}
	}
	return out
}

// TestListRandomOps applies random operations to a List and to the model
// and compares them after each one.
func TestListRandomOps(t *testing.T) {
	seed := rand.Uint64()
	t.Logf("seed %d", seed)
	r := rand.New(rand.NewPCG(seed, 0))
	l, m := NewList(), listModel{}
	for step := range 20000 {
		m = randomListOp(r, l, m)
		if step%97 == 0 || l.Len() < 5 {
			checkList(t, l, m)
		}
	}
	checkList(t, l, m)
}

func randomElem(r *rand.Rand) []byte {
	if r.IntN(50) == 0 {
		return bytes.Repeat([]byte{'L'}, r.IntN(3*maxChunkBytes))
	}
	return []byte(fmt.Sprint(r.IntN(10)))
}

func randomListOp(r *rand.Rand, l *List, m listModel) listModel {
	e := randomElem(r)
	switch op := r.IntN(12); {
	case op < 3:
		l.PushFront(e)
		return slices.Insert(m, 0, e)
	case op < 6:
		l.PushBack(e)
		return append(m, e)
	case op == 6 && len(m) > 0:
		k := r.IntN(len(m)+2) + 1
		front := r.IntN(2) == 0
		l.PopN(front, k)
		if k = min(k, len(m)); front {
			return m[k:]
		}
		return m[:len(m)-k]
	case op == 7 && len(m) > 0:
		i := r.IntN(len(m))
		l.Set(i, e)
		m[i] = e
		return m
	case op == 8 && r.IntN(3) == 0:
		i := r.IntN(len(m) + 1)
		l.InsertAt(i, e)
		return slices.Insert(m, i, e)
	case op == 8:
		pivot := randomElem(r)
		i := slices.IndexFunc(m, func(x []byte) bool { return bytes.Equal(x, pivot) })
		after := r.IntN(2) == 0
		if insert(l, pivot, e, after) != (i >= 0) {
			panic("Insert disagrees about the pivot")
		}
		if i < 0 {
			return m
		}
		if after {
			i++
		}
		return slices.Insert(m, i, e)
	case op == 9:
		limit, fromTail := r.IntN(4), r.IntN(2) == 0
		n := l.Remove(e, limit, fromTail)
		if limit == 0 {
			limit = len(m)
		}
		out := removeModel(m, e, limit, fromTail)
		if n != len(m)-len(out) {
			panic("Remove miscounted")
		}
		return out
	case op == 10 && len(m) > 0:
		front := r.IntN(len(m) + 1)
		back := r.IntN(len(m) - front + 1)
		if r.IntN(4) != 0 {
			front, back = min(front, 3), min(back, 3)
		}
		l.Trim(front, back)
		return m[front : len(m)-back]
	case op == 11 && len(m) > 0:
		i := r.IntN(len(m))
		if !bytes.Equal(l.Index(i), m[i]) {
			panic("Index disagrees")
		}
	}
	return m
}

func TestListRangeAndEach(t *testing.T) {
	l, m := NewList(), listModel{}
	for i := range 700 {
		l.PushFront(elem(i))
		m = slices.Insert(m, 0, elem(i))
	}
	cases := []struct {
		name        string
		start, stop int
	}{
		{"one", 5, 5}, {"head", 0, 10}, {"across chunks", 100, 400}, {"tail", 650, 699}, {"all", 0, 699},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var got listModel
			l.Range(tc.start, tc.stop, func(e []byte) { got = append(got, e) })
			if !slices.EqualFunc(got, m[tc.start:tc.stop+1], bytes.Equal) {
				t.Fatalf("Range(%d, %d) differs", tc.start, tc.stop)
			}
		})
	}
	var rev listModel
	l.Each(true, func(e []byte) bool { rev = append(rev, e); return len(rev) < 300 })
	want := slices.Clone(m[400:])
	slices.Reverse(want)
	if !slices.EqualFunc(rev, want, bytes.Equal) {
		t.Fatalf("Each(reverse) stopped at %d or differs", len(rev))
	}
}

func TestListCloneIsDeep(t *testing.T) {
	l := NewList()
	for i := range 300 {
		l.PushBack(elem(i))
	}
	c := l.Clone().(*List)
	c.Set(0, []byte("eX"))
	c.Set(299, []byte("changed"))
	c.PushFront([]byte("front"))
	c.Pop(false)
	if string(l.Index(0)) != "e0" || string(l.Index(299)) != "e299" || l.Len() != 300 {
		t.Fatalf("changing the clone changed the original")
	}
}

// TestListEncoding checks equal lists encode equally whatever their chunk
// layout, and that decoding restores them.
func TestListEncoding(t *testing.T) {
	pushed, prepended := NewList(), NewList()
	for i := range 500 {
		pushed.PushBack(elem(i))
		prepended.PushFront(elem(499 - i))
	}
	insert(prepended, elem(250), []byte("x"), false)
	prepended.Remove([]byte("x"), 0, false)
	a, b := pushed.AppendEncoded(nil), prepended.AppendEncoded(nil)
	if !bytes.Equal(a, b) {
		t.Fatal("equal lists encode differently")
	}
	v, err := DecodeValue(a)
	if err != nil {
		t.Fatal(err)
	}
	if got := v.AppendEncoded(nil); !bytes.Equal(got, a) {
		t.Fatal("decoded list encodes differently")
	}
	checkList(t, v.(*List), pushed.all())
	bad := map[string][]byte{
		"truncated":      a[:len(a)-1],
		"trailing bytes": append(slices.Clone(a), 0),
		"huge count":     {tagList, 0xff, 0xff, 0xff, 0xff, 0x0f},
		"short element":  {tagList, 1, 5, 'a'},
	}
	for name, b := range bad {
		t.Run(name, func(t *testing.T) {
			if _, err := DecodeValue(b); err == nil {
				t.Fatal("decoded a corrupt list")
			}
		})
	}
}
