package protocol

import "github.com/geetcache/geetcache/datatypes"

// LPOP, RPOP and LMPOP. popFrom and mpop change the keyspace without
// replying (but for WRONGTYPE in mpop), so the blocking forms can call them
// when a list they wait on gets elements.

// popFrom pops up to count (>= 1) elements from the head (left) or the
// tail of the list at key, deletes key when the list empties, and returns
// the elements in the order they were popped; the caller owns them. It
// returns nil when key holds no list: callers check the type first and
// reply WRONGTYPE themselves. Only for write handlers.
func popFrom(c *Ctx, key []byte, left bool, count int) [][]byte {
	e := c.Lookup(key)
	if e == nil {
		return nil
	}
	if _, isList := e.Value.(*datatypes.List); !isList {
		return nil
	}
	l := c.DB.Mutable(e).Value.(*datatypes.List)
	elems := l.PopN(left, count)
	c.Notify(NotifyList, sideName(left, "lpop", "rpop"), key)
	c.AddDirty(int64(len(elems)))
	deleteIfEmpty(c, key, l.Len())
	return elems
}

// LPOP key [count]
func lpop(c *Ctx) { pop(c, true) }

// RPOP key [count]
func rpop(c *Ctx) { pop(c, false) }

// pop serves LPOP and RPOP: without a count it replies with one element
// (nil when the key is missing); with one, an array of up to count
// elements in pop order (a null array when the key is missing). The count
// is parsed before the key is looked up.
func pop(c *Ctx, left bool) {
	if len(c.Args) > 3 {
		c.Out.Error(ErrWrongArity(sideName(left, "lpop", "rpop")))
		return
	}
	count, hasCount := int64(1), len(c.Args) == 3
	if hasCount {
		var ok bool
		if count, ok = ParseInt(c.Args[2]); !ok || count < 0 {
			c.Out.Error(ErrMustBePositive)
			return
		}
	}
	l, ok := lookupList(c, c.Args[1])
	switch {
	case !ok:
	case l == nil && hasCount:
		c.Out.NullArray()
	case l == nil:
		c.Out.Null()
	case count == 0:
		c.Out.Array(0)
	case hasCount:
		replyElems(c, popFrom(c, c.Args[1], left, int(count)))
	default:
		c.Out.Bulk(popFrom(c, c.Args[1], left, 1)[0])
	}
}

// sideName returns leftName or rightName.
func sideName(left bool, leftName, rightName string) string {
	if left {
		return leftName
	}
	return rightName
}

// parseWhere parses LEFT or RIGHT (any case); on anything else it replies
// with a syntax error and returns ok=false.
func parseWhere(c *Ctx, arg []byte) (left, ok bool) {
	switch {
	case EqualFold(arg, "left"):
		return true, true
	case EqualFold(arg, "right"):
		return false, true
	}
	c.Out.Error(ErrSyntax)
	return false, false
}

// LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count]
func lmpop(c *Ctx) {
	keys, left, count, ok := parseMpop(c, c.Args[1:])
	if !ok {
		return
	}
	key, elems, ok := mpop(c, keys, left, count)
	if ok {
		replyMpop(c, key, elems)
	}
}

// parseMpop parses LMPOP's arguments after the command name (and BLMPOP's
// after the timeout): numkeys, the keys, LEFT|RIGHT and an optional COUNT
// (default 1). On bad input it replies and returns ok=false.
func parseMpop(c *Ctx, args [][]byte) (keys [][]byte, left bool, count int, ok bool) {
	numkeys, isInt := ParseInt(args[0])
	if !isInt || numkeys < 1 {
		c.Out.Error(ErrNumkeys)
		return nil, false, 0, false
	}
	if numkeys > int64(len(args)-2) {
		c.Out.Error(ErrSyntax)
		return nil, false, 0, false
	}
	keys, rest := args[1:1+numkeys], args[1+numkeys:]
	if left, ok = parseWhere(c, rest[0]); !ok {
		return nil, false, 0, false
	}
	count, ok = parseMpopCount(c, rest[1:])
	return keys, left, count, ok
}

// parseMpopCount parses the options after LEFT|RIGHT as Redis does: one
// COUNT count (default 1), where the count is checked before anything
// after it. On bad input it replies and returns ok=false.
func parseMpopCount(c *Ctx, args [][]byte) (count int, ok bool) {
	count = -1
	for j := 0; j < len(args); j++ {
		if count != -1 || !EqualFold(args[j], "count") || j+1 == len(args) {
			c.Out.Error(ErrSyntax)
			return 0, false
		}
		j++
		v, isInt := ParseInt(args[j])
		if !isInt || v < 1 {
			c.Out.Error(ErrCountNotPositive)
			return 0, false
		}
		count = int(v)
	}
	return max(count, 1), true
}

// mpop pops up to count elements from the first non-empty list among keys,
// from the head (left) or the tail, and returns its key and the elements;
// both are nil when every key is missing. A key of another type met first
// makes it reply WRONGTYPE and return ok=false. Only for write handlers.
func mpop(c *Ctx, keys [][]byte, left bool, count int) (key []byte, elems [][]byte, ok bool) {
	for _, k := range keys {
		l, ok := lookupSource[*datatypes.List](c, k)
		if !ok {
			return nil, nil, false
		}
		if l != nil && l.Len() > 0 {
			return k, popFrom(c, k, left, count), true
		}
	}
	return nil, nil, true
}

// replyMpop replies as LMPOP does: [key, [elements...]], or a null array
// when nothing was popped.
func replyMpop(c *Ctx, key []byte, elems [][]byte) {
	if key == nil {
		c.Out.NullArray()
		return
	}
	c.Out.Array(2)
	c.Out.Bulk(key)
	replyElems(c, elems)
}
