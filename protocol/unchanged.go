package protocol

import "github.com/geetcache/geetcache/datatypes"

// Writes that change nothing. Redis neither propagates nor fsyncs a write
// whose call changed nothing (server.dirty stays put): an SADD of members
// the set holds, a ZADD of members at the scores they have, a ZPOPMIN of a
// missing key. geetcache answers such a call as a read, with no log entry,
// when the command can tell from the keyspace that it would change nothing
// (Command.Unchanged; the server runs it behind the read barrier,
// server/unchanged.go). Anything else about the call — a missing key to
// create, a key of another type (WRONGTYPE), an argument error — is left
// to the handler in the state machine.

// TryUnchanged runs c's Unchanged on args as a trial, in a copy of base
// that counts nothing (no access, lookup or keymiss event) and writes its
// reply into scratch: whether the call would change nothing.
func (c *Command) TryUnchanged(base *Ctx, args [][]byte, scratch *Writer) bool {
	trial := *base
	trial.Args, trial.Access, trial.Stats, trial.Events = args, nil, nil, nil
	scratch.B = scratch.B[:0]
	if base.Out != nil {
		scratch.Proto = base.Out.Proto
	}
	trial.Out = scratch
	return c.Unchanged(&trial)
}

// quietLookup is Lookup as Redis's lookupKeyWrite does it, for a write's
// check outside the state machine: no keymiss event, and no access
// counted (the caller counts it when it answers the call).
func quietLookup(c *Ctx, key []byte) *datatypes.Entry {
	return c.DB.Lookup(view(key), c.Now)
}

// heldAs returns the entry at key and its value when the key holds a T
// (quietLookup); ok is false when it is missing or of another type.
func heldAs[T datatypes.Value](c *Ctx, key []byte) (e *datatypes.Entry, v T, ok bool) {
	if e = quietLookup(c, key); e != nil {
		v, ok = e.Value.(T)
	}
	return e, v, ok
}

// answerUnchanged counts the access to e, as the handler's lookup would
// have, and replies n.
func answerUnchanged(c *Ctx, e *datatypes.Entry, n int64) bool {
	if c.Access != nil {
		c.Access(e, c.AccessTime())
	}
	c.Out.Int(n)
	return true
}

// saddUnchanged: SADD key member... where the set at key holds every member.
func saddUnchanged(c *Ctx) bool {
	e, s, ok := heldAs[*datatypes.Set](c, c.Args[1])
	if !ok {
		return false
	}
	for _, m := range c.Args[2:] {
		if !s.Has(view(m)) {
			return false
		}
	}
	return answerUnchanged(c, e, 0)
}

// zaddUnchanged: ZADD key score member... with no options, where the
// sorted set at key holds every member at that very score.
func zaddUnchanged(c *Ctx) bool {
	if len(c.Args)%2 != 0 {
		return false
	}
	e, z, ok := heldAs[*datatypes.ZSet](c, c.Args[1])
	if !ok {
		return false
	}
	for i := 2; i < len(c.Args); i += 2 {
		score, ok := parseScore(c.Args[i]) // an option (NX, CH...) is not a score
		if !ok {
			return false
		}
		if cur, found := z.Score(view(c.Args[i+1])); !found || cur != score {
			return false
		}
	}
	return answerUnchanged(c, e, 0)
}

// zpopUnchanged: ZPOPMIN or ZPOPMAX key [count] of a missing key, with a
// count that is valid.
func zpopUnchanged(c *Ctx) bool {
	if len(c.Args) > 3 {
		return false
	}
	if len(c.Args) == 3 {
		if n, ok := ParseInt(c.Args[2]); !ok || n < 0 {
			return false
		}
	}
	if quietLookup(c, c.Args[1]) != nil {
		return false
	}
	c.Out.Array(0)
	return true
}
