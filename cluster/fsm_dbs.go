package cluster

import (
	"bufio"

	"github.com/geetcache/geetcache/datatypes"
)

// growTo makes sure every database e names exists: a leader configured
// with more databases than this node may log an entry for one past them,
// which this node applies to that database rather than to another.
func (f *FSM) growTo(e interface{ MaxDB() int }) {
	if n := e.MaxDB() + 1; n > f.dbs.Len() {
		f.dbs.Grow(n)
		f.initEvents()
	}
}

// readDBs reads a snapshot's databases: every database (multi, version 5
// on), or database 0 alone (earlier versions).
func (f *FSM) readDBs(br *bufio.Reader, multi bool) (*datatypes.DBs, error) {
	if multi {
		return datatypes.ReadDBs(br, f.ndbs)
	}
	ks, err := datatypes.ReadKeyspace(br)
	if err != nil {
		return nil, err
	}
	return datatypes.Single(ks, f.ndbs), nil
}
