package server

import (
	"sync/atomic"

	"github.com/geetcache/geetcache/protocol"
)

// appendonly and aof-use-rdb-preamble are accepted and reported back, and
// change nothing: every write is in the Raft log, fsynced before it is
// acknowledged, whatever they say (docs/compatibility.md). Redis's test
// suite turns appendonly on around the tests that reload the AOF (DEBUG
// LOADAOF), which geetcache answers as it answers DEBUG RELOAD.

// yesNoParam returns get and set for a yes/no parameter held in v.
func yesNoParam(v func(st *settings) *atomic.Bool) (func(st *settings) string, func(st *settings, b []byte) (func(), string)) {
	get := func(st *settings) string {
		if v(st).Load() {
			return "yes"
		}
		return "no"
	}
	set := func(st *settings, b []byte) (func(), string) {
		switch {
		case protocol.EqualFold(b, "yes"):
			return func() { v(st).Store(true) }, ""
		case protocol.EqualFold(b, "no"):
			return func() { v(st).Store(false) }, ""
		}
		return nil, "argument must be 'yes' or 'no'"
	}
	return get, set
}

var (
	getAppendOnly, setAppendOnly   = yesNoParam(func(st *settings) *atomic.Bool { return &st.appendOnly })
	getRDBPreamble, setRDBPreamble = yesNoParam(func(st *settings) *atomic.Bool { return &st.rdbPreamble })
)

// BGREWRITEAOF takes a Raft snapshot, as BGSAVE does: the log is
// geetcache's append-only file, and a snapshot is what lets Raft compact it.
func (s *Server) bgrewriteaof(c *protocol.Ctx) {
	if !s.beginSave(true) {
		c.Out.Simple("Background append only file rewriting scheduled")
		return
	}
	go func() { s.endSave(s.snapshot()) }()
	c.Out.Simple("Background append only file rewriting started")
}
