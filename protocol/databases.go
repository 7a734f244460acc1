package protocol

import (
	"math"

	"github.com/geetcache/geetcache/datatypes"
)

// dbLevel is the command level of the commands that name databases
// (SELECT in a transaction, SWAPDB, MOVE, COPY ... DB; see Table.Level):
// a binary from before databases refuses their entries.
const dbLevel = 6

// The commands that name databases: SELECT, SWAPDB and MOVE (COPY's DB
// option is in rename.go, FLUSHDB and FLUSHALL in keys.go).
var databaseCommands = []*Command{
	{Name: "select", Arity: 2, Flags: Loading | Stale | Fast, Level: dbLevel,
		Group: "connection", Since: "1.0.0", Summary: "Change the selected database for the current connection",
		Handler: HandlerFunc(selectCmd)},
	{Name: "swapdb", Arity: 3, Flags: Write | Fast, Level: dbLevel,
		Group: "server", Since: "4.0.0", Summary: "Swaps two Redis databases",
		Handler: HandlerFunc(swapdb)},
	{Name: "move", Arity: 3, Flags: Write | Fast, FirstKey: 1, LastKey: 1, Step: 1, Level: dbLevel,
		Group: "generic", Since: "1.0.0", Summary: "Move a key to another database",
		Handler: HandlerFunc(move)},
}

// DBSelector is a connection that keeps its own selected database: SELECT
// outside the state machine asks it to switch (false: no such database).
type DBSelector interface {
	SelectDB(n int) bool
}

// SELECT index
//
// On a connection it switches the connection's database. Inside the state
// machine (a transaction's SELECT, which the connection already checked)
// it switches the database the unit's next commands use.
func selectCmd(c *Ctx) {
	n, ok := parseInt32(c, c.Args[1], ErrNotInteger)
	if !ok {
		return
	}
	if sel, isConn := c.Conn.(DBSelector); isConn {
		if !sel.SelectDB(n) {
			c.Out.Error(ErrDBIndex)
			return
		}
		c.Out.OK()
		return
	}
	if !c.selectDB(n) {
		c.Out.Error(ErrDBIndex)
		return
	}
	c.Out.OK()
}

// selectDB points c at database n; false when there is no such database
// (n is not below the configured number).
func (c *Ctx) selectDB(n int) bool {
	if !c.dbInRange(n) {
		return false
	}
	c.DB, c.DBIndex = c.DBs.DB(n), n
	return true
}

// SelectDB is selectDB for the state machine's and scripts' callers.
func (c *Ctx) SelectDB(n int) bool { return c.selectDB(n) }

// parseInt32 parses arg as Redis's getIntFromObjectOrReply: not an integer
// gets msg, an integer outside int32 the range error.
func parseInt32(c *Ctx, arg []byte, msg string) (int, bool) {
	n, ok := ParseInt(arg)
	switch {
	case !ok:
		c.Out.Error(msg)
	case n < math.MinInt32 || n > math.MaxInt32:
		c.Out.Error(ErrIntRange)
	default:
		return int(n), true
	}
	return 0, false
}

// otherDB returns database arg for a command that names one (MOVE, COPY
// ... DB), replying as Redis does when there is none: the configured
// databases bound it, as SELECT's.
func (c *Ctx) otherDB(arg []byte) (*datatypes.Keyspace, int, bool) {
	n, ok := parseInt32(c, arg, ErrNotInteger)
	if !ok {
		return nil, 0, false
	}
	if !c.dbInRange(n) {
		c.Out.Error(ErrDBIndex)
		return nil, 0, false
	}
	return c.DBs.DB(n), n, true
}

// dbInRange reports whether database n exists for a command that names
// it: below the configured number of databases, which always exist
// (DBs.Len is never below DBs.Limit).
func (c *Ctx) dbInRange(n int) bool {
	return c.DBs != nil && n >= 0 && n < c.DBs.Limit()
}

// SWAPDB index1 index2
func swapdb(c *Ctx) {
	a, ok := swapIndex(c, c.Args[1], "ERR invalid first DB index")
	if !ok {
		return
	}
	b, ok := swapIndex(c, c.Args[2], "ERR invalid second DB index")
	if !ok {
		return
	}
	if !c.dbInRange(a) || !c.dbInRange(b) {
		c.Out.Error(ErrDBIndex)
		return
	}
	if a != b && c.Writing() {
		c.DBs.Swap(a, b)
		c.DB = c.DBs.DB(c.DBIndex)
	}
	c.AddDirty(1) // even for a database swapped with itself, as Redis
	c.Out.OK()
}

// swapIndex parses a SWAPDB index: Redis answers msg to anything that is
// not an int32.
func swapIndex(c *Ctx, arg []byte, msg string) (int, bool) {
	n, ok := ParseInt(arg)
	if !ok || n < math.MinInt32 || n > math.MaxInt32 {
		c.Out.Error(msg)
		return 0, false
	}
	return int(n), true
}

// MOVE key db
func move(c *Ctx) {
	dst, dbid, ok := c.otherDB(c.Args[2])
	if !ok {
		return
	}
	if dbid == c.DBIndex {
		c.Out.Error(ErrSameObject)
		return
	}
	key := view(c.Args[1])
	e := c.DB.LookupWrite(key, c.Now)
	if e == nil || dst.LookupWrite(key, c.Now) != nil {
		c.Out.Int(0)
		return
	}
	dst.SetShared(string(c.Args[1]), e.Value, e.ExpireAt)
	c.DB.Delete(key)
	c.Notify(NotifyGeneric, "move_from", c.Args[1])
	c.Events.Notify(dbid, NotifyGeneric, "move_to", c.Args[1])
	c.Out.Int(1)
}
