package protocol

import (
	"math"

	"github.com/geetcache/geetcache/datatypes"
)

// maxRandomReply bounds the size of an HRANDFIELD or SRANDMEMBER reply with
// a negative count (picks with repeats, as many as asked). Redis has no
// such bound and would build the reply whatever its size.
var maxRandomReply = 512 << 20

// minRESPItem is the size of the smallest element a random reply can hold:
// an empty bulk string.
const minRESPItem = len("$0\r\n\r\n")

// HRANDFIELD key [count [WITHVALUES]]
func hrandfield(c *Ctx) {
	if len(c.Args) == 2 {
		h, ok := lookupHash(c, c.Args[1])
		switch {
		case !ok:
		case h == nil:
			c.Out.Null()
		default:
			f, _ := h.At(c.randomIndex(h.Len()))
			c.Out.BulkString(f)
		}
		return
	}
	count, withValues, ok := parseHrandfieldArgs(c)
	if !ok {
		return
	}
	h, ok := lookupHash(c, c.Args[1])
	if ok {
		replyRandomFields(c, h, count, withValues)
	}
}

// parseHrandfieldArgs parses count and WITHVALUES, which halves the count's
// range so that a RESP2 reply's length still fits.
func parseHrandfieldArgs(c *Ctx) (count int64, withValues, ok bool) {
	if count, ok = parseRandomCount(c, c.Args[2]); !ok {
		return 0, false, false
	}
	if len(c.Args) > 4 || (len(c.Args) == 4 && !optionIs(c.Args[3], "withvalues")) {
		c.Out.Error(ErrSyntax)
		return 0, false, false
	}
	withValues = len(c.Args) == 4
	if withValues && (count < -math.MaxInt64/2 || count > math.MaxInt64/2) {
		c.Out.Error(ErrValueRange)
		return 0, false, false
	}
	return count, withValues, true
}

// replyRandomFields replies with count random fields of h (nil for a
// missing key), each followed by its value when withValues is set: a flat
// array in RESP2, an array of [field, value] pairs in RESP3.
func replyRandomFields(c *Ctx, h *datatypes.Hash, count int64, withValues bool) {
	if h == nil || count == 0 {
		c.Out.Array(0)
		return
	}
	per := 1
	if withValues && !c.Out.resp3() {
		per = 2
	}
	replyRandom(c, h.Len(), count, per, func(i int) {
		f, v := h.At(i)
		if withValues && per == 1 {
			c.Out.Array(2)
		}
		c.Out.BulkString(f)
		if withValues {
			c.Out.BulkString(v)
		}
	})
}

// parseRandomCount parses HRANDFIELD's and SRANDMEMBER's count, an integer
// in -LONG_MAX..LONG_MAX.
func parseRandomCount(c *Ctx, arg []byte) (int64, bool) {
	n, ok := ParseInt(arg)
	switch {
	case !ok:
		c.Out.Error(ErrNotInteger)
	case n == math.MinInt64:
		c.Out.Error(ErrLongRange)
		ok = false
	}
	return n, ok
}

// replyRandom replies with an array of random picks among n > 0 elements,
// each written by emit as per array items. A negative count picks -count
// times with repeats; a count of at least n gives every element in
// iteration order; a smaller count gives count distinct elements in random
// order.
func replyRandom(c *Ctx, n int, count int64, per int, emit func(i int)) {
	switch {
	case count < 0:
		replyRepeated(c, n, -count, per, emit)
	case count >= int64(n):
		c.Out.Array(n * per)
		for i := range n {
			emit(i)
		}
	default:
		c.Out.Array(int(count) * per)
		for _, i := range sampleDistinct(c, n, int(count)) {
			emit(i)
		}
	}
}

// replyRepeated emits count uniform picks among n elements, or an error
// when the reply would exceed maxRandomReply.
func replyRepeated(c *Ctx, n int, count int64, per int, emit func(i int)) {
	if count > int64(maxRandomReply/minRESPItem) {
		c.Out.Error(ErrReplyTooLarge)
		return
	}
	start := len(c.Out.B)
	c.Out.Array(int(count) * per)
	for range count {
		emit(c.randomIndex(n))
		if len(c.Out.B)-start > maxRandomReply {
			c.Out.B = c.Out.B[:start]
			c.Out.Error(ErrReplyTooLarge)
			return
		}
	}
}

// sampleDistinct returns k distinct indices in [0, n), k <= n, in random
// order: the first k steps of a Fisher-Yates shuffle of 0..n-1, with the
// permutation kept sparse so the cost is O(k). The map is only probed,
// never iterated, so a seeded source gives the same result everywhere.
func sampleDistinct(c *Ctx, n, k int) []int {
	out := make([]int, k)
	moved := make(map[int]int, k)
	at := func(i int) int {
		if v, ok := moved[i]; ok {
			return v
		}
		return i
	}
	for i := range k {
		j := i + c.randomIndex(n-i)
		out[i] = at(j)
		moved[j] = at(i)
	}
	return out
}
