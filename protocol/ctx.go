package protocol

import (
	"unsafe"

	"github.com/geetcache/geetcache/datatypes"
)

// View is view for other packages: b as a string without copying, for
// lookups only.
func View(b []byte) string { return view(b) }

// view returns b as a string without copying, for lookups only: the result
// must not be stored anywhere that outlives b.
func view(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// Writing reports whether the handler runs inside the FSM.
func (c *Ctx) Writing() bool { return c.Rand != nil }

// Lookup returns the live entry for key, or nil. Inside the FSM an expired
// entry found on the way is deleted, as Redis's master does. For a read
// command (outside the FSM, or ReadCall), a miss publishes "keymiss"
// (class m) through c.Events, as Redis's lookupKeyRead does. The key
// counts as accessed (Access), as Redis's lookupKey touches it.
func (c *Ctx) Lookup(key []byte) *datatypes.Entry {
	e := c.Peek(key)
	if e != nil && c.Access != nil {
		c.Access(e, c.AccessTime())
	}
	return e
}

// AccessTime is the time access figures are judged by: Clock, or Now.
func (c *Ctx) AccessTime() int64 {
	if c.Clock != 0 {
		return c.Clock
	}
	return c.Now
}

// Peek is Lookup without counting an access: for the commands Redis looks
// keys up with LOOKUP_NOTOUCH (TYPE, TTL, EXISTS...); a miss still
// publishes "keymiss".
func (c *Ctx) Peek(key []byte) *datatypes.Entry {
	var e *datatypes.Entry
	if c.Writing() {
		e = c.DB.LookupWrite(view(key), c.Now)
	} else {
		e = c.DB.Lookup(view(key), c.Now)
	}
	if c.readLookups() {
		c.Stats.count(e != nil)
		if e == nil {
			c.Events.Notify(c.DBIndex, NotifyKeyMiss, "keymiss", key)
		}
	}
	return e
}

// readLookups reports whether every lookup is a read's (publishing
// keymiss): outside the FSM, or for a read command inside it.
func (c *Ctx) readLookups() bool { return !c.Writing() || c.ReadCall }

// LookupString returns the bytes of the string at key. found is false when
// the key is missing; on a key of another type it replies WRONGTYPE and
// returns ok=false.
func (c *Ctx) LookupString(key []byte) (val []byte, found, ok bool) {
	return c.stringOf(c.Lookup(key))
}

// stringOf is LookupString's answer for e, the entry a lookup found (nil:
// none).
func (c *Ctx) stringOf(e *datatypes.Entry) (val []byte, found, ok bool) {
	if e == nil {
		return nil, false, true
	}
	sv, isStr := e.Value.(datatypes.StringValue)
	if !isStr {
		c.Out.Error(ErrWrongType)
		return nil, false, false
	}
	return sv.Bytes(), true, true
}
