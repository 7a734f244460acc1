package server

import (
	"errors"
	"sync"
	"time"

	"github.com/hashicorp/raft"

	"github.com/geetcache/geetcache/protocol"
)

// saveState tracks the saves clients asked for. geetcache has no RDB file:
// SAVE and BGSAVE take a Raft snapshot, which writes the whole dataset to
// disk and lets Raft drop the log before it. Every acknowledged write is
// already durable in the log, so a save only compacts; LASTSAVE reports
// the saves asked for here (Raft's own periodic snapshots are not counted).
type saveState struct {
	mu         sync.Mutex
	running    bool // a SAVE or BGSAVE is snapshotting
	background bool // ... and it is a BGSAVE
	started    time.Time
	lastSave   time.Time // last successful save; zero means the server's start
	bgFailed   bool      // the last BGSAVE failed
	bgDone     bool      // a BGSAVE has finished, taking bgSeconds
	bgSeconds  int64
	count      int64 // saves attempted since start or CONFIG RESETSTAT
	// dirtyBefore is the dirty counter when the running save began: a
	// successful save takes it away (Redis's dirty_before_bgsave).
	dirtyBefore int64
}

func (s *Server) persistenceCommands() []*protocol.Command {
	return []*protocol.Command{
		{Name: "save", Arity: 1, Flags: protocol.Admin | protocol.NoScript | protocol.NoAsyncLoading | protocol.NoMulti, Group: "server", Since: "1.0.0",
			Summary: "Synchronously save the dataset to disk", Handler: protocol.HandlerFunc(s.save)},
		{Name: "bgsave", Arity: -1, Flags: protocol.Admin | protocol.NoScript | protocol.NoAsyncLoading, Group: "server", Since: "1.0.0",
			Summary: "Asynchronously save the dataset to disk", Handler: protocol.HandlerFunc(s.bgsave)},
		{Name: "bgrewriteaof", Arity: 1, Flags: protocol.Admin | protocol.NoScript | protocol.NoAsyncLoading, Group: "server", Since: "1.0.0",
			Summary: "Asynchronously rewrite the append-only file", Handler: protocol.HandlerFunc(s.bgrewriteaof)},
		{Name: "lastsave", Arity: 1, Flags: protocol.Loading | protocol.Stale | protocol.Fast, Group: "server", Since: "1.0.0",
			Summary: "Get the UNIX time stamp of the last successful save to disk", Handler: protocol.HandlerFunc(s.lastsave)},
	}
}

// SAVE
func (s *Server) save(c *protocol.Ctx) {
	if !s.beginSave(false) {
		c.Out.Error(protocol.ErrBgsaveInProgress)
		return
	}
	err := s.snapshot()
	s.endSave(err)
	if err != nil {
		c.Out.Error(protocol.ErrBare)
		return
	}
	c.Out.OK()
}

// BGSAVE [SCHEDULE]
//
// SCHEDULE changes nothing: it only matters while an AOF rewrite runs,
// and geetcache has none.
func (s *Server) bgsave(c *protocol.Ctx) {
	if len(c.Args) > 2 || (len(c.Args) == 2 && !protocol.EqualFold(c.Args[1], "schedule")) {
		c.Out.Error(protocol.ErrSyntax)
		return
	}
	if !s.beginSave(true) {
		c.Out.Error(protocol.ErrBgsaveInProgress)
		return
	}
	go func() { s.endSave(s.snapshot()) }()
	c.Out.Simple("Background saving started")
}

// LASTSAVE
func (s *Server) lastsave(c *protocol.Ctx) { c.Out.Int(s.lastSaveTime().Unix()) }

// snapshot takes a Raft snapshot. One with nothing new to write is a
// success: the dataset on disk is already current.
func (s *Server) snapshot() error {
	err := s.admin.Snapshot()
	if errors.Is(err, raft.ErrNothingNewToSnapshot) {
		return nil
	}
	if err != nil {
		s.log.Warn("save failed", "err", err)
	}
	return err
}

func (s *Server) beginSave(background bool) bool {
	st := &s.saves
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.running {
		return false
	}
	st.running, st.background, st.started = true, background, time.Now()
	st.dirtyBefore = s.dirty()
	st.count++
	return true
}

func (s *Server) endSave(err error) {
	st := &s.saves
	st.mu.Lock()
	defer st.mu.Unlock()
	if err == nil {
		st.lastSave = time.Now()
		s.savedDirty(st.dirtyBefore)
	}
	if st.background {
		st.bgFailed, st.bgDone = err != nil, true
		st.bgSeconds = int64(time.Since(st.started).Seconds())
	}
	st.running, st.background = false, false
}

func (s *Server) lastSaveTime() time.Time {
	s.saves.mu.Lock()
	defer s.saves.mu.Unlock()
	if s.saves.lastSave.IsZero() {
		return s.started
	}
	return s.saves.lastSave
}
