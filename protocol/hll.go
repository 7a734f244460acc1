package protocol

import (
	"errors"

	"github.com/geetcache/geetcache/datatypes"
)

// hllCommands is the HyperLogLog family. An HLL is a string value: a
// *datatypes.HLL once PFADD or PFMERGE wrote it, or any string holding a
// valid HLL blob (SET of what GET returned, here or from Redis).
var hllCommands = []*Command{
	{Name: "pfadd", Arity: -2, Flags: Write | DenyOOM | Fast, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "hyperloglog", Since: "2.8.9", Summary: "Adds the specified elements to the specified HyperLogLog.",
		Handler: HandlerFunc(pfadd)},
	{Name: "pfcount", Arity: -2, Flags: Readonly | MayReplicate, FirstKey: 1, LastKey: -1, Step: 1,
		Group: "hyperloglog", Since: "2.8.9", Summary: "Return the approximated cardinality of the set(s) observed by the HyperLogLog at key(s).",
		Handler: HandlerFunc(pfcount), Caches: pfcountCaches, Unchanged: pfcountUnchanged},
	{Name: "pfmerge", Arity: -2, Flags: Write | DenyOOM, FirstKey: 1, LastKey: -1, Step: 1,
		Group: "hyperloglog", Since: "2.8.9", Summary: "Merge N different HyperLogLogs into a single one.",
		Handler: HandlerFunc(pfmerge)},
	{Name: "pfdebug", Arity: 3, Flags: Write | DenyOOM | Admin, FirstKey: 2, LastKey: 2, Step: 1,
		Group: "hyperloglog", Since: "2.8.9", Summary: "Internal commands for debugging HyperLogLog values",
		Handler: HandlerFunc(pfdebug)},
	{Name: "pfselftest", Arity: 1, Flags: Admin,
		Group: "hyperloglog", Since: "2.8.9", Summary: "An internal command for testing HyperLogLog values",
		Handler: HandlerFunc(pfselftest)},
}

// PFADD key [element [element ...]]
func pfadd(c *Ctx) {
	key, elems := c.Args[1], c.Args[2:]
	e := c.Lookup(key)
	if e == nil {
		h := datatypes.NewHLL()
		changes := int64(1) // the key created, and each register raised, as Redis counts
		for _, el := range elems {
			if h.Add(el) {
				changes++
			}
		}
		h.Promote(c.DB.EncodingLimits().HLLSparseMaxBytes)
		c.DB.Set(string(key), h, 0)
		c.Notify(NotifyString, "pfadd", key)
		c.AddDirty(changes)
		c.Out.Int(1)
		return
	}
	changes, ok := pfaddExisting(c, e, elems)
	switch {
	case !ok:
	case changes > 0:
		c.Notify(NotifyString, "pfadd", key)
		c.AddDirty(changes)
		c.Out.Int(1)
	default:
		c.Out.Int(0)
	}
}

// pfaddExisting adds elems to the HLL at e and returns how many of them
// raised a register. The entry is touched only when one does. On error it
// has replied and returns ok=false.
func pfaddExisting(c *Ctx, e *datatypes.Entry, elems [][]byte) (changes int64, ok bool) {
	sv, ok := hllValue(c, e)
	if !ok {
		return 0, false
	}
	if len(elems) == 0 { // Redis checks only the header then
		return 0, replyHLLError(c, datatypes.HLLCheck(sv))
	}
	h, owned, err := datatypes.HLLView(sv)
	if !replyHLLError(c, err) {
		return 0, false
	}
	i := 0
	for i < len(elems) && !h.WouldChange(elems[i]) {
		i++
	}
	if i == len(elems) {
		return 0, true
	}
	if owned {
		c.DB.Set(e.Key, h, e.ExpireAt)
	} else {
		h = c.DB.Mutable(e).Value.(*datatypes.HLL)
	}
	for _, el := range elems[i:] {
		if h.Add(el) {
			changes++
		}
	}
	h.Promote(c.DB.EncodingLimits().HLLSparseMaxBytes)
	return changes, true
}

// PFCOUNT key [key ...]
func pfcount(c *Ctx) {
	if len(c.Args) == 2 {
		pfcountOne(c)
		return
	}
	regs := new([datatypes.HLLRegisters]uint8)
	for _, k := range c.Args[1:] {
		if _, ok := mergeHLL(c, k, regs); !ok {
			return
		}
	}
	c.Out.Int(int64(datatypes.HLLCountRegisters(regs)))
}

// pfcountOne counts one key. Inside the state machine, a count the HLL's
// header held stale is stored there (hll_cache.go): a change Redis signals
// (WATCH, client-side caching) and counts in its dirty counter, with no
// keyspace event. Outside it (a read: EVAL_RO, a script tried as a read)
// the count is answered and nothing is stored.
func pfcountOne(c *Ctx) {
	e := c.Lookup(c.Args[1])
	if e == nil {
		c.Out.Int(0)
		return
	}
	sv, ok := hllValue(c, e)
	if !ok {
		return
	}
	card, stale, err := datatypes.HLLCount(sv)
	if !replyHLLError(c, err) {
		return
	}
	if stale && c.Writing() {
		cacheHLLCount(c, e, sv, card)
		c.AddDirty(1)
	}
	c.Out.Int(int64(card)) // 1<<63 prints negative, as in Redis
}

// cacheHLLCount stores card as the cached count of the HLL sv at e.
func cacheHLLCount(c *Ctx, e *datatypes.Entry, sv datatypes.StringValue, card uint64) {
	if _, ok := sv.(*datatypes.HLL); ok {
		c.DB.Mutable(e).Value.(*datatypes.HLL).CacheCount(card)
		return
	}
	_, s := editString(c, e) // a copy of its own: the entry keeps its TTL and access figures
	datatypes.HLLStoreCount(s, card)
}

// pfcountCaches: a single-key PFCOUNT may store the count it computes
// (Command.Caches); one of several keys counts their union and stores
// nothing.
func pfcountCaches(args [][]byte) bool { return len(args) == 2 }

// pfcountUnchanged: single-key PFCOUNT of a missing key, or of an HLL
// whose cached count is valid, is a read. A stale count, a key of another
// type or a string that is no HLL is the handler's, in the state machine.
func pfcountUnchanged(c *Ctx) bool {
	if e := quietLookup(c, c.Args[1]); e != nil {
		if sv, ok := e.Value.(datatypes.StringValue); !ok || !datatypes.HLLCacheValid(sv) {
			return false
		}
	}
	pfcountOne(c) // counts the lookup as the read it is
	return true
}

// PFMERGE destkey [sourcekey [sourcekey ...]]
func pfmerge(c *Ctx) {
	regs := new([datatypes.HLLRegisters]uint8)
	dense := false
	for _, k := range c.Args[1:] { // destkey is a source too, as in Redis
		d, ok := mergeHLL(c, k, regs)
		if !ok {
			return
		}
		dense = dense || d
	}
	h := datatypes.HLLFromRegisters(regs, dense)
	h.Promote(c.DB.EncodingLimits().HLLSparseMaxBytes)
	var expireAt int64
	if e := c.Lookup(c.Args[1]); e != nil {
		expireAt = e.ExpireAt // an existing destkey keeps its TTL
		if sv, ok := e.Value.(datatypes.StringValue); ok {
			h.KeepStaleCount(datatypes.HLLHeaderCount(sv)) // and its header's count, stale
		}
	}
	c.DB.Set(string(c.Args[1]), h, expireAt)
	c.Notify(NotifyString, "pfadd", c.Args[1])
	c.Out.OK()
}

// mergeHLL raises regs to the registers of the HLL at key (a missing key
// is an empty HLL) and reports whether that HLL is dense in Redis's
// encoding. On error it has
// replied and returns ok=false.
func mergeHLL(c *Ctx, key []byte, regs *[datatypes.HLLRegisters]uint8) (dense, ok bool) {
	e := c.LookupRead(key)
	if e == nil {
		return false, true
	}
	sv, ok := hllValue(c, e)
	if !ok {
		return false, false
	}
	h, _, err := datatypes.HLLView(sv)
	if !replyHLLError(c, err) {
		return false, false
	}
	h.MaxInto(regs)
	return h.RedisDense(), true
}

// hllValue returns e's value as a string, or replies WRONGTYPE.
func hllValue(c *Ctx, e *datatypes.Entry) (datatypes.StringValue, bool) {
	sv, ok := e.Value.(datatypes.StringValue)
	if !ok {
		c.Out.Error(ErrWrongType)
	}
	return sv, ok
}

// replyHLLError replies Redis's error for err, if any, and reports whether
// err was nil.
func replyHLLError(c *Ctx, err error) bool {
	switch {
	case err == nil:
		return true
	case errors.Is(err, datatypes.ErrNotHLL):
		c.Out.Error(ErrNotHLL)
	default:
		c.Out.Error(ErrHLLCorrupt)
	}
	return false
}
