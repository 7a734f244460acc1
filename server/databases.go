package server

import (
	"github.com/geetcache/geetcache/datatypes"
	"github.com/geetcache/geetcache/protocol"
)

// Databases: a connection's selected database (SELECT, protocol's
// command, asks the connection through protocol.DBSelector) is its
// client.db. Every unit the connection puts in the log carries it
// (protocol.Unit.DB), reads run on it, a follower's link to the leader
// selects it before it forwards (forward.go), and a transaction's
// SELECTs run inside its unit (multi_exec.go).

var _ protocol.DBSelector = (*client)(nil)

// databases is the number of databases clients may select.
func (s *Server) databases() int {
	if s.cfg.Databases > 0 {
		return s.cfg.Databases
	}
	return datatypes.DefaultDatabases
}

// SelectDB switches the connection to database n; false when there is no
// such database.
func (cl *client) SelectDB(n int) bool {
	if n < 0 || n >= cl.limit() {
		return false
	}
	cl.mu.Lock()
	cl.db = n
	cl.mu.Unlock()
	return true
}

// limit is the number of databases, datatypes.DefaultDatabases for a
// client made without one (tests).
func (cl *client) limit() int {
	if cl.dbLimit > 0 {
		return cl.dbLimit
	}
	return datatypes.DefaultDatabases
}

// selectedIn returns the database a transaction leaves the connection in:
// the last of its SELECTs that names one, or -1 (SelectDB then changes
// nothing).
func selectedIn(items []queued, limit int) int {
	db := -1
	for _, it := range items {
		if n, ok := validSelect(it, limit); ok {
			db = n
		}
	}
	return db
}

// validSelect reports whether it is a SELECT of an existing database, and
// which: such a SELECT runs inside the transaction's log unit, so the
// commands after it use that database on every node; any other SELECT runs
// on the connection after the unit and only answers its error.
func validSelect(it queued, limit int) (int, bool) {
	if it.cmd.Name != "select" || len(it.args) != 2 || it.denied != "" {
		return 0, false
	}
	n, ok := protocol.ParseInt(it.args[1])
	if !ok || n < 0 || n >= int64(limit) {
		return 0, false
	}
	return int(n), true
}

// inUnit reports whether a queued command runs in its transaction's log
// unit: a keyspace command, or a SELECT of an existing database.
func (cl *client) inUnit(it queued) bool {
	if isData(it.cmd.FlagsFor(it.args)) {
		return true
	}
	_, ok := validSelect(it, cl.limit())
	return ok
}
