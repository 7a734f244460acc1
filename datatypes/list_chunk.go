package datatypes

import "slices"

// Chunk limits: a chunk takes another element while it holds fewer than
// maxChunkElems elements and the element keeps its bytes within
// maxChunkBytes. An element larger than that gets a chunk of its own. The
// limits bound the cost of an edit inside a chunk, as Redis's
// list-max-listpack-size (-2: 8 kB) does for a quicklist node.
const (
	maxChunkElems = 128
	maxChunkBytes = 8 << 10
)

// chunk is a run of list elements packed into one byte slice, with free
// room at both ends so pushes and pops at either end are amortized O(1).
//
// Element i is buf[off[head+i]:off[head+i+1]]. Bytes before off[head] and
// offsets before head are free room for pushFront; len(buf) always equals
// the last offset, so pushBack is a plain append. Offsets are uint32: an
// element is at most proto-max-bulk-len (512 MB) and a chunk holding more
// than one element stays near maxChunkBytes.
//
// Slices returned by at and the pop methods alias buf: they stay valid until
// the chunk's next push or set.
type chunk struct {
	buf  []byte
	off  []uint32
	head int
}

// newChunk returns a chunk holding copies of elems, with no free room.
func newChunk(elems [][]byte) *chunk {
	size := 0
	for _, e := range elems {
		size += len(e)
	}
	c := &chunk{buf: make([]byte, 0, size), off: make([]uint32, 1, len(elems)+1)}
	for _, e := range elems {
		c.pushBack(e)
	}
	return c
}

// count returns the number of elements.
func (c *chunk) count() int { return len(c.off) - 1 - c.head }

// size returns the number of element bytes.
func (c *chunk) size() int { return int(c.off[len(c.off)-1] - c.off[c.head]) }

// fits reports whether e may join the chunk under the chunk limits.
func (c *chunk) fits(e []byte) bool {
	n := c.count()
	return n == 0 || (n < maxChunkElems && c.size()+len(e) <= maxChunkBytes)
}

// at returns element i, 0 <= i < count().
func (c *chunk) at(i int) []byte {
	i += c.head
	return c.buf[c.off[i]:c.off[i+1]:c.off[i+1]]
}

// elems returns every element, aliasing buf.
func (c *chunk) elems() [][]byte {
	out := make([][]byte, c.count())
	for i := range out {
		out[i] = c.at(i)
	}
	return out
}

// pushBack appends a copy of e.
func (c *chunk) pushBack(e []byte) {
	c.buf = append(c.buf, e...)
	c.off = append(c.off, uint32(len(c.buf)))
}

// reserveBack returns how many of elems (at least one) may join the chunk
// at its back under the chunk limits, and makes room for them there.
func (c *chunk) reserveBack(elems [][]byte) int {
	n, size, k, bytes := c.count(), c.size(), 0, 0
	for _, e := range elems {
		if n+k > 0 && (n+k >= maxChunkElems || size+bytes+len(e) > maxChunkBytes) {
			break
		}
		k, bytes = k+1, bytes+len(e)
	}
	k = max(k, 1)
	c.buf = slices.Grow(c.buf, bytes)
	c.off = slices.Grow(c.off, k)
	return k
}

// pushFront prepends a copy of e, making free room first when needed.
func (c *chunk) pushFront(e []byte) {
	if c.head == 0 || int(c.off[c.head]) < len(e) {
		c.reserveFront(len(e))
	}
	c.head--
	c.off[c.head] = c.off[c.head+1] - uint32(len(e))
	copy(c.buf[c.off[c.head]:], e)
}

// reserveFront reallocates the chunk with room for at least one more offset
// and need more bytes at the front; the room grows with the chunk, so a run
// of pushFront calls copies each byte O(1) times.
func (c *chunk) reserveFront(need int) {
	live := c.buf[c.off[c.head]:]
	n := c.count()
	roomBytes := need + max(len(live), 16)
	roomOffs := n + 1
	buf := make([]byte, roomBytes+len(live))
	copy(buf[roomBytes:], live)
	off := make([]uint32, roomOffs+n+1)
	base := c.off[c.head]
	for i := 0; i <= n; i++ {
		off[roomOffs+i] = c.off[c.head+i] - base + uint32(roomBytes)
	}
	c.buf, c.off, c.head = buf, off, roomOffs
}

// popFront removes and returns the first element (an alias).
func (c *chunk) popFront() []byte {
	e := c.at(0)
	c.head++
	return e
}

// popBack removes and returns the last element (an alias).
func (c *chunk) popBack() []byte {
	e := c.at(c.count() - 1)
	c.off = c.off[:len(c.off)-1]
	c.buf = c.buf[:c.off[len(c.off)-1]]
	return e
}

// dropFront removes the first k elements, 0 <= k <= count().
func (c *chunk) dropFront(k int) { c.head += k }

// dropBack removes the last k elements, 0 <= k <= count().
func (c *chunk) dropBack(k int) {
	c.off = c.off[:len(c.off)-k]
	c.buf = c.buf[:c.off[len(c.off)-1]]
}

// set replaces element i with a copy of e when the lengths match and
// reports whether it did; otherwise the caller rebuilds the chunk.
func (c *chunk) set(i int, e []byte) bool {
	old := c.at(i)
	if len(old) != len(e) {
		return false
	}
	copy(old, e)
	return true
}

// packChunks packs elems into as few chunks as the limits allow, filling
// each in turn (for decoding and cloning).
func packChunks(elems [][]byte) []*chunk {
	var out []*chunk
	cur := &chunk{off: []uint32{0}}
	for _, e := range elems {
		if !cur.fits(e) {
			out = append(out, cur)
			cur = &chunk{off: []uint32{0}}
		}
		cur.pushBack(e)
	}
	if cur.count() > 0 {
		out = append(out, cur)
	}
	return out
}

// splitChunks packs elems into one chunk when they fit, else halves them
// and recurses, so an edit that overflows a chunk leaves two half-full
// chunks rather than a full one and a nearly empty one.
func splitChunks(elems [][]byte) []*chunk {
	if len(elems) == 0 {
		return nil
	}
	if len(elems) == 1 || fitsOneChunk(elems) {
		return []*chunk{newChunk(elems)}
	}
	mid := len(elems) / 2
	return append(splitChunks(elems[:mid]), splitChunks(elems[mid:])...)
}

func fitsOneChunk(elems [][]byte) bool {
	if len(elems) > maxChunkElems {
		return false
	}
	size := 0
	for _, e := range elems {
		size += len(e)
	}
	return size <= maxChunkBytes
}
