package protocol

// argSlab hands out the [][]byte and [][][]byte slices of a decoded
// entry's units from a few shared arrays instead of one allocation per
// command: an entry of a thousand SETs costs a dozen allocations, not two
// thousand. Each slice it returns is capacity-limited, so an append to one
// never writes into the next. Its counts come from readCount, bounded by
// the bytes left, so a damaged entry cannot make it allocate more than the
// entry's size allows.
type argSlab struct {
	argBuf [][]byte
	cmdBuf [][][]byte
}

// The arrays grow geometrically, from slabFirst slices to slabChunk, and
// never hold more than the entry's bytes left could fill (each slice takes
// at least one byte there, its count): a one-command entry gets small
// arrays, a large entry few of them, with at most about half of one unused.
const (
	slabFirst = 8
	slabChunk = 512
)

// nextChunk is the size of the array after one of size last, to hold at
// least n more slices with left bytes of the entry to go.
func nextChunk(last, n, left int) int {
	return max(n, min(max(2*last, slabFirst), slabChunk, left))
}

// args returns a zeroed [][]byte of length n; left is the entry's bytes
// not yet decoded.
func (s *argSlab) args(n, left int) [][]byte { return slabTake(&s.argBuf, n, left) }

// cmds returns a zeroed [][][]byte of length n; left as for args.
func (s *argSlab) cmds(n, left int) [][][]byte { return slabTake(&s.cmdBuf, n, left) }

// slabTake returns the next n zeroed slots of *buf, capacity-limited,
// starting a new array when *buf has too few left.
func slabTake[T any](buf *[]T, n, left int) []T {
	if n > cap(*buf)-len(*buf) {
		*buf = make([]T, 0, nextChunk(cap(*buf), n, left))
	}
	at := len(*buf)
	*buf = (*buf)[:at+n]
	return (*buf)[at : at+n : at+n]
}
