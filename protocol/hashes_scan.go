package protocol

import (
	"strconv"

	"github.com/geetcache/geetcache/datatypes"
)

// HSCAN key cursor [MATCH pattern] [COUNT count]
//
// Small hashes come back whole with cursor 0, as Redis returns its compact
// encodings; larger ones are walked in field-hash order (see
// datatypes.Hash.Scan). MATCH filters fields; a filtered field's value goes
// with it.
func hscan(c *Ctx) {
	elementScan(c, lookupHash, func(h *datatypes.Hash, cursor uint64, opt scanOptions) (uint64, []string) {
		var out []string
		next := h.Scan(cursor, int(opt.count), func(f, v string) {
			if opt.match.match(f) {
				out = append(out, f, v)
			}
		})
		return next, out
	})
}

// elementScan is HSCAN's, SSCAN's and ZSCAN's common part, in Redis's
// order: the cursor, then the key's type, then the options (a missing key
// replies an empty scan whatever they are). walk scans the collection and
// returns the next cursor and the reply's elements.
func elementScan[T comparable](c *Ctx, lookup func(*Ctx, []byte) (T, bool),
	walk func(v T, cursor uint64, opt scanOptions) (uint64, []string)) {
	cursor, ok := parseScanCursor(c.Args[2])
	if !ok {
		c.Out.Error(ErrInvalidCursor)
		return
	}
	v, ok := lookup(c, c.Args[1])
	var missing T
	switch {
	case !ok:
	case v == missing:
		replyElementScan(c, 0, nil)
	default:
		if opt, ok := parseElementScanOptions(c, c.Args[3:]); ok {
			next, elems := walk(v, cursor, opt)
			replyElementScan(c, next, elems)
		}
	}
}

// parseElementScanOptions parses HSCAN's and SSCAN's MATCH and COUNT like
// SCAN's, except that TYPE is a syntax error where it appears.
func parseElementScanOptions(c *Ctx, args [][]byte) (scanOptions, bool) {
	end := len(args)
	for i := 0; i < len(args); i += 2 {
		if optionIs(args[i], "type") {
			end = i
			break
		}
	}
	opt, ok := parseScanOptions(c, args[:end])
	if ok && end < len(args) {
		c.Out.Error(ErrSyntax)
		return opt, false
	}
	return opt, ok
}

// replyElementScan replies [cursor, [elements...]]: an array in RESP3 too.
func replyElementScan(c *Ctx, next uint64, elems []string) {
	c.Out.Array(2)
	c.Out.BulkString(strconv.FormatUint(next, 10))
	c.Out.Array(len(elems))
	for _, e := range elems {
		c.Out.BulkString(e)
	}
}
