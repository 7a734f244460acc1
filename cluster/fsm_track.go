package cluster

import "github.com/geetcache/geetcache/datatypes"

// Tracker hears, as this node applies each entry, which keys the entry's
// commands changed: Redis's signalModifiedKey, which client-side caching
// (pubsub.Tracking) turns into invalidations. Its methods run inside the
// state machine, under its lock: they must return at once. They are told
// only for entries applied live, as PUBLISH's messages are delivered
// (fsm_publish.go), never for entries replayed at start.
type Tracker interface {
	// Invalidate: one command (or one expiry entry) changed keys; origin
	// is the unit's Origin ("" for none).
	Invalidate(keys []string, origin string)
	// Flushed: every key went (FLUSHALL, FLUSHDB, a snapshot installed).
	Flushed()
	// EntryDone: the entry is applied.
	EntryDone()
}

// keyLog collects the keys the keyspace reports changed (a
// datatypes.Recorder) while one command runs.
type keyLog struct {
	keys    []string
	seen    map[string]struct{}
	flushed bool
}

var _ datatypes.Recorder = (*keyLog)(nil)

// Modified notes key, once.
func (l *keyLog) Modified(key string) {
	if len(l.keys) < 8 {
		for _, k := range l.keys {
			if k == key {
				return
			}
		}
	} else {
		if l.seen == nil {
			l.seen = map[string]struct{}{}
			for _, k := range l.keys {
				l.seen[k] = struct{}{}
			}
		}
		if _, ok := l.seen[key]; ok {
			return
		}
		l.seen[key] = struct{}{}
	}
	l.keys = append(l.keys, key)
}

// Flushed notes that every key went.
func (l *keyLog) Flushed() { l.flushed = true }

func (l *keyLog) reset() {
	clear(l.keys)
	l.keys, l.seen, l.flushed = l.keys[:0], nil, false
}

// SetTracker makes the FSM tell t of the keys live entries change. Call
// it before Raft starts.
func (f *FSM) SetTracker(t Tracker) {
	f.mu.Lock()
	f.tracker = t
	f.mu.Unlock()
}

// startTracking starts recording the keys the entry being applied
// changes, when it is live and someone listens.
func (f *FSM) startTracking() bool {
	tracking := f.tracker != nil && f.gate.live(f.index, f.term)
	if tracking {
		f.changed.reset()
	}
	f.dbs.Record(f.recorder(tracking)) // fsm_repl.go: counted for the replicas too
	f.tracking = tracking
	return tracking
}

// reportChanged tells the tracker what the command just run changed.
func (f *FSM) reportChanged(origin []byte) {
	if f.changed.flushed {
		f.tracker.Flushed()
	}
	if len(f.changed.keys) > 0 {
		f.tracker.Invalidate(f.changed.keys, string(origin))
	}
	f.changed.reset()
}

// endTracking stops recording at the end of an entry.
func (f *FSM) endTracking() {
	f.tracking = false
	f.dbs.Record(f.recorder(false))
	f.tracker.EntryDone()
}
