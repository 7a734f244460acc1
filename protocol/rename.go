package protocol

import (
	"bytes"

	"github.com/geetcache/geetcache/datatypes"
)

// renameCommands move and copy keys.
var renameCommands = []*Command{
	{Name: "rename", Arity: 3, Flags: Write, FirstKey: 1, LastKey: 2, Step: 1,
		Group: "generic", Since: "1.0.0", Summary: "Rename a key",
		Handler: HandlerFunc(rename)},
	{Name: "renamenx", Arity: 3, Flags: Write | Fast, FirstKey: 1, LastKey: 2, Step: 1,
		Group: "generic", Since: "1.0.0", Summary: "Rename a key, only if the new key does not exist",
		Handler: HandlerFunc(renamenx)},
	{Name: "copy", Arity: -3, Flags: Write | DenyOOM, FirstKey: 1, LastKey: 2, Step: 1, Level: dbLevel,
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
// DB names a database below the configured number, as SELECT's index.
func copyCmd(c *Ctx) {
	replace, dst, dstID, ok := parseCopyOptions(c, c.Args[3:])
	if !ok {
		return
	}
	src, dkey := c.Args[1], c.Args[2]
	if dstID == c.DBIndex && bytes.Equal(src, dkey) {
		c.Out.Error(ErrSameObject)
		return
	}
	e := c.LookupRead(src)
	if e == nil || (dst.LookupWrite(string(dkey), c.Now) != nil && !replace) {
		c.Out.Int(0)
		return
	}
	dst.Delete(string(dkey)) // replaced: Redis deletes and adds it anew ("new")
	dst.Set(string(dkey), e.Value.Clone(), e.ExpireAt)
	c.Events.Notify(dstID, NotifyGeneric, "copy_to", dkey)
	c.AddDirty(1)
	c.Out.Int(1)
}

// parseCopyOptions parses [DB destination-db] [REPLACE] in any order: the
// destination database is the current one unless DB names another.
func parseCopyOptions(c *Ctx, args [][]byte) (replace bool, dst *datatypes.Keyspace, dstID int, ok bool) {
	dst, dstID = c.DB, c.DBIndex
	for i := 0; i < len(args); i++ {
		switch {
		case optionIs(args[i], "replace"):
			replace = true
		case optionIs(args[i], "db") && i+1 < len(args):
			i++
			if dst, dstID, ok = c.otherDB(args[i]); !ok {
				return false, nil, 0, false
			}
		default:
			c.Out.Error(ErrSyntax)
			return false, nil, 0, false
		}
	}
	return replace, dst, dstID, true
}
