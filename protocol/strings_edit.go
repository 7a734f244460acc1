package protocol

import (
	"github.com/geetcache/geetcache/datatypes"
)

// maxStringLen is Redis's default proto-max-bulk-len: no string may grow
// beyond it.
const maxStringLen = 512 << 20

// stringLenOK reports whether a string of size+add bytes is allowed, as
// Redis's checkStringLength (which also refuses an overflowing sum).
func stringLenOK(size, add int64) bool {
	total := size + add
	return total >= size && total <= maxStringLen
}

// editString returns e's string as a plain datatypes.String the caller may
// change in place; the key keeps its TTL. A string in another encoding (a
// HyperLogLog) becomes a plain copy of its bytes, as in Redis.
func editString(c *Ctx, e *datatypes.Entry) (*datatypes.Entry, datatypes.String) {
	e = c.DB.Mutable(e)
	s, plain := e.Value.(datatypes.String)
	if !plain {
		s = copyString(e.Value.(datatypes.StringValue).Bytes())
		e.Value = s
	}
	return e, s
}

// APPEND key value
func appendCmd(c *Ctx) {
	key, arg := c.Args[1], c.Args[2]
	e := c.Lookup(key)
	if e == nil {
		storeString(c, key, arg, 0)
		c.Notify(NotifyString, "append", key)
		c.Out.Int(int64(len(arg)))
		return
	}
	sv, isStr := entryString(e)
	if !isStr {
		c.Out.Error(ErrWrongType)
		return
	}
	if !stringLenOK(int64(len(sv.Bytes())), int64(len(arg))) {
		c.Out.Error(ErrStringTooLong)
		return
	}
	e, s := editString(c, e)
	// The array is ours now, so append may use its spare capacity: repeated
	// appends are amortised, as sdscatlen is.
	s = append(s, arg...)
	e.Value = s
	c.Notify(NotifyString, "append", key)
	c.Out.Int(int64(len(s)))
}

// SETRANGE key offset value
func setrange(c *Ctx) {
	off, ok := ParseInt(c.Args[2])
	switch {
	case !ok:
		c.Out.Error(ErrNotInteger)
		return
	case off < 0:
		c.Out.Error(ErrOffsetRange)
		return
	}
	key, val := c.Args[1], c.Args[3]
	e := c.Lookup(key)
	var old []byte
	if e != nil {
		sv, isStr := entryString(e)
		if !isStr {
			c.Out.Error(ErrWrongType)
			return
		}
		old = sv.Bytes()
	}
	switch {
	case len(val) == 0:
		c.Out.Int(int64(len(old))) // nothing to write, nothing created
	case !stringLenOK(off, int64(len(val))):
		c.Out.Error(ErrStringTooLong)
	default:
		s := overwrite(c, key, e, int(off), val)
		c.Notify(NotifyString, "setrange", key)
		c.Out.Int(int64(len(s)))
	}
}

// overwrite copies val into the string at key (entry e, nil when missing) at
// off, growing it with zero bytes as needed, and returns the result.
func overwrite(c *Ctx, key []byte, e *datatypes.Entry, off int, val []byte) datatypes.String {
	size := off + len(val)
	if e == nil {
		s := make(datatypes.String, size)
		copy(s[off:], val)
		c.DB.Set(string(key), s, 0)
		return s
	}
	e, s := editString(c, e)
	if len(s) < size {
		s = append(s, make([]byte, size-len(s))...)
		e.Value = s
	}
	copy(s[off:], val)
	return s
}
