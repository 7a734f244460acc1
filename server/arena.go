package server

// arenaBlock is the size of one arena block; an argument larger than an
// eighth of it gets its own allocation, so a block wastes at most that.
const arenaBlock = 16 << 10

// arena copies small arguments into shared blocks, so that an argument
// which must outlive the read buffer costs one copy and no allocation of
// its own. The slices it returns stay valid until reset; the zero value is
// ready to use.
type arena struct{ block []byte }

// copy returns a copy of b with its capacity clipped to its length.
func (a *arena) copy(b []byte) []byte {
	if len(b) > arenaBlock/8 {
		return append(make([]byte, 0, len(b)), b...)
	}
	if cap(a.block)-len(a.block) < len(b) {
		a.block = make([]byte, 0, arenaBlock)
	}
	start := len(a.block)
	a.block = append(a.block, b...)
	return a.block[start:len(a.block):len(a.block)]
}

// reset reuses the current block from its start (earlier blocks become
// garbage). Every slice copy returned before is dead after it.
func (a *arena) reset() { a.block = a.block[:0] }

// drop forgets the blocks without reusing them: slices returned before stay
// valid, and copy allocates afresh.
func (a *arena) drop() { a.block = nil }
