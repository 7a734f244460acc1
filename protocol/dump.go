package protocol

import (
	"github.com/geetcache/geetcache/datatypes"
	"github.com/geetcache/geetcache/datatypes/rdb"
)

// dumpCommands serialize keys in Redis 7.0's DUMP format (package rdb).
var dumpCommands = []*Command{
	{Name: "dump", Arity: 2, Flags: Readonly, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "generic", Since: "2.6.0", Summary: "Return a serialized version of the value stored at the specified key.",
		Handler: HandlerFunc(dump)},
	{Name: "restore", Arity: -4, Flags: Write | DenyOOM, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "generic", Since: "2.6.0", Summary: "Create a key using the provided serialized value, previously obtained using DUMP.",
		Handler: HandlerFunc(restore), Check: checkRestore},
	// RESTORE-ASKING is what a Redis Cluster node's MIGRATE sends (to
	// geetcache too, when keys move out of a Redis Cluster): RESTORE.
	{Name: "restore-asking", Arity: -4, Flags: Write | DenyOOM | Asking, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "server", Since: "3.0.0", Summary: "An internal command for migrating keys in a cluster",
		Handler: HandlerFunc(restore), Check: checkRestore},
}

// DUMP key
func dump(c *Ctx) {
	e := c.Lookup(c.Args[1])
	if e == nil {
		c.Out.Null()
		return
	}
	c.Out.Bulk(rdb.Dump(e.Value, c.DB.EncodingLimits()))
}

// restoreArgs are RESTORE's parsed arguments.
type restoreArgs struct {
	replace, absTTL bool
	ttl             int64
	idle, freq      int64 // IDLETIME seconds, FREQ; -1 when not given
}

// parseRestoreOptions reads [REPLACE] [ABSTTL] [IDLETIME s] [FREQ f] as
// Redis's restoreCommand: IDLETIME and FREQ exclude each other (the second
// one is a syntax error). They set the restored key's access figures on
// every node that applies the RESTORE (OBJECT IDLETIME and FREQ).
func parseRestoreOptions(args [][]byte) (restoreArgs, string) {
	a := restoreArgs{idle: -1, freq: -1}
	idle, freq := false, false
	for j := 4; j < len(args); j++ {
		more := j+1 < len(args)
		switch {
		case EqualFold(args[j], "replace"):
			a.replace = true
		case EqualFold(args[j], "absttl"):
			a.absTTL = true
		case EqualFold(args[j], "idletime") && more && !freq:
			v, ok := ParseInt(args[j+1])
			if !ok {
				return a, ErrNotInteger
			}
			if v < 0 {
				return a, ErrRestoreIdle
			}
			a.idle, idle, j = v, true, j+1
		case EqualFold(args[j], "freq") && more && !idle:
			v, ok := ParseInt(args[j+1])
			if !ok {
				return a, ErrNotInteger
			}
			if v < 0 || v > 255 {
				return a, ErrRestoreFreq
			}
			a.freq, freq, j = v, true, j+1
		default:
			return a, ErrSyntax
		}
	}
	return a, ""
}

// parseRestoreTTL reads the ttl argument and checks the payload's footer,
// in Redis's order (after the existing key check).
func parseRestoreTTL(args [][]byte, a *restoreArgs) string {
	ttl, ok := ParseInt(args[2])
	switch {
	case !ok:
		return ErrNotInteger
	case ttl < 0:
		return ErrRestoreTTL
	case !rdb.CheckPayload(args[3]):
		return ErrDumpPayload
	}
	a.ttl = ttl
	return ""
}

// checkRestore is RESTORE's check at the door (Command.Check): options,
// TTL, footer and the whole value decoded, so that a payload that does
// not decode is refused before it is proposed. Redis answers BUSYKEY
// before it looks at the TTL or the payload when the key exists and
// REPLACE is not given: such a call goes on to the state machine, whose
// handler gives that answer.
func checkRestore(args [][]byte, exists func(key []byte) bool) string {
	a, msg := parseRestoreOptions(args)
	if msg != "" {
		return msg
	}
	if msg = parseRestoreTTL(args, &a); msg == "" {
		if _, err := rdb.Load(args[3], datatypes.DefaultEncodingLimits); err != nil {
			msg = ErrDumpBadFormat
		}
	}
	if msg != "" && !a.replace && exists(args[1]) {
		return ""
	}
	return msg
}

// RESTORE key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency]
//
// ttl is relative to the entry's time unless ABSTTL; a key whose time is
// already past is not created (an existing one is still deleted with
// REPLACE), as in Redis.
func restore(c *Ctx) {
	a, msg := parseRestoreOptions(c.Args)
	if msg != "" {
		c.Out.Error(msg)
		return
	}
	key := c.Args[1]
	if !a.replace && c.Lookup(key) != nil {
		c.Out.Error(ErrBusyKey)
		return
	}
	if msg := parseRestoreTTL(c.Args, &a); msg != "" {
		c.Out.Error(msg)
		return
	}
	v, err := rdb.Load(c.Args[3], c.DB.EncodingLimits())
	if err != nil {
		c.Out.Error(ErrDumpBadFormat)
		return
	}
	deleted := a.replace && c.DB.Delete(string(key))
	at := a.ttl
	if at != 0 && !a.absTTL {
		at += c.Now
	}
	if at != 0 && at <= c.Now {
		if deleted {
			c.Notify(NotifyGeneric, "del", key)
		}
		c.Out.OK()
		return
	}
	c.DB.Set(string(key), v, at)
	if e := c.DB.Lookup(string(key), c.Now); e != nil && a.idle >= 0 {
		e.SetIdle(c.Now, a.idle)
	} else if e != nil && a.freq >= 0 {
		e.SetFreq(c.Now, uint8(a.freq))
	}
	c.Notify(NotifyGeneric, "restore", key)
	c.Out.OK()
}
