package datatypes

import (
	"bytes"
	"slices"
)

// Edits inside a list: LSET, LINSERT, LREM and LTRIM. Each rebuilds at most
// the chunks it touches.

// Set replaces element i with a copy of e, 0 <= i < Len().
func (l *List) Set(i int, e []byte) {
	ci, j := l.locate(i)
	c := l.chunks()[ci]
	if c.set(j, e) {
		return
	}
	elems := c.elems()
	elems[j] = e
	l.replaceChunk(ci, splitChunks(elems))
}

// Find returns the index of the first element equal to e, head to tail,
// or -1.
func (l *List) Find(e []byte) int {
	i, found := 0, false
	l.Each(false, func(x []byte) bool {
		if found = bytes.Equal(x, e); !found {
			i++
		}
		return !found
	})
	if !found {
		return -1
	}
	return i
}

// InsertAt inserts a copy of e so that it becomes element i,
// 0 <= i <= Len().
func (l *List) InsertAt(i int, e []byte) {
	if i == l.n {
		l.PushBack(e)
		return
	}
	ci, j := l.locate(i)
	c := l.chunks()[ci]
	l.replaceChunk(ci, splitChunks(slices.Insert(c.elems(), j, e)))
	l.n++
}

// replaceChunk puts repl (possibly none) in the place of chunk ci.
func (l *List) replaceChunk(ci int, repl []*chunk) {
	cs := l.chunks()
	if len(repl) == 1 {
		cs[ci] = repl[0]
		return
	}
	l.cs, l.lo = slices.Replace(cs, ci, ci+1, repl...), 0
	l.resetIfEmpty()
}

// Remove removes elements equal to e, up to limit of them (all when limit
// is 0), the first ones from the head, or from the tail when fromTail, and
// returns how many it removed.
func (l *List) Remove(e []byte, limit int, fromTail bool) int {
	if limit == 0 {
		limit = l.n
	}
	removed := 0
	cs := l.chunks()
	for k := 0; k < len(cs) && removed < limit; k++ {
		ci := k
		if fromTail {
			ci = len(cs) - 1 - k
		}
		if kept, n := cs[ci].without(e, limit-removed, fromTail); n > 0 {
			cs[ci] = newChunk(kept)
			removed += n
		}
	}
	if removed > 0 {
		l.n -= removed
		l.compact()
	}
	return removed
}

// without returns the chunk's elements (aliases) less the first limit
// elements equal to e (the last ones when fromTail), and how many it left
// out.
func (c *chunk) without(e []byte, limit int, fromTail bool) (kept [][]byte, n int) {
	count := c.count()
	var drop []bool
	for k := 0; k < count && n < limit; k++ {
		i := k
		if fromTail {
			i = count - 1 - k
		}
		if bytes.Equal(c.at(i), e) {
			if drop == nil {
				drop = make([]bool, count)
			}
			drop[i] = true
			n++
		}
	}
	if n == 0 {
		return nil, 0
	}
	kept = make([][]byte, 0, count-n)
	for i := range count {
		if !drop[i] {
			kept = append(kept, c.at(i))
		}
	}
	return kept, n
}

// compact drops empty chunks and merges neighbours that together fill at
// most half a chunk, so removals do not leave a trail of tiny chunks.
func (l *List) compact() {
	out := l.cs[:l.lo]
	for _, c := range l.chunks() {
		switch last := len(out) - 1; {
		case c.count() == 0:
		case last >= l.lo && mergeable(out[last], c):
			out[last] = newChunk(append(out[last].elems(), c.elems()...))
		default:
			out = append(out, c)
		}
	}
	clear(l.cs[len(out):])
	l.cs = out
	l.resetIfEmpty()
}

func mergeable(a, b *chunk) bool {
	return a.count()+b.count() <= maxChunkElems/2 && a.size()+b.size() <= maxChunkBytes/2
}

// Trim removes front elements from the head and back elements from the
// tail; front+back <= Len().
func (l *List) Trim(front, back int) {
	l.n -= front + back
	for front > 0 {
		c := l.cs[l.lo]
		if k := c.count(); front >= k {
			l.dropFirstChunk()
			front -= k
			continue
		}
		c.dropFront(front)
		front = 0
	}
	for back > 0 {
		c := l.cs[len(l.cs)-1]
		if k := c.count(); back >= k {
			l.dropLastChunk()
			back -= k
			continue
		}
		c.dropBack(back)
		back = 0
	}
}
