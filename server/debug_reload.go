package server

import (
	"github.com/geetcache/geetcache/datatypes"
	"github.com/geetcache/geetcache/protocol"
)

// FunctionCounter reports how many function libraries are loaded on this
// node (scripting.Engine implements it).
type FunctionCounter interface {
	FunctionCount() (libraries, functions int)
}

// DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE]
//
// Redis saves its dataset to an RDB file, empties itself and loads the
// file back. geetcache's state is the replay of its Raft log, kept in Raft
// snapshots, so a reload would give back exactly what is there: the reply
// is OK and nothing changes. As in Redis, NOFLUSH without MERGE fails when
// something is loaded (what the file holds collides with what stayed);
// NOSAVE, which in Redis loads an older file, has nothing older to load.
func (s *Server) debugReload(c *protocol.Ctx) {
	var merge, noflush bool
	for _, a := range c.Args[2:] {
		switch {
		case protocol.EqualFold(a, "merge"):
			merge = true
		case protocol.EqualFold(a, "noflush"):
			noflush = true
		case protocol.EqualFold(a, "nosave"):
		default:
			c.Out.Error(protocol.ErrDebugReloadOption)
			return
		}
	}
	if noflush && !merge && !s.datasetEmpty() {
		c.Out.Error(protocol.ErrDebugReloadLoad)
		return
	}
	c.Out.OK()
}

// datasetEmpty reports whether this node holds no key and no function
// library.
func (s *Server) datasetEmpty() bool {
	keys := 0
	s.view.View(func(dbs *datatypes.DBs) { keys, _ = dbs.Keys() })
	libs := 0
	if s.cfg.Functions != nil {
		libs, _ = s.cfg.Functions.FunctionCount()
	}
	return keys == 0 && libs == 0
}
