package protocol

import "strconv"

// HSCAN key cursor [MATCH pattern] [COUNT count]
//
// Small hashes come back whole with cursor 0, as Redis returns its compact
// encodings; larger ones are walked in field-hash order (see
// datatypes.Hash.Scan). MATCH filters fields; a filtered field's value goes
// with it.
func hscan(c *Ctx) {
	cursor, ok := parseScanCursor(c.Args[2])
	if !ok {
		c.Out.Error(ErrInvalidCursor)
		return
	}
	h, ok := lookupHash(c, c.Args[1])
	if !ok {
		return
	}
	if h == nil {
		replyElementScan(c, 0, nil)
		return
	}
	opt, ok := parseElementScanOptions(c, c.Args[3:])
	if !ok {
		return
	}
	var out []string
	next := h.Scan(cursor, int(opt.count), func(f, v string) {
		if opt.match.match(f) {
			out = append(out, f, v)
		}
	})
	replyElementScan(c, next, out)
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
