package protocol

import (
	"bytes"
	"math"
)

// renameCommands move and copy keys.
var renameCommands = []*Command{
	{Name: "rename", Arity: 3, Flags: Write, FirstKey: 1, LastKey: 2, Step: 1,
		Group: "generic", Since: "1.0.0", Summary: "Rename a key",
		Handler: HandlerFunc(rename)},
	{Name: "renamenx", Arity: 3, Flags: Write | Fast, FirstKey: 1, LastKey: 2, Step: 1,
		Group: "generic", Since: "1.0.0", Summary: "Rename a key, only if the new key does not exist",
		Handler: HandlerFunc(renamenx)},
	{Name: "copy", Arity: -3, Flags: Write | DenyOOM, FirstKey: 1, LastKey: 2, Step: 1,
		Group: "generic", Since: "6.2.0", Summary: "Copy a key",
		Handler: HandlerFunc(copyCmd)},
}

// RENAME key newkey
func rename(c *Ctx) { renameGeneric(c, false) }

// RENAMENX key newkey
func renamenx(c *Ctx) { renameGeneric(c, true) }

// renameGeneric moves the value and its expiry to the new name. Renaming a
// key to itself changes nothing but still needs the key to exist.
func renameGeneric(c *Ctx, nx bool) {
	src, dst := c.Args[1], c.Args[2]
	e := c.Lookup(src)
	switch {
	case e == nil:
		c.Out.Error(ErrNoSuchKey)
		return
	case bytes.Equal(src, dst):
		replyRenamed(c, nx, false)
		return
	case c.Lookup(dst) != nil && nx: // the lookup removes an expired dst
		replyRenamed(c, nx, false)
		return
	}
	c.DB.Rename(e, string(dst))
	c.Notify(NotifyGeneric, "rename_from", src)
	c.Notify(NotifyGeneric, "rename_to", dst)
	replyRenamed(c, nx, true)
}

// replyRenamed replies OK for RENAME, 1 or 0 for RENAMENX.
func replyRenamed(c *Ctx, nx, moved bool) {
	switch {
	case !nx:
		c.Out.OK()
	case moved:
		c.Out.Int(1)
	default:
		c.Out.Int(0)
	}
}

// COPY source destination [DB destination-db] [REPLACE]
//
// geetcache has database 0 only: DB 0 is accepted, any other index is out
// of range.
func copyCmd(c *Ctx) {
	replace, ok := parseCopyOptions(c, c.Args[3:])
	if !ok {
		return
	}
	src, dst := c.Args[1], c.Args[2]
	if bytes.Equal(src, dst) {
		c.Out.Error(ErrSameObject)
		return
	}
	e := c.LookupRead(src)
	if e == nil || (c.Lookup(dst) != nil && !replace) {
		c.Out.Int(0)
		return
	}
	c.DB.Delete(string(dst)) // replaced: Redis deletes and adds it anew ("new")
	c.DB.Set(string(dst), e.Value.Clone(), e.ExpireAt)
	c.Notify(NotifyGeneric, "copy_to", dst)
	c.Out.Int(1)
}

// parseCopyOptions parses [DB destination-db] [REPLACE] in any order.
func parseCopyOptions(c *Ctx, args [][]byte) (replace, ok bool) {
	for i := 0; i < len(args); i++ {
		switch {
		case optionIs(args[i], "replace"):
			replace = true
		case optionIs(args[i], "db") && i+1 < len(args):
			i++
			if !parseDBIndex(c, args[i]) {
				return false, false
			}
		default:
			c.Out.Error(ErrSyntax)
			return false, false
		}
	}
	return replace, true
}

// parseDBIndex accepts database 0, replying as Redis's getIntFromObject and
// selectDb do to anything else.
func parseDBIndex(c *Ctx, arg []byte) bool {
	n, ok := ParseInt(arg)
	switch {
	case !ok:
		c.Out.Error(ErrNotInteger)
	case n < math.MinInt32 || n > math.MaxInt32:
		c.Out.Error(ErrIntRange)
	case n != 0:
		c.Out.Error(ErrDBIndex)
	default:
		return true
	}
	return false
}
