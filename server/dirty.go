package server

// dirtyCounter is the node's dirty counter (cluster/fsm_dirty.go): Redis's
// rdb_changes_since_last_save.
type dirtyCounter interface {
	Dirty() int64
	SavedDirty(before int64)
}

// dirty returns the node's dirty counter, 0 without a backend that keeps
// one.
func (s *Server) dirty() int64 {
	if d, ok := s.admin.(dirtyCounter); ok {
		return d.Dirty()
	}
	return 0
}

// savedDirty takes before, the counter when a successful save began, away
// from the counter.
func (s *Server) savedDirty(before int64) {
	if d, ok := s.admin.(dirtyCounter); ok {
		d.SavedDirty(before)
	}
}
