package protocol

import "github.com/geetcache/geetcache/datatypes"

// Typed lookups for the collection commands (hashes and sets).

// lookupTyped returns the value of type T at key; v is the zero T (nil)
// when the key is missing. On a key of another type it replies WRONGTYPE
// and returns ok=false. The value must not be modified.
func lookupTyped[T datatypes.Value](c *Ctx, key []byte) (v T, ok bool) {
	return typedOf[T](c, c.Lookup(key))
}

// typedOf is lookupTyped's answer for e, the entry a lookup found (nil:
// none).
func typedOf[T datatypes.Value](c *Ctx, e *datatypes.Entry) (v T, ok bool) {
	if e == nil {
		return v, true
	}
	v, ok = e.Value.(T)
	if !ok {
		c.Out.Error(ErrWrongType)
	}
	return v, ok
}

// lookupSource is lookupTyped for a key a blocking command takes from.
// When the command runs again after a wake-up (c.Retry), a key of another
// type counts as missing, so the client stays blocked: Redis serves a
// blocked client only from a key of the type it waits for. Only its first
// run answers WRONGTYPE.
func lookupSource[T datatypes.Value](c *Ctx, key []byte) (v T, ok bool) {
	if c.Retry {
		if e := c.Lookup(key); e != nil {
			if _, same := e.Value.(T); !same {
				return v, true
			}
		}
	}
	return lookupTyped[T](c, key)
}

// writableTyped returns the value of type T at key, ready to be changed in
// place. A missing key gets create()'s value stored under it (no expiry),
// or, when create is nil, the zero T (nil). On a key of another type it
// replies WRONGTYPE and returns ok=false. Only for write handlers.
func writableTyped[T datatypes.Value](c *Ctx, key []byte, create func() T) (v T, ok bool) {
	e := c.Lookup(key)
	if e == nil {
		if create != nil {
			v = create()
			c.DB.Set(string(key), v, 0)
		}
		return v, true
	}
	if _, ok = e.Value.(T); !ok {
		c.Out.Error(ErrWrongType)
		return v, false
	}
	return c.DB.Mutable(e).Value.(T), true
}

// deleteIfEmpty removes key when its collection became empty, as Redis
// never keeps an empty hash or set, and publishes "del" then: callers
// publish their own event first, as Redis does.
func deleteIfEmpty(c *Ctx, key []byte, n int) {
	if n == 0 {
		c.DB.Delete(view(key))
		c.Notify(NotifyGeneric, "del", key)
	}
}

func lookupHash(c *Ctx, key []byte) (*datatypes.Hash, bool) {
	return lookupTyped[*datatypes.Hash](c, key)
}

func lookupSet(c *Ctx, key []byte) (*datatypes.Set, bool) {
	return lookupTyped[*datatypes.Set](c, key)
}

// writableHash returns the hash at key for changing, creating it when
// create is set; see writableTyped.
func writableHash(c *Ctx, key []byte, create bool) (*datatypes.Hash, bool) {
	if create {
		return writableTyped(c, key, datatypes.NewHash)
	}
	return writableTyped[*datatypes.Hash](c, key, nil)
}

// writableSet returns the set at key for changing, creating it when create
// is set; see writableTyped.
func writableSet(c *Ctx, key []byte, create bool) (*datatypes.Set, bool) {
	if create {
		return writableTyped(c, key, datatypes.NewSet)
	}
	return writableTyped[*datatypes.Set](c, key, nil)
}
