package protocol

import (
	"github.com/geetcache/geetcache/datatypes"
)

// stringCommands is the string family. Each command's handler starts with
// its usage line.
var stringCommands = []*Command{
	{Name: "get", Arity: 2, Flags: Readonly | Fast, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "string", Since: "1.0.0", Summary: "Returns the string value of a key.",
		Handler: HandlerFunc(get)},
	{Name: "set", Arity: -3, Flags: Write | DenyOOM, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "string", Since: "1.0.0", Summary: "Sets the string value of a key, ignoring its type. The key is created if it doesn't exist.",
		Handler: HandlerFunc(set)},
}

// GET key
func get(c *Ctx) {
	val, found, ok := c.LookupString(c.Args[1])
	switch {
	case !ok:
	case !found:
		c.Out.Null()
	default:
		c.Out.Bulk(val)
	}
}

// SET key value [NX | XX] [GET] [EX seconds | PX milliseconds |
// EXAT unix-time-seconds | PXAT unix-time-milliseconds | KEEPTTL]
func set(c *Ctx) {
	opt, ok := parseSetOptions(c, c.Args[3:], "set")
	if !ok {
		return
	}
	key := c.Args[1]
	e := c.Lookup(key)
	if opt.get {
		if e != nil {
			if _, isStr := e.Value.(datatypes.StringValue); !isStr {
				c.Out.Error(ErrWrongType)
				return
			}
		}
	}
	if (opt.nx && e != nil) || (opt.xx && e == nil) {
		replySetSkipped(c, e, opt.get)
		return
	}
	expireAt := opt.expireAt
	if opt.keepTTL && e != nil {
		expireAt = e.ExpireAt
	}
	if opt.get {
		replyOldValue(c, e)
	} else {
		c.Out.OK()
	}
	c.DB.Set(string(key), datatypes.String(append([]byte(nil), c.Args[2]...)), expireAt)
}

func replySetSkipped(c *Ctx, old *datatypes.Entry, get bool) {
	if get {
		replyOldValue(c, old)
		return
	}
	c.Out.Null()
}

func replyOldValue(c *Ctx, old *datatypes.Entry) {
	if old == nil {
		c.Out.Null()
		return
	}
	c.Out.Bulk(old.Value.(datatypes.StringValue).Bytes())
}

// setOptions are SET's and GETEX's parsed options.
type setOptions struct {
	nx, xx, get, keepTTL, persist bool
	expireAt                      int64 // absolute unix ms; 0 for none
	hasExpire                     bool
}

// parseSetOptions parses SET's (or, with cmd "getex", GETEX's) options and
// turns a relative expiry into an absolute one at c.Now. On error it has
// replied and returns ok=false.
func parseSetOptions(c *Ctx, args [][]byte, cmd string) (setOptions, bool) {
	var o setOptions
	getex := cmd == "getex"
	for i := 0; i < len(args); i++ {
		a := args[i]
		var unit int64
		var absolute bool
		switch {
		case !getex && EqualFold(a, "nx") && !o.xx:
			o.nx = true
			continue
		case !getex && EqualFold(a, "xx") && !o.nx:
			o.xx = true
			continue
		case !getex && EqualFold(a, "get"):
			o.get = true
			continue
		case !getex && EqualFold(a, "keepttl") && !o.hasExpire:
			o.keepTTL = true
			continue
		case getex && EqualFold(a, "persist") && !o.hasExpire:
			o.persist = true
			continue
		case EqualFold(a, "ex"):
			unit = 1000
		case EqualFold(a, "px"):
			unit = 1
		case EqualFold(a, "exat"):
			unit, absolute = 1000, true
		case EqualFold(a, "pxat"):
			unit, absolute = 1, true
		default:
			c.Out.Error(ErrSyntax)
			return o, false
		}
		if o.hasExpire || o.keepTTL || o.persist || i+1 >= len(args) {
			c.Out.Error(ErrSyntax)
			return o, false
		}
		i++
		at, ok := absoluteExpiry(c, args[i], unit, absolute, cmd)
		if !ok {
			return o, false
		}
		o.expireAt, o.hasExpire = at, true
	}
	return o, true
}

// absoluteExpiry converts an EX/PX/EXAT/PXAT argument to unix ms, replying
// with Redis's errors for a non-integer, non-positive or overflowing value.
func absoluteExpiry(c *Ctx, arg []byte, unit int64, absolute bool, cmd string) (int64, bool) {
	n, ok := ParseInt(arg)
	if !ok {
		c.Out.Error(ErrNotInteger)
		return 0, false
	}
	const maxMs = 1<<63 - 1
	if n <= 0 || n > maxMs/unit {
		c.Out.Error(ErrInvalidExpire(cmd))
		return 0, false
	}
	ms := n * unit
	if !absolute {
		if ms > maxMs-c.Now {
			c.Out.Error(ErrInvalidExpire(cmd))
			return 0, false
		}
		ms += c.Now
	}
	return ms, true
}
