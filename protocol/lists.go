package protocol

import "github.com/geetcache/geetcache/datatypes"

// listCommands is the list family, without the blocking forms. Each
// command's handler starts with its usage line.
var listCommands = []*Command{
	{Name: "lpush", Arity: -3, Flags: Write | DenyOOM | Fast, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "list", Since: "1.0.0", Summary: "Prepend one or multiple elements to a list",
		Handler: HandlerFunc(lpush)},
	{Name: "rpush", Arity: -3, Flags: Write | DenyOOM | Fast, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "list", Since: "1.0.0", Summary: "Append one or multiple elements to a list",
		Handler: HandlerFunc(rpush)},
	{Name: "lpushx", Arity: -3, Flags: Write | DenyOOM | Fast, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "list", Since: "2.2.0", Summary: "Prepend an element to a list, only if the list exists",
		Handler: HandlerFunc(lpushx)},
	{Name: "rpushx", Arity: -3, Flags: Write | DenyOOM | Fast, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "list", Since: "2.2.0", Summary: "Append an element to a list, only if the list exists",
		Handler: HandlerFunc(rpushx)},
	{Name: "lpop", Arity: -2, Flags: Write | Fast, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "list", Since: "1.0.0", Summary: "Remove and get the first elements in a list",
		Handler: HandlerFunc(lpop)},
	{Name: "rpop", Arity: -2, Flags: Write | Fast, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "list", Since: "1.0.0", Summary: "Remove and get the last elements in a list",
		Handler: HandlerFunc(rpop)},
	{Name: "llen", Arity: 2, Flags: Readonly | Fast, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "list", Since: "1.0.0", Summary: "Get the length of a list",
		Handler: HandlerFunc(llen)},
	{Name: "lrange", Arity: 4, Flags: Readonly, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "list", Since: "1.0.0", Summary: "Get a range of elements from a list",
		Handler: HandlerFunc(lrange)},
	{Name: "lindex", Arity: 3, Flags: Readonly, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "list", Since: "1.0.0", Summary: "Get an element from a list by its index",
		Handler: HandlerFunc(lindex)},
	{Name: "lset", Arity: 4, Flags: Write | DenyOOM, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "list", Since: "1.0.0", Summary: "Set the value of an element in a list by its index",
		Handler: HandlerFunc(lset)},
	{Name: "lrem", Arity: 4, Flags: Write, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "list", Since: "1.0.0", Summary: "Remove elements from a list",
		Handler: HandlerFunc(lrem)},
	{Name: "ltrim", Arity: 4, Flags: Write, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "list", Since: "1.0.0", Summary: "Trim a list to the specified range",
		Handler: HandlerFunc(ltrim)},
	{Name: "linsert", Arity: 5, Flags: Write | DenyOOM, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "list", Since: "2.2.0", Summary: "Insert an element before or after another element in a list",
		Handler: HandlerFunc(linsert)},
	{Name: "lpos", Arity: -3, Flags: Readonly, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "list", Since: "6.0.6", Summary: "Return the index of matching elements on a list",
		Handler: HandlerFunc(lpos)},
	{Name: "lmove", Arity: 5, Flags: Write | DenyOOM, FirstKey: 1, LastKey: 2, Step: 1,
		Group: "list", Since: "6.2.0", Summary: "Pop an element from a list, push it to another list and return it",
		Handler: HandlerFunc(lmove)},
	{Name: "rpoplpush", Arity: 3, Flags: Write | DenyOOM, FirstKey: 1, LastKey: 2, Step: 1,
		Group: "list", Since: "1.2.0", Summary: "Remove the last element in a list, prepend it to another list and return it",
		Handler: HandlerFunc(rpoplpush)},
	// LMPOP's keys follow numkeys: Redis reports 0 0 0 and the movablekeys
	// flag.
	{Name: "lmpop", Arity: -4, Flags: Write, KeyCount: 1,
		Group: "list", Since: "7.0.0", Summary: "Pop elements from a list",
		Handler: HandlerFunc(lmpop)},
}

// lookupList returns the list at key for reading (nil when missing); on a
// key of another type it replies WRONGTYPE and returns ok=false.
func lookupList(c *Ctx, key []byte) (*datatypes.List, bool) {
	return lookupTyped[*datatypes.List](c, key)
}

// writableList returns the list at key for changing, creating it when
// create is set; see writableTyped.
func writableList(c *Ctx, key []byte, create bool) (*datatypes.List, bool) {
	if create {
		return writableTyped(c, key, datatypes.NewList)
	}
	return writableTyped[*datatypes.List](c, key, nil)
}

// LPUSH key element [element ...]
func lpush(c *Ctx) { push(c, true, true) }

// RPUSH key element [element ...]
func rpush(c *Ctx) { push(c, false, true) }

// LPUSHX key element [element ...]
func lpushx(c *Ctx) { push(c, true, false) }

// RPUSHX key element [element ...]
func rpushx(c *Ctx) { push(c, false, false) }

// push pushes c.Args[2:] one by one at the head (left) or the tail of the
// list at c.Args[1], creating it when create is set, and replies with the
// new length (0 for a missing key that was not created).
func push(c *Ctx, left, create bool) {
	l, ok := writableList(c, c.Args[1], create)
	switch {
	case !ok:
	case l == nil:
		c.Out.Int(0)
	case left:
		for _, e := range c.Args[2:] {
			l.PushFront(e)
		}
		c.Notify(NotifyList, "lpush", c.Args[1])
		c.AddDirty(int64(len(c.Args) - 2))
		c.Out.Int(int64(l.Len()))
	default:
		l.PushBackAll(c.Args[2:])
		c.Notify(NotifyList, "rpush", c.Args[1])
		c.AddDirty(int64(len(c.Args) - 2))
		c.Out.Int(int64(l.Len()))
	}
}

// pushOne pushes a copy of e at the head (left) or the tail of l.
func pushOne(l *datatypes.List, left bool, e []byte) {
	if left {
		l.PushFront(e)
	} else {
		l.PushBack(e)
	}
}

// LLEN key
func llen(c *Ctx) {
	l, ok := lookupList(c, c.Args[1])
	switch {
	case !ok:
	case l == nil:
		c.Out.Int(0)
	default:
		c.Out.Int(int64(l.Len()))
	}
}

// replyElems replies with elems as an array of bulk strings.
func replyElems(c *Ctx, elems [][]byte) {
	c.Out.Array(len(elems))
	for _, e := range elems {
		c.Out.Bulk(e)
	}
}
