package datatypes

import "encoding/binary"

// List is a list value: a deque of chunks, each a run of elements packed
// into one byte slice (see chunk), like Redis's quicklist of listpacks.
// Pushes and pops at either end are amortized O(1); reaching element i
// walks chunks from the nearer end, so indexes near either end are fast.
//
// Slices the List returns from Index, Range and Each alias its memory: the
// caller must not modify them or keep them past the list's next change.
// Pop and PopN return copies the caller owns. The zero List is empty and
// ready to use.
type List struct {
	cs []*chunk // the chunks are cs[lo:], head first; none is empty
	lo int
	n  int
}

// NewList returns an empty list.
func NewList() *List { return &List{} }

// Kind reports KindList.
func (l *List) Kind() Kind { return KindList }

// Len returns the number of elements.
func (l *List) Len() int { return l.n }

// chunks returns the live chunks, head first.
func (l *List) chunks() []*chunk { return l.cs[l.lo:] }

// Clone returns a deep copy with its elements packed into full chunks.
func (l *List) Clone() Value {
	return &List{cs: packChunks(l.all()), n: l.n}
}

// all returns every element, head first, aliasing the list.
func (l *List) all() [][]byte {
	out := make([][]byte, 0, l.n)
	l.Each(false, func(e []byte) bool {
		out = append(out, e)
		return true
	})
	return out
}

// PushBack appends a copy of e.
func (l *List) PushBack(e []byte) {
	cs := l.chunks()
	if len(cs) == 0 || !cs[len(cs)-1].fits(e) {
		l.cs = append(l.cs, &chunk{off: []uint32{0}})
	}
	l.cs[len(l.cs)-1].pushBack(e)
	l.n++
}

// PushBackAll appends copies of elems in order, as PushBack on each
// would, but grows each chunk once for the elements it takes instead of
// letting append double it: a list made by one RPUSH has no spare room.
func (l *List) PushBackAll(elems [][]byte) {
	for len(elems) > 0 {
		cs := l.chunks()
		if len(cs) == 0 || !cs[len(cs)-1].fits(elems[0]) {
			l.cs = append(l.cs, &chunk{off: []uint32{0}})
		}
		c := l.cs[len(l.cs)-1]
		k := c.reserveBack(elems)
		for _, e := range elems[:k] {
			c.pushBack(e)
		}
		l.n += k
		elems = elems[k:]
	}
}

// PushFront prepends a copy of e.
func (l *List) PushFront(e []byte) {
	cs := l.chunks()
	if len(cs) == 0 || !cs[0].fits(e) {
		l.prependChunk(&chunk{off: []uint32{0}})
	}
	l.cs[l.lo].pushFront(e)
	l.n++
}

// prependChunk puts c before the first chunk, growing the room in front of
// the chunks as append grows the room behind them.
func (l *List) prependChunk(c *chunk) {
	if l.lo == 0 {
		cs := l.chunks()
		room := len(cs) + 1
		grown := make([]*chunk, room+len(cs))
		copy(grown[room:], cs)
		l.cs, l.lo = grown, room
	}
	l.lo--
	l.cs[l.lo] = c
}

// Pop removes and returns the first element (front) or the last one. The
// list must not be empty.
func (l *List) Pop(front bool) []byte {
	return append([]byte{}, l.popAlias(front)...)
}

// PopN removes up to k elements from the front or the back and returns
// them in the order they were popped. The copies share one allocation.
func (l *List) PopN(front bool, k int) [][]byte {
	k = min(k, l.n)
	out := make([][]byte, k)
	size := 0
	// No push happens until the copies are made, so the aliases stay valid.
	for i := range out {
		out[i] = l.popAlias(front)
		size += len(out[i])
	}
	buf := make([]byte, 0, size)
	for i, e := range out {
		buf = append(buf, e...)
		out[i] = buf[len(buf)-len(e) : len(buf) : len(buf)]
	}
	return out
}

// popAlias removes one element and returns it aliasing the chunk it was in,
// which stays valid until the next push.
func (l *List) popAlias(front bool) []byte {
	var e []byte
	if front {
		c := l.cs[l.lo]
		if e = c.popFront(); c.count() == 0 {
			l.dropFirstChunk()
		}
	} else {
		c := l.cs[len(l.cs)-1]
		if e = c.popBack(); c.count() == 0 {
			l.dropLastChunk()
		}
	}
	l.n--
	return e
}

func (l *List) dropFirstChunk() {
	l.cs[l.lo] = nil
	l.lo++
	l.resetIfEmpty()
}

func (l *List) dropLastChunk() {
	l.cs[len(l.cs)-1] = nil
	l.cs = l.cs[:len(l.cs)-1]
	l.resetIfEmpty()
}

// resetIfEmpty releases the chunk slice once no chunk is left.
func (l *List) resetIfEmpty() {
	if l.lo == len(l.cs) {
		l.cs, l.lo = nil, 0
	}
}

// locate returns the chunk (an index into chunks()) holding element i and
// i's index inside it, walking from the nearer end. 0 <= i < Len().
func (l *List) locate(i int) (ci, j int) {
	cs := l.chunks()
	if i < l.n/2 {
		for ci, c := range cs {
			if i < c.count() {
				return ci, i
			}
			i -= c.count()
		}
	}
	fromTail := l.n - 1 - i
	for ci = len(cs) - 1; ci > 0; ci-- {
		k := cs[ci].count()
		if fromTail < k {
			break
		}
		fromTail -= k
	}
	return ci, cs[ci].count() - 1 - fromTail
}

// Index returns element i, 0 <= i < Len().
func (l *List) Index(i int) []byte {
	ci, j := l.locate(i)
	return l.chunks()[ci].at(j)
}

// Range calls fn for elements start through stop, head to tail;
// 0 <= start <= stop < Len().
func (l *List) Range(start, stop int, fn func(e []byte)) {
	ci, j := l.locate(start)
	cs := l.chunks()
	for left := stop - start + 1; left > 0; ci, j = ci+1, 0 {
		c := cs[ci]
		for ; j < c.count() && left > 0; j, left = j+1, left-1 {
			fn(c.at(j))
		}
	}
}

// Each calls fn for each element, head to tail (tail to head when reverse),
// until fn returns false. fn must not change the list.
func (l *List) Each(reverse bool, fn func(e []byte) bool) {
	cs := l.chunks()
	for k := range cs {
		c := cs[k]
		if reverse {
			c = cs[len(cs)-1-k]
		}
		if !c.each(reverse, fn) {
			return
		}
	}
}

// each calls fn for the chunk's elements in order (reversed when reverse)
// and reports whether fn asked to go on.
func (c *chunk) each(reverse bool, fn func(e []byte) bool) bool {
	n := c.count()
	for i := range n {
		if reverse {
			i = n - 1 - i
		}
		if !fn(c.at(i)) {
			return false
		}
	}
	return true
}

// AppendEncoded appends tagList, the element count and each element, head
// to tail. The chunk layout is not encoded, so equal lists encode equally.
func (l *List) AppendEncoded(b []byte) []byte {
	b = append(b, tagList)
	b = binary.AppendUvarint(b, uint64(l.n))
	l.Each(false, func(e []byte) bool {
		b = appendBytes(b, e)
		return true
	})
	return b
}

// decodeList reads what AppendEncoded wrote after the tag.
func decodeList(d *decoder) (Value, error) {
	n := tableLen(d)
	elems := make([][]byte, 0, n)
	for range n {
		elems = append(elems, d.bytes())
	}
	if err := d.finish(); err != nil {
		return nil, err
	}
	return &List{cs: packChunks(elems), n: n}, nil
}
