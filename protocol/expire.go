package protocol

import (
	"math"
)

// expireCommands set, read and remove key expiries.
var expireCommands = []*Command{
	{Name: "expire", Arity: -3, Flags: Write | Fast, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "generic", Since: "1.0.0", Summary: "Set a key's time to live in seconds",
		Handler: HandlerFunc(expireCmd)},
	{Name: "pexpire", Arity: -3, Flags: Write | Fast, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "generic", Since: "2.6.0", Summary: "Set a key's time to live in milliseconds",
		Handler: HandlerFunc(pexpireCmd)},
	{Name: "expireat", Arity: -3, Flags: Write | Fast, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "generic", Since: "1.2.0", Summary: "Set the expiration for a key as a UNIX timestamp",
		Handler: HandlerFunc(expireatCmd)},
	{Name: "pexpireat", Arity: -3, Flags: Write | Fast, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "generic", Since: "2.6.0", Summary: "Set the expiration for a key as a UNIX timestamp specified in milliseconds",
		Handler: HandlerFunc(pexpireatCmd)},
	{Name: "ttl", Arity: 2, Flags: Readonly | Fast, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "generic", Since: "1.0.0", Summary: "Get the time to live for a key in seconds",
		Handler: HandlerFunc(ttl)},
	{Name: "pttl", Arity: 2, Flags: Readonly | Fast, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "generic", Since: "2.6.0", Summary: "Get the time to live for a key in milliseconds",
		Handler: HandlerFunc(pttl)},
	{Name: "expiretime", Arity: 2, Flags: Readonly | Fast, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "generic", Since: "7.0.0", Summary: "Get the expiration Unix timestamp for a key",
		Handler: HandlerFunc(expiretime)},
	{Name: "pexpiretime", Arity: 2, Flags: Readonly | Fast, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "generic", Since: "7.0.0", Summary: "Get the expiration Unix timestamp for a key in milliseconds",
		Handler: HandlerFunc(pexpiretime)},
	{Name: "persist", Arity: 2, Flags: Write | Fast, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "generic", Since: "2.2.0", Summary: "Remove the expiration from a key",
		Handler: HandlerFunc(persist)},
}

// EXPIRE key seconds [NX | XX | GT | LT]
func expireCmd(c *Ctx) { expireGeneric(c, c.Now, 1000, "expire") }

// PEXPIRE key milliseconds [NX | XX | GT | LT]
func pexpireCmd(c *Ctx) { expireGeneric(c, c.Now, 1, "pexpire") }

// EXPIREAT key unix-time-seconds [NX | XX | GT | LT]
func expireatCmd(c *Ctx) { expireGeneric(c, 0, 1000, "expireat") }

// PEXPIREAT key unix-time-milliseconds [NX | XX | GT | LT]
func pexpireatCmd(c *Ctx) { expireGeneric(c, 0, 1, "pexpireat") }

// expireCond is the EXPIRE family's NX/XX/GT/LT condition.
type expireCond struct{ nx, xx, gt, lt bool }

// parseExpireCond parses the options after the time. Unknown options are
// reported before conflicts, both before the time is parsed, as in Redis.
func parseExpireCond(c *Ctx, args [][]byte) (expireCond, bool) {
	var o expireCond
	for _, a := range args {
		switch {
		case optionIs(a, "nx"):
			o.nx = true
		case optionIs(a, "xx"):
			o.xx = true
		case optionIs(a, "gt"):
			o.gt = true
		case optionIs(a, "lt"):
			o.lt = true
		default:
			c.Out.Error(ErrUnsupportedOption(a))
			return o, false
		}
	}
	switch {
	case o.nx && (o.xx || o.gt || o.lt):
		c.Out.Error(ErrExpireNXOptions)
		return o, false
	case o.gt && o.lt:
		c.Out.Error(ErrExpireGTAndLT)
		return o, false
	}
	return o, true
}

// allows reports whether the condition lets the expiry change from current
// (0: none, which counts as an infinite TTL) to when.
func (o expireCond) allows(current, when int64) bool {
	switch {
	case o.nx && current != 0, o.xx && current == 0:
		return false
	case o.gt && (current == 0 || when <= current):
		return false
	case o.lt && current != 0 && when >= current:
		return false
	}
	return true
}

// expireGeneric implements the EXPIRE family: the time argument times unit
// (ms per unit) plus base (c.Now for relative times, 0 for absolute ones) is
// the new expiry in unix ms. A time already past deletes the key.
func expireGeneric(c *Ctx, base, unit int64, name string) {
	cond, ok := parseExpireCond(c, c.Args[3:])
	if !ok {
		return
	}
	when, ok := ParseInt(c.Args[2])
	if !ok {
		c.Out.Error(ErrNotInteger)
		return
	}
	if when, ok = expiryFrom(when, base, unit); !ok {
		c.Out.Error(ErrInvalidExpire(name))
		return
	}
	e := c.Lookup(c.Args[1])
	switch {
	case e == nil || !cond.allows(e.ExpireAt, when):
		c.Out.Int(0)
	case when <= c.Now:
		c.DB.Delete(e.Key)
		c.Notify(NotifyGeneric, "del", c.Args[1])
		c.Out.Int(1)
	default:
		c.DB.SetExpire(e, when)
		c.Notify(NotifyGeneric, "expire", c.Args[1])
		c.Out.Int(1)
	}
}

// expiryFrom returns n*unit+base, refusing overflow as Redis does (a
// negative result is fine: it is in the past).
func expiryFrom(n, base, unit int64) (int64, bool) {
	if unit != 1 {
		if n > math.MaxInt64/unit || n < math.MinInt64/unit {
			return 0, false
		}
		n *= unit
	}
	if n > math.MaxInt64-base {
		return 0, false
	}
	return n + base, true
}

// TTL key
func ttl(c *Ctx) { ttlGeneric(c, false, false) }

// PTTL key
func pttl(c *Ctx) { ttlGeneric(c, true, false) }

// EXPIRETIME key
func expiretime(c *Ctx) { ttlGeneric(c, false, true) }

// PEXPIRETIME key
func pexpiretime(c *Ctx) { ttlGeneric(c, true, true) }

// ttlGeneric replies -2 for a missing key, -1 for one without expiry, else
// the time left (or, absolute, the expiry) in ms or rounded to seconds.
func ttlGeneric(c *Ctx, ms, absolute bool) {
	e := c.Peek(c.Args[1]) // not an access (LOOKUP_NOTOUCH)
	switch {
	case e == nil:
		c.Out.Int(-2)
		return
	case e.ExpireAt == 0:
		c.Out.Int(-1)
		return
	}
	t := e.ExpireAt
	if !absolute {
		t -= c.Now
	}
	t = max(t, 0)
	if !ms {
		t = roundToSeconds(t)
	}
	c.Out.Int(t)
}

// roundToSeconds is Redis's (ms+500)/1000 for ms >= 0, computed without the
// overflow near MaxInt64 (where Redis's compiled code gives the exact result).
func roundToSeconds(ms int64) int64 {
	s := ms / 1000
	if ms%1000 >= 500 {
		s++
	}
	return s
}

// PERSIST key
func persist(c *Ctx) {
	e := c.Lookup(c.Args[1])
	if e == nil || e.ExpireAt == 0 {
		c.Out.Int(0)
		return
	}
	c.DB.SetExpire(e, 0)
	c.Notify(NotifyGeneric, "persist", c.Args[1])
	c.Out.Int(1)
}
