package protocol

import "math"

// expireKind is which of EX, PX, EXAT and PXAT gave an expiry.
type expireKind uint8

const (
	noExpire expireKind = iota
	expireEX
	expirePX
	expireEXAT
	expirePXAT
)

// expireOption returns the kind an option word names, or noExpire.
func expireOption(a []byte) expireKind {
	switch {
	case EqualFold(a, "ex"):
		return expireEX
	case EqualFold(a, "px"):
		return expirePX
	case EqualFold(a, "exat"):
		return expireEXAT
	case EqualFold(a, "pxat"):
		return expirePXAT
	}
	return noExpire
}

// unit is the number of milliseconds in one unit of the argument.
func (k expireKind) unit() int64 {
	if k == expireEX || k == expireEXAT {
		return 1000
	}
	return 1
}

// absolute reports whether the argument is a unix time.
func (k expireKind) absolute() bool { return k == expireEXAT || k == expirePXAT }

// setOptions are SET's and GETEX's parsed options. The expiry argument is
// kept unparsed: Redis checks the whole option syntax first and the value
// later, after other checks.
type setOptions struct {
	nx, xx, get, keepTTL, persist bool
	kind                          expireKind
	expire                        []byte
}

// parseSetOptions parses SET's options (GETEX's when getex is set) as
// Redis's parseExtendedStringArgumentsOrReply does; ok is false on a syntax
// error. As in Redis, an option may repeat (EX 10 EX 20 keeps the last) but
// NX and XX, or two different expiry options, or an expiry with KEEPTTL or
// PERSIST, may not be combined.
func parseSetOptions(args [][]byte, getex bool) (o setOptions, ok bool) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case !getex && EqualFold(a, "nx") && !o.xx:
			o.nx = true
		case !getex && EqualFold(a, "xx") && !o.nx:
			o.xx = true
		case !getex && EqualFold(a, "get"):
			o.get = true
		case !getex && EqualFold(a, "keepttl") && o.kind == noExpire:
			o.keepTTL = true
		case getex && EqualFold(a, "persist") && o.kind == noExpire:
			o.persist = true
		default:
			k := expireOption(a)
			if k == noExpire || o.keepTTL || o.persist || (o.kind != noExpire && o.kind != k) || i+1 == len(args) {
				return o, false
			}
			o.kind, o.expire = k, args[i+1]
			i++
		}
	}
	return o, true
}

// expireAt converts the expiry argument to absolute unix ms at c.Now as
// Redis's getExpireMillisecondsOrReply does, replying on error: a
// non-integer, a value <= 0, or one whose milliseconds overflow. cmd is the
// lower-case command name for the error text.
func (o setOptions) expireAt(c *Ctx, cmd string) (int64, bool) {
	n, ok := ParseInt(o.expire)
	if !ok {
		c.Out.Error(ErrNotInteger)
		return 0, false
	}
	unit := o.kind.unit()
	if n <= 0 || n > math.MaxInt64/unit {
		c.Out.Error(ErrInvalidExpire(cmd))
		return 0, false
	}
	ms := n * unit
	if !o.kind.absolute() {
		if ms > math.MaxInt64-c.Now {
			c.Out.Error(ErrInvalidExpire(cmd))
			return 0, false
		}
		ms += c.Now
	}
	return ms, true
}

// GETEX key [EX seconds | PX milliseconds | EXAT unix-time-seconds |
// PXAT unix-time-milliseconds | PERSIST]
func getex(c *Ctx) {
	o, ok := parseSetOptions(c.Args[2:], true)
	if !ok {
		c.Out.Error(ErrSyntax)
		return
	}
	e := c.LookupRead(c.Args[1])
	sv, isStr := entryString(e)
	switch {
	case e == nil:
		c.Out.Null()
		return
	case !isStr:
		c.Out.Error(ErrWrongType)
		return
	}
	var at int64
	if o.kind != noExpire {
		if at, ok = o.expireAt(c, "getex"); !ok {
			return
		}
	}
	c.Out.Bulk(sv.Bytes())
	switch {
	case o.kind.absolute() && at <= c.Now:
		// An absolute time already past deletes the key, as in Redis.
		c.DB.Delete(e.Key)
		c.Notify(NotifyGeneric, "del", c.Args[1])
	case o.kind != noExpire:
		c.DB.SetExpire(e, at)
		c.Notify(NotifyGeneric, "expire", c.Args[1])
	case o.persist && e.ExpireAt != 0:
		c.DB.SetExpire(e, 0)
		c.Notify(NotifyGeneric, "persist", c.Args[1])
	}
}
