package protocol

import "github.com/geetcache/geetcache/datatypes"

// maxLCSCells bounds LCS's dynamic-programming table ((len(a)+1) ×
// (len(b)+1) cells of 4 bytes, 128 MiB at most). Redis allocates whatever
// the strings need and fails only when malloc does; geetcache gives Redis's
// allocation-failure error past this bound instead of exhausting memory.
const maxLCSCells = 1 << 25

// lcsOptions are LCS's parsed options.
type lcsOptions struct {
	idx, length, withMatchLen bool
	minMatchLen               int64
}

// LCS key1 key2 [LEN] [IDX] [MINMATCHLEN min-match-len] [WITHMATCHLEN]
func lcs(c *Ctx) {
	a, okA := lcsOperand(c.Lookup(c.Args[1]))
	b, okB := lcsOperand(c.Lookup(c.Args[2]))
	if !okA || !okB {
		c.Out.Error(ErrLCSNotStrings)
		return
	}
	o, ok := parseLCSOptions(c, c.Args[3:])
	if !ok {
		return
	}
	if (int64(len(a))+1)*(int64(len(b))+1) > maxLCSCells {
		c.Out.Error(ErrLCSMemory)
		return
	}
	dp := lcsTable(a, b)
	switch {
	case o.idx:
		replyLCSMatches(c, a, b, dp, o)
	case o.length:
		c.Out.Int(int64(dp.at(len(a), len(b))))
	default:
		c.Out.Bulk(lcsString(a, b, dp))
	}
}

// lcsOperand returns the bytes at a key for LCS: empty when missing, ok
// false for another type.
func lcsOperand(e *datatypes.Entry) ([]byte, bool) {
	if e == nil {
		return nil, true
	}
	sv, isStr := entryString(e)
	if !isStr {
		return nil, false
	}
	return sv.Bytes(), true
}

// parseLCSOptions parses LCS's options, replying on error.
func parseLCSOptions(c *Ctx, args [][]byte) (o lcsOptions, ok bool) {
	for i := 0; i < len(args); i++ {
		switch a := args[i]; {
		case EqualFold(a, "idx"):
			o.idx = true
		case EqualFold(a, "len"):
			o.length = true
		case EqualFold(a, "withmatchlen"):
			o.withMatchLen = true
		case EqualFold(a, "minmatchlen") && i+1 < len(args):
			n, ok := ParseInt(args[i+1])
			if !ok {
				c.Out.Error(ErrNotInteger)
				return o, false
			}
			o.minMatchLen = max(n, 0)
			i++
		default:
			c.Out.Error(ErrSyntax)
			return o, false
		}
	}
	if o.idx && o.length {
		c.Out.Error(ErrLCSIdxAndLen)
		return o, false
	}
	return o, true
}

// lcsDP is the table of LCS lengths: cell (i, j) holds the length of the
// LCS of a[:i] and b[:j].
type lcsDP struct {
	cells []uint32
	width int // len(b)+1
}

func (d lcsDP) at(i, j int) uint32 { return d.cells[i*d.width+j] }

// lcsTable fills the table as Redis does.
func lcsTable(a, b []byte) lcsDP {
	d := lcsDP{cells: make([]uint32, (len(a)+1)*(len(b)+1)), width: len(b) + 1}
	for i := 1; i <= len(a); i++ {
		row, prev := d.cells[i*d.width:], d.cells[(i-1)*d.width:]
		for j := 1; j <= len(b); j++ {
			if a[i-1] == b[j-1] {
				row[j] = prev[j-1] + 1
			} else {
				row[j] = max(prev[j], row[j-1])
			}
		}
	}
	return d
}

// lcsString walks the table back from the end, as Redis does, and returns
// the common subsequence.
func lcsString(a, b []byte, d lcsDP) []byte {
	n := d.at(len(a), len(b))
	out := make([]byte, n)
	for i, j := len(a), len(b); i > 0 && j > 0; {
		if a[i-1] == b[j-1] {
			n--
			out[n] = a[i-1]
			i, j = i-1, j-1
		} else if d.at(i-1, j) > d.at(i, j-1) {
			i--
		} else {
			j--
		}
	}
	return out
}

// lcsMatch is one IDX range: a[aStart..aEnd] equals b[bStart..bEnd].
type lcsMatch struct{ aStart, aEnd, bStart, bEnd int }

// lcsMatches walks the table back as Redis's lcsCommand does and returns
// the contiguous matched ranges, last first, of at least minLen bytes.
func lcsMatches(a, b []byte, d lcsDP, minLen int64) []lcsMatch {
	var out []lcsMatch
	var cur lcsMatch
	open := false
	for i, j := len(a), len(b); i > 0 && j > 0; {
		emit := false
		if a[i-1] == b[j-1] {
			if !open {
				cur, open = lcsMatch{i - 1, i - 1, j - 1, j - 1}, true
			} else {
				cur.aStart, cur.bStart = i-1, j-1 // contiguous: extend backwards
			}
			emit = cur.aStart == 0 || cur.bStart == 0
			i, j = i-1, j-1
		} else {
			if d.at(i-1, j) > d.at(i, j-1) {
				i--
			} else {
				j--
			}
			emit = open
		}
		if emit {
			if minLen == 0 || int64(cur.aEnd-cur.aStart+1) >= minLen {
				out = append(out, cur)
			}
			open = false
		}
	}
	return out
}

// replyLCSMatches replies with IDX's map: the matches, then the length.
func replyLCSMatches(c *Ctx, a, b []byte, d lcsDP, o lcsOptions) {
	matches := lcsMatches(a, b, d, o.minMatchLen)
	c.Out.Map(2)
	c.Out.BulkString("matches")
	c.Out.Array(len(matches))
	for _, m := range matches {
		if o.withMatchLen {
			c.Out.Array(3)
		} else {
			c.Out.Array(2)
		}
		c.Out.Array(2)
		c.Out.Int(int64(m.aStart))
		c.Out.Int(int64(m.aEnd))
		c.Out.Array(2)
		c.Out.Int(int64(m.bStart))
		c.Out.Int(int64(m.bEnd))
		if o.withMatchLen {
			c.Out.Int(int64(m.aEnd - m.aStart + 1))
		}
	}
	c.Out.BulkString("len")
	c.Out.Int(int64(d.at(len(a), len(b))))
}
