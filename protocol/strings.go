package protocol

import (
	"github.com/geetcache/geetcache/datatypes"
)

// stringCommands is the string family. Each command's handler starts with
// its usage line. Summaries are Redis 7.0's COMMAND DOCS text.
var stringCommands = []*Command{
	{Name: "get", Arity: 2, Flags: Readonly | Fast, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "string", Since: "1.0.0", Summary: "Get the value of a key",
		Handler: HandlerFunc(get)},
	{Name: "set", Arity: -3, Flags: Write | DenyOOM, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "string", Since: "1.0.0", Summary: "Set the string value of a key",
		Handler: HandlerFunc(set)},
	{Name: "setnx", Arity: 3, Flags: Write | DenyOOM | Fast, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "string", Since: "1.0.0", Summary: "Set the value of a key, only if the key does not exist",
		Handler: HandlerFunc(setnx)},
	{Name: "setex", Arity: 4, Flags: Write | DenyOOM, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "string", Since: "2.0.0", Summary: "Set the value and expiration of a key",
		Handler: HandlerFunc(setex)},
	{Name: "psetex", Arity: 4, Flags: Write | DenyOOM, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "string", Since: "2.6.0", Summary: "Set the value and expiration in milliseconds of a key",
		Handler: HandlerFunc(psetex)},
	{Name: "mget", Arity: -2, Flags: Readonly | Fast, FirstKey: 1, LastKey: -1, Step: 1,
		Group: "string", Since: "1.0.0", Summary: "Get the values of all the given keys",
		Handler: HandlerFunc(mget)},
	{Name: "mset", Arity: -3, Flags: Write | DenyOOM, FirstKey: 1, LastKey: -1, Step: 2,
		Group: "string", Since: "1.0.1", Summary: "Set multiple keys to multiple values",
		Handler: HandlerFunc(mset)},
	{Name: "msetnx", Arity: -3, Flags: Write | DenyOOM, FirstKey: 1, LastKey: -1, Step: 2,
		Group: "string", Since: "1.0.1", Summary: "Set multiple keys to multiple values, only if none of the keys exist",
		Handler: HandlerFunc(msetnx)},
	{Name: "getset", Arity: 3, Flags: Write | DenyOOM | Fast, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "string", Since: "1.0.0", Summary: "Set the string value of a key and return its old value",
		Handler: HandlerFunc(getset)},
	{Name: "getdel", Arity: 2, Flags: Write | Fast, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "string", Since: "6.2.0", Summary: "Get the value of a key and delete the key",
		Handler: HandlerFunc(getdel)},
	{Name: "getex", Arity: -2, Flags: Write | Fast, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "string", Since: "6.2.0", Summary: "Get the value of a key and optionally set its expiration",
		Handler: HandlerFunc(getex)},
	{Name: "append", Arity: 3, Flags: Write | DenyOOM | Fast, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "string", Since: "2.0.0", Summary: "Append a value to a key",
		Handler: HandlerFunc(appendCmd)},
	{Name: "strlen", Arity: 2, Flags: Readonly | Fast, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "string", Since: "2.2.0", Summary: "Get the length of the value stored in a key",
		Handler: HandlerFunc(strlen)},
	{Name: "getrange", Arity: 4, Flags: Readonly, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "string", Since: "2.4.0", Summary: "Get a substring of the string stored at a key",
		Handler: HandlerFunc(getrange)},
	{Name: "substr", Arity: 4, Flags: Readonly, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "string", Since: "1.0.0", Summary: "Get a substring of the string stored at a key",
		Handler: HandlerFunc(getrange)},
	{Name: "setrange", Arity: 4, Flags: Write | DenyOOM, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "string", Since: "2.2.0", Summary: "Overwrite part of a string at key starting at the specified offset",
		Handler: HandlerFunc(setrange)},
	{Name: "incr", Arity: 2, Flags: Write | DenyOOM | Fast, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "string", Since: "1.0.0", Summary: "Increment the integer value of a key by one",
		Handler: HandlerFunc(incr)},
	{Name: "decr", Arity: 2, Flags: Write | DenyOOM | Fast, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "string", Since: "1.0.0", Summary: "Decrement the integer value of a key by one",
		Handler: HandlerFunc(decr)},
	{Name: "incrby", Arity: 3, Flags: Write | DenyOOM | Fast, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "string", Since: "1.0.0", Summary: "Increment the integer value of a key by the given amount",
		Handler: HandlerFunc(incrby)},
	{Name: "decrby", Arity: 3, Flags: Write | DenyOOM | Fast, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "string", Since: "1.0.0", Summary: "Decrement the integer value of a key by the given number",
		Handler: HandlerFunc(decrby)},
	{Name: "incrbyfloat", Arity: 3, Flags: Write | DenyOOM | Fast, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "string", Since: "2.6.0", Summary: "Increment the float value of a key by the given amount",
		Handler: HandlerFunc(incrbyfloat)},
	{Name: "lcs", Arity: -3, Flags: Readonly, FirstKey: 1, LastKey: 2, Step: 1,
		Group: "string", Since: "7.0.0", Summary: "Find longest common substring",
		Handler: HandlerFunc(lcs)},
}

// copyString returns a string value holding a copy of arg: arguments alias
// the log entry's buffer and must not be stored as they are.
func copyString(arg []byte) datatypes.String {
	return datatypes.String(append([]byte(nil), arg...))
}

// minSharedString is the smallest argument storeString keeps without a copy.
const minSharedString = 64 << 10

// storeString stores arg as the string at key with the given expiry. A
// large argument that makes up at least half of its log entry is stored
// as it is, sharing the entry's memory (which the log cache and the
// replication of the entry hold anyway) instead of a copy: a 100 MB SET
// then costs one array, not two. The entry's other bytes stay alive with
// it, at most as many as the value's own. The keyspace copies a shared
// value before its first change in place.
func storeString(c *Ctx, key, arg []byte, expireAt int64) {
	if c.EntrySize > 0 && len(arg) >= minSharedString && 2*len(arg) >= c.EntrySize {
		c.DB.SetShared(string(key), datatypes.String(arg), expireAt)
		return
	}
	c.DB.SetString(view(key), arg, expireAt) // copies the key
}

// replyValue replies with e's string value, or null when e is nil. On a key
// of another type it replies WRONGTYPE and returns false.
func replyValue(c *Ctx, e *datatypes.Entry) bool {
	if e == nil {
		c.Out.Null()
		return true
	}
	sv, isStr := e.Value.(datatypes.StringValue)
	if !isStr {
		c.Out.Error(ErrWrongType)
		return false
	}
	c.Out.Bulk(sv.Bytes())
	return true
}

// GET key
func get(c *Ctx) {
	replyValue(c, c.Lookup(c.Args[1]))
}

// GETSET key value
func getset(c *Ctx) {
	if !replyValue(c, c.LookupRead(c.Args[1])) {
		return
	}
	storeString(c, c.Args[1], c.Args[2], 0)
	c.Notify(NotifyString, "set", c.Args[1])
}

// GETDEL key
func getdel(c *Ctx) {
	e := c.LookupRead(c.Args[1])
	if replyValue(c, e) && e != nil {
		c.DB.Delete(e.Key)
		c.Notify(NotifyGeneric, "del", c.Args[1])
	}
}

// MGET key [key ...]
func mget(c *Ctx) {
	c.Out.Array(len(c.Args) - 1)
	for _, k := range c.Args[1:] {
		e := c.Lookup(k)
		if sv, isStr := entryString(e); isStr {
			c.Out.Bulk(sv.Bytes())
		} else {
			c.Out.Null()
		}
	}
}

// entryString returns e's value when e holds a string.
func entryString(e *datatypes.Entry) (datatypes.StringValue, bool) {
	if e == nil {
		return nil, false
	}
	sv, isStr := e.Value.(datatypes.StringValue)
	return sv, isStr
}

// STRLEN key
func strlen(c *Ctx) {
	val, _, ok := c.LookupString(c.Args[1])
	if ok {
		c.Out.Int(int64(len(val)))
	}
}

// GETRANGE key start end (also SUBSTR key start end)
func getrange(c *Ctx) {
	start, ok1 := ParseInt(c.Args[2])
	end, ok2 := ParseInt(c.Args[3])
	if !ok1 || !ok2 {
		c.Out.Error(ErrNotInteger)
		return
	}
	val, _, ok := c.LookupString(c.Args[1])
	if ok {
		c.Out.Bulk(substring(val, start, end))
	}
}

// substring applies GETRANGE's index rules: negative indexes count from the
// end, both ends are clamped, and an empty range gives an empty string.
func substring(s []byte, start, end int64) []byte {
	n := int64(len(s))
	if start < 0 && end < 0 && start > end {
		return nil
	}
	if start < 0 {
		start = max(n+start, 0)
	}
	if end < 0 {
		end = max(n+end, 0)
	}
	end = min(end, n-1)
	if start > end || n == 0 {
		return nil
	}
	return s[start : end+1]
}
