package protocol

import "github.com/geetcache/geetcache/datatypes"

// hashCommands is the hash family. Each command's handler starts with its
// usage line.
var hashCommands = []*Command{
	{Name: "hset", Arity: -4, Flags: Write | DenyOOM | Fast, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "hash", Since: "2.0.0", Summary: "Set the string value of a hash field",
		Handler: HandlerFunc(hset)},
	{Name: "hsetnx", Arity: 4, Flags: Write | DenyOOM | Fast, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "hash", Since: "2.0.0", Summary: "Set the value of a hash field, only if the field does not exist",
		Handler: HandlerFunc(hsetnx)},
	{Name: "hmset", Arity: -4, Flags: Write | DenyOOM | Fast, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "hash", Since: "2.0.0", Summary: "Set multiple hash fields to multiple values",
		Handler: HandlerFunc(hmset)},
	{Name: "hget", Arity: 3, Flags: Readonly | Fast, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "hash", Since: "2.0.0", Summary: "Get the value of a hash field",
		Handler: HandlerFunc(hget)},
	{Name: "hmget", Arity: -3, Flags: Readonly | Fast, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "hash", Since: "2.0.0", Summary: "Get the values of all the given hash fields",
		Handler: HandlerFunc(hmget)},
	{Name: "hdel", Arity: -3, Flags: Write | Fast, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "hash", Since: "2.0.0", Summary: "Delete one or more hash fields",
		Handler: HandlerFunc(hdel)},
	{Name: "hlen", Arity: 2, Flags: Readonly | Fast, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "hash", Since: "2.0.0", Summary: "Get the number of fields in a hash",
		Handler: HandlerFunc(hlen)},
	{Name: "hexists", Arity: 3, Flags: Readonly | Fast, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "hash", Since: "2.0.0", Summary: "Determine if a hash field exists",
		Handler: HandlerFunc(hexists)},
	{Name: "hstrlen", Arity: 3, Flags: Readonly | Fast, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "hash", Since: "3.2.0", Summary: "Get the length of the value of a hash field",
		Handler: HandlerFunc(hstrlen)},
	{Name: "hgetall", Arity: 2, Flags: Readonly, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "hash", Since: "2.0.0", Summary: "Get all the fields and values in a hash",
		Handler: HandlerFunc(hgetall)},
	{Name: "hkeys", Arity: 2, Flags: Readonly, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "hash", Since: "2.0.0", Summary: "Get all the fields in a hash",
		Handler: HandlerFunc(hkeys)},
	{Name: "hvals", Arity: 2, Flags: Readonly, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "hash", Since: "2.0.0", Summary: "Get all the values in a hash",
		Handler: HandlerFunc(hvals)},
	{Name: "hincrby", Arity: 4, Flags: Write | DenyOOM | Fast, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "hash", Since: "2.0.0", Summary: "Increment the integer value of a hash field by the given number",
		Handler: HandlerFunc(hincrby)},
	{Name: "hincrbyfloat", Arity: 4, Flags: Write | DenyOOM | Fast, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "hash", Since: "2.6.0", Summary: "Increment the float value of a hash field by the given amount",
		Handler: HandlerFunc(hincrbyfloat)},
	{Name: "hrandfield", Arity: -2, Flags: Readonly, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "hash", Since: "6.2.0", Summary: "Get one or multiple random fields from a hash",
		Handler: HandlerFunc(hrandfield)},
	{Name: "hscan", Arity: -3, Flags: Readonly, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "hash", Since: "2.8.0", Summary: "Incrementally iterate hash fields and associated values",
		Handler: HandlerFunc(hscan)},
}

// HSET key field value [field value ...]
func hset(c *Ctx) {
	if added, ok := setFields(c, "hset"); ok {
		c.Out.Int(added)
	}
}

// HMSET key field value [field value ...]
func hmset(c *Ctx) {
	if _, ok := setFields(c, "hmset"); ok {
		c.Out.OK()
	}
}

// setFields sets HSET's and HMSET's field/value pairs and returns how many
// fields are new. A dangling field is an arity error, checked first.
func setFields(c *Ctx, name string) (added int64, ok bool) {
	if len(c.Args)%2 == 1 {
		c.Out.Error(ErrWrongArity(name))
		return 0, false
	}
	h, ok := writableHash(c, c.Args[1], true)
	if !ok {
		return 0, false
	}
	for i := 2; i < len(c.Args); i += 2 {
		if h.Set(string(c.Args[i]), string(c.Args[i+1])) {
			added++
		}
		h.Outgrow(view(c.Args[i]), view(c.Args[i+1]), c.DB.EncodingLimits())
	}
	c.Notify(NotifyHash, "hset", c.Args[1])
	c.AddDirty(int64(len(c.Args)-2) / 2) // every pair, as Redis counts
	return added, true
}

// HSETNX key field value
func hsetnx(c *Ctx) {
	h, ok := writableHash(c, c.Args[1], true)
	if !ok {
		return
	}
	if h.Has(view(c.Args[2])) {
		c.Out.Int(0)
		return
	}
	h.Set(string(c.Args[2]), string(c.Args[3]))
	h.Outgrow(view(c.Args[2]), view(c.Args[3]), c.DB.EncodingLimits())
	c.Notify(NotifyHash, "hset", c.Args[1])
	c.Out.Int(1)
}

// HGET key field
func hget(c *Ctx) {
	h, ok := lookupHash(c, c.Args[1])
	if !ok {
		return
	}
	replyField(c, h, c.Args[2])
}

// replyField replies with field's value in h (nil when h is), or null.
func replyField(c *Ctx, h *datatypes.Hash, field []byte) {
	if h != nil {
		if v, found := h.Get(view(field)); found {
			c.Out.BulkString(v)
			return
		}
	}
	c.Out.Null()
}

// HMGET key field [field ...]
func hmget(c *Ctx) {
	h, ok := lookupHash(c, c.Args[1])
	if !ok {
		return
	}
	c.Out.Array(len(c.Args) - 2)
	for _, f := range c.Args[2:] {
		replyField(c, h, f)
	}
}

// HDEL key field [field ...]
func hdel(c *Ctx) {
	h, ok := writableHash(c, c.Args[1], false)
	if !ok {
		return
	}
	var n int64
	for _, f := range c.Args[2:] {
		if h != nil && h.Delete(view(f)) {
			n++
		}
	}
	if n > 0 {
		c.Notify(NotifyHash, "hdel", c.Args[1])
		deleteIfEmpty(c, c.Args[1], h.Len())
	}
	c.AddDirty(n)
	c.Out.Int(n)
}

// HLEN key
func hlen(c *Ctx) {
	h, ok := lookupHash(c, c.Args[1])
	switch {
	case !ok:
	case h == nil:
		c.Out.Int(0)
	default:
		c.Out.Int(int64(h.Len()))
	}
}

// HEXISTS key field
func hexists(c *Ctx) {
	h, ok := lookupHash(c, c.Args[1])
	switch {
	case !ok:
	case h != nil && h.Has(view(c.Args[2])):
		c.Out.Int(1)
	default:
		c.Out.Int(0)
	}
}

// HSTRLEN key field
func hstrlen(c *Ctx) {
	h, ok := lookupHash(c, c.Args[1])
	if !ok {
		return
	}
	var v string
	if h != nil {
		v, _ = h.Get(view(c.Args[2]))
	}
	c.Out.Int(int64(len(v)))
}

// HGETALL key
func hgetall(c *Ctx) {
	h, ok := lookupHash(c, c.Args[1])
	if !ok {
		return
	}
	if h == nil {
		c.Out.Map(0)
		return
	}
	c.Out.Map(h.Len())
	for i := range h.Len() {
		f, v := h.At(i)
		c.Out.BulkString(f)
		c.Out.BulkString(v)
	}
}

// HKEYS key
func hkeys(c *Ctx) { replyHashColumn(c, true) }

// HVALS key
func hvals(c *Ctx) { replyHashColumn(c, false) }

// replyHashColumn replies with every field (or every value) of the hash.
func replyHashColumn(c *Ctx, fields bool) {
	h, ok := lookupHash(c, c.Args[1])
	if !ok {
		return
	}
	if h == nil {
		c.Out.Array(0)
		return
	}
	c.Out.Array(h.Len())
	for i := range h.Len() {
		f, v := h.At(i)
		if !fields {
			f = v
		}
		c.Out.BulkString(f)
	}
}
