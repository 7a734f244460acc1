package datatypes

// The group counters of Redis 7.0 (t_stream.c): entries-read, the logical
// position of a group's last delivered ID among all entries ever added,
// and lag, how many entries the group has yet to read. Both are exact only
// while no deleted entry lies ahead of the group; otherwise Redis (and
// so geetcache) estimates or reports them unknown.

// GroupLag returns cg's lag, ok false when it cannot be known (XINFO null).
func (s *Stream) GroupLag(cg *ConsumerGroup) (int64, bool) {
	switch {
	case s.entriesAdded == 0:
		return 0, true
	case cg.EntriesRead != InvalidEntriesRead && !s.hasTombstonesFrom(cg.LastID):
		return int64(s.entriesAdded) - cg.EntriesRead, true
	}
	read := s.estimateEntriesRead(cg.LastID)
	if read == InvalidEntriesRead {
		return 0, false
	}
	return int64(s.entriesAdded) - read, true
}

// hasTombstonesFrom reports whether a deleted entry may lie at or after
// start (streamRangeHasTombstones with no end).
func (s *Stream) hasTombstonesFrom(start StreamID) bool {
	if s.length == 0 || s.maxDeletedID.IsZero() || s.maxDeletedID.Less(s.firstID) {
		return false
	}
	return !s.maxDeletedID.Less(start)
}

// estimateEntriesRead is streamEstimateDistanceFromFirstEverEntry: the
// logical read counter of id, or InvalidEntriesRead when unknown.
func (s *Stream) estimateEntriesRead(id StreamID) int64 {
	if s.entriesAdded == 0 {
		return 0
	}
	if s.length == 0 && id.Compare(s.lastID) < 1 {
		return int64(s.entriesAdded)
	}
	switch id.Compare(s.lastID) {
	case 0:
		return int64(s.entriesAdded)
	case 1:
		return InvalidEntriesRead
	}
	if s.maxDeletedID.IsZero() || s.maxDeletedID.Less(s.firstID) {
		switch id.Compare(s.firstID) {
		case -1:
			return int64(s.entriesAdded - s.length)
		case 0:
			return int64(s.entriesAdded - s.length + 1)
		}
	}
	return InvalidEntriesRead
}

// DeliverTo moves cg's last delivered ID to id, an entry being delivered
// after it, and its entries-read counter along as Redis does: one more
// while it is valid and no deleted entry lies ahead, else an estimate.
func (s *Stream) DeliverTo(cg *ConsumerGroup, id StreamID) {
	if !cg.LastID.Less(id) {
		return
	}
	if cg.EntriesRead != InvalidEntriesRead && !s.hasTombstonesFrom(id) {
		cg.EntriesRead++
	} else if s.entriesAdded != 0 {
		cg.EntriesRead = s.estimateEntriesRead(id)
	}
	cg.LastID = id
}
