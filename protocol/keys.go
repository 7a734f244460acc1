package protocol

import (
	"bytes"
	"math/rand/v2"
	"slices"

	"github.com/geetcache/geetcache/datatypes"
)

// keyCommands is the generic keyspace family, plus DBSIZE and the FLUSH
// commands (which Redis files under "server"). Arity, flags and key positions
// are Redis 7.0's COMMAND INFO; summaries its COMMAND DOCS.
var keyCommands = slices.Concat(genericCommands, expireCommands, scanCommands, renameCommands)

// genericCommands delete, count and describe keys.
var genericCommands = []*Command{
	{Name: "del", Arity: -2, Flags: Write, FirstKey: 1, LastKey: -1, Step: 1,
		Group: "generic", Since: "1.0.0", Summary: "Delete a key",
		Handler: HandlerFunc(del)},
	{Name: "unlink", Arity: -2, Flags: Write | Fast, FirstKey: 1, LastKey: -1, Step: 1,
		Group: "generic", Since: "4.0.0", Summary: "Delete a key asynchronously in another thread. Otherwise it is just as DEL, but non blocking.",
		Handler: HandlerFunc(unlink)},
	{Name: "exists", Arity: -2, Flags: Readonly | Fast, FirstKey: 1, LastKey: -1, Step: 1,
		Group: "generic", Since: "1.0.0", Summary: "Determine if a key exists",
		Handler: HandlerFunc(exists)},
	{Name: "touch", Arity: -2, Flags: Readonly | Fast, FirstKey: 1, LastKey: -1, Step: 1,
		Group: "generic", Since: "3.2.1", Summary: "Alters the last access time of a key(s). Returns the number of existing keys specified.",
		Handler: HandlerFunc(touch)},
	{Name: "type", Arity: 2, Flags: Readonly | Fast, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "generic", Since: "1.0.0", Summary: "Determine the type stored at key",
		Handler: HandlerFunc(typeCmd)},
	{Name: "randomkey", Arity: 1, Flags: Readonly,
		Group: "generic", Since: "1.0.0", Summary: "Return a random key from the keyspace",
		Handler: HandlerFunc(randomkey)},
	{Name: "dbsize", Arity: 1, Flags: Readonly | Fast,
		Group: "server", Since: "1.0.0", Summary: "Return the number of keys in the selected database",
		Handler: HandlerFunc(dbsize)},
	{Name: "flushdb", Arity: -1, Flags: Write,
		Group: "server", Since: "1.0.0", Summary: "Remove all keys from the current database",
		Handler: HandlerFunc(flushdb)},
	{Name: "flushall", Arity: -1, Flags: Write,
		Group: "server", Since: "1.0.0", Summary: "Remove all keys from all databases",
		Handler: HandlerFunc(flushall)},
}

// DEL key [key ...]
func del(c *Ctx) {
	var n int64
	for _, k := range c.Args[1:] {
		if c.Lookup(k) != nil && c.DB.Delete(view(k)) {
			c.Notify(NotifyGeneric, "del", k)
			n++
		}
	}
	c.AddDirty(n)
	c.Out.Int(n)
}

// UNLINK key [key ...]: DEL; there is no lazy free to hand the value to.
func unlink(c *Ctx) { del(c) }

// EXISTS key [key ...]: not an access (Redis's LOOKUP_NOTOUCH).
func exists(c *Ctx) { c.Out.Int(countLive(c, c.Args[1:], c.Peek)) }

// TOUCH key [key ...]: counts the keys that exist, each an access on the
// node that serves it (its LRU time and LFU counter).
func touch(c *Ctx) { c.Out.Int(countLive(c, c.Args[1:], c.Lookup)) }

// countLive counts the keys (repeats included) that lookup finds.
func countLive(c *Ctx, keys [][]byte, lookup func([]byte) *datatypes.Entry) int64 {
	var n int64
	for _, k := range keys {
		if lookup(k) != nil {
			n++
		}
	}
	return n
}

// TYPE key: not an access.
func typeCmd(c *Ctx) {
	e := c.Peek(c.Args[1])
	if e == nil {
		c.Out.Simple("none")
		return
	}
	c.Out.Simple(e.Value.Kind().String())
}

// DBSIZE: like Redis, the count includes expired keys not yet removed.
func dbsize(c *Ctx) { c.Out.Int(int64(c.DB.Len())) }

// randomTries is how many random picks RANDOMKEY makes before it walks the
// keyspace for a live key: only a keyspace mostly made of expired keys, not
// yet removed, gets that far.
const randomTries = 100

// RANDOMKEY
func randomkey(c *Ctx) {
	n := c.DB.Len()
	if n == 0 {
		c.Out.Null()
		return
	}
	for range randomTries {
		if e := c.DB.EntryAt(c.randomIndex(n)); !e.Expired(c.Now) {
			c.Out.BulkString(e.Key)
			return
		}
	}
	if key, ok := firstLiveFrom(c, c.DB.EntryAt(c.randomIndex(n)).Hash()); ok {
		c.Out.BulkString(key)
		return
	}
	c.Out.Null()
}

// randomIndex returns a random int in [0, n): from the entry's seeded source
// inside the FSM (RANDOMKEY in MULTI), from math/rand on the read path.
func (c *Ctx) randomIndex(n int) int {
	if c.Writing() {
		return int(c.Rand.Int64N(int64(n)))
	}
	return rand.IntN(n)
}

// firstLiveFrom returns the first live key in key order whose hash is at
// least start, wrapping around to the beginning.
func firstLiveFrom(c *Ctx, start uint64) (key string, ok bool) {
	visit := func(e *datatypes.Entry) bool {
		if e.Expired(c.Now) {
			return true
		}
		key, ok = e.Key, true
		return false
	}
	c.DB.Ascend(start, visit)
	if !ok {
		c.DB.Ascend(0, func(e *datatypes.Entry) bool { return e.Hash() < start && visit(e) })
	}
	return key, ok
}

// FLUSHDB [ASYNC | SYNC]: the current database.
func flushdb(c *Ctx) {
	if flushOptionOK(c) {
		c.AddDirty(int64(c.DB.Len())) // the keys removed, as Redis's emptyData counts
		c.DB.Flush()
		c.Out.OK()
	}
}

// FLUSHALL [ASYNC | SYNC]: every database.
func flushall(c *Ctx) {
	if !flushOptionOK(c) {
		return
	}
	if c.DBs == nil {
		c.AddDirty(int64(c.DB.Len()))
		c.DB.Flush()
	} else {
		c.DBs.Each(func(_ int, ks *datatypes.Keyspace) {
			c.AddDirty(int64(ks.Len()))
			ks.Flush()
		})
	}
	c.Out.OK()
}

// flushOptionOK checks the FLUSH commands' option. ASYNC and SYNC are
// accepted and mean the same: the old keyspace is dropped at once either
// way.
func flushOptionOK(c *Ctx) bool {
	if len(c.Args) > 2 || len(c.Args) == 2 && !optionIs(c.Args[1], "sync") && !optionIs(c.Args[1], "async") {
		c.Out.Error(ErrSyntax)
		return false
	}
	return true
}

// optionIs reports whether arg names the lower-case option word as Redis's
// strcasecmp sees it: as a C string, which ends at a NUL byte.
func optionIs(arg []byte, word string) bool {
	return EqualFold(cString(arg), word)
}

// cString returns b up to its first NUL byte, the part of an argument that
// Redis reads when it treats the argument as a C string.
func cString(b []byte) []byte {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		return b[:i]
	}
	return b
}
