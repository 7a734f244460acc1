package pubsub

import (
	"strings"
	"sync"
)

// Tracking is a node's client-side caching table (Redis's CLIENT TRACKING):
// which of this node's connections read which key (default mode), and
// which connections follow which key prefixes (BCAST). The state machine
// tells it, as it applies each entry, which keys the entry's commands
// changed (Invalidate, then EntryDone) and when every key went (Flushed);
// it then sends each interested connection an invalidation, through the
// connection's TrackingClient.
//
// Memory is bounded: the table holds at most MaxKeys keys and MaxBytes
// bytes of key names; past either, keys are dropped with an invalidation
// sent for each, as Redis does for tracking-table-max-keys. Each BCAST
// prefix holds the keys changed by the entry being applied, until
// EntryDone.
//
// Its methods may be called from any goroutine. Send is called with the
// table's lock held (from the state machine's goroutine among others), so
// it must return at once and must not call back into the table.
type Tracking struct {
	mu       sync.Mutex
	keys     map[string]map[int64]struct{} // key -> ids of its readers
	items    int                           // ids over all keys
	bytes    int                           // key name bytes in keys
	clients  map[int64]*tracked            // every connection with tracking on
	prefixes map[string]*prefixSubs        // BCAST prefix -> its connections
	maxKeys  int
}

// MaxBytes bounds the bytes of key names the table holds (beyond Redis,
// which only counts keys: a key name may be large).
const MaxBytes = 256 << 20

// DefaultMaxKeys is tracking-table-max-keys' default, as in Redis.
const DefaultMaxKeys = 1000000

// TrackingClient is a connection with tracking on, as the table sees it.
type TrackingClient interface {
	// Send sends an invalidation of keys, or of everything when keys is
	// nil (a flush). keys must not be kept.
	Send(keys []string)
}

// TrackingMode is how a connection tracks.
type TrackingMode struct {
	BCAST    bool
	NoLoop   bool
	Prefixes []string // BCAST only; none: every key ("")
	// Origin is the connection's mark on the log units it writes (see
	// cluster.Tracker): NOLOOP leaves out the keys such units changed.
	Origin string
}

type tracked struct {
	c      TrackingClient
	mode   TrackingMode
	prefix []string // the BCAST prefixes it follows
}

type prefixSubs struct {
	clients map[int64]*tracked
	changed []change // keys changed by the entry being applied
}

type change struct {
	key    string
	origin string
}

// NewTracking returns an empty table.
func NewTracking() *Tracking {
	return &Tracking{keys: map[string]map[int64]struct{}{}, clients: map[int64]*tracked{},
		prefixes: map[string]*prefixSubs{}, maxKeys: DefaultMaxKeys}
}

// Enable turns tracking on for connection id (again: the mode replaces
// the last, a BCAST connection's prefixes are added to its others).
// Callers check the mode first (CLIENT TRACKING's errors).
func (t *Tracking) Enable(id int64, c TrackingClient, m TrackingMode) {
	t.mu.Lock()
	defer t.mu.Unlock()
	tr := t.clients[id]
	if tr == nil {
		tr = &tracked{}
		t.clients[id] = tr
	}
	tr.c, tr.mode = c, m
	if !m.BCAST {
		return
	}
	prefixes := m.Prefixes
	if len(prefixes) == 0 {
		prefixes = []string{""}
	}
	for _, p := range prefixes {
		t.follow(id, tr, p)
	}
}

func (t *Tracking) follow(id int64, tr *tracked, p string) {
	ps := t.prefixes[p]
	if ps == nil {
		ps = &prefixSubs{clients: map[int64]*tracked{}}
		t.prefixes[p] = ps
	}
	if _, ok := ps.clients[id]; !ok {
		ps.clients[id] = tr
		tr.prefix = append(tr.prefix, p)
	}
}

// Disable turns tracking off for id. The keys it read stay in the table
// until they change (as in Redis); they then reach nobody.
func (t *Tracking) Disable(id int64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	tr := t.clients[id]
	if tr == nil {
		return
	}
	for _, p := range tr.prefix {
		ps := t.prefixes[p]
		delete(ps.clients, id)
		if len(ps.clients) == 0 {
			delete(t.prefixes, p)
		}
	}
	delete(t.clients, id)
}

// Prefixes returns the BCAST prefixes id follows, in the order it added
// them.
func (t *Tracking) Prefixes(id int64) []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	if tr := t.clients[id]; tr != nil {
		return append([]string(nil), tr.prefix...)
	}
	return nil
}

// Collision returns a prefix among id's that is a prefix of p or has p as
// a prefix, and whether there is one.
func (t *Tracking) Collision(id int64, p string) (string, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if tr := t.clients[id]; tr != nil {
		for _, q := range tr.prefix {
			if PrefixesOverlap(p, q) {
				return q, true
			}
		}
	}
	return "", false
}

// PrefixesOverlap reports whether a is a prefix of b or b of a.
func PrefixesOverlap(a, b string) bool {
	return strings.HasPrefix(a, b) || strings.HasPrefix(b, a)
}

// Remember records that id read keys (a read of a connection in default
// mode), then drops keys while the table is over its limits.
func (t *Tracking) Remember(id int64, keys [][]byte) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, k := range keys {
		ids := t.keys[string(k)]
		if ids == nil {
			ids = map[int64]struct{}{}
			t.keys[string(k)] = ids
			t.bytes += len(k)
		}
		if _, ok := ids[id]; !ok {
			ids[id] = struct{}{}
			t.items++
		}
	}
	t.trimLocked()
}

// SetMaxKeys sets tracking-table-max-keys (0: no limit but MaxBytes) and
// drops keys over it.
func (t *Tracking) SetMaxKeys(n int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.maxKeys = n
	t.trimLocked()
}

// MaxKeys returns tracking-table-max-keys.
func (t *Tracking) MaxKeys() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.maxKeys
}

// trimLocked drops keys, invalidating each for its readers, while the
// table is over its limits. Which keys go is unspecified, as in Redis (a
// random walk there).
func (t *Tracking) trimLocked() {
	over := func() bool {
		return (t.maxKeys > 0 && len(t.keys) > t.maxKeys) || t.bytes > MaxBytes
	}
	for k := range t.keys {
		if !over() {
			return
		}
		t.invalidateKeyLocked(k, "")
	}
}

// Invalidate is told that a command applied on this node changed keys;
// origin is the mark of the unit that ran it ("" when none: an expiry).
// Readers of each key in default mode are sent it now, each key alone;
// BCAST connections get the keys at EntryDone.
func (t *Tracking) Invalidate(keys []string, origin string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, k := range keys {
		t.queueBroadcastLocked(k, origin)
		t.invalidateKeyLocked(k, origin)
	}
}

func (t *Tracking) queueBroadcastLocked(key, origin string) {
	for p, ps := range t.prefixes {
		if strings.HasPrefix(key, p) {
			ps.changed = append(ps.changed, change{key, origin})
		}
	}
}

// invalidateKeyLocked sends key to its readers still tracking in default
// mode (but to a NOLOOP one that changed it itself) and forgets them.
func (t *Tracking) invalidateKeyLocked(key, origin string) {
	ids, ok := t.keys[key]
	if !ok {
		return
	}
	delete(t.keys, key)
	t.items -= len(ids)
	t.bytes -= len(key)
	one := []string{key}
	for id := range ids {
		tr := t.clients[id]
		if tr == nil || tr.mode.BCAST || (tr.mode.NoLoop && origin != "" && origin == tr.mode.Origin) {
			continue
		}
		tr.c.Send(one)
	}
}

// EntryDone sends each BCAST connection, in one invalidation per prefix,
// the keys under it that the entry just applied changed (but, to a NOLOOP
// connection, those it changed itself).
func (t *Tracking) EntryDone() {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, ps := range t.prefixes {
		if len(ps.changed) == 0 {
			continue
		}
		for _, tr := range ps.clients {
			if keys := ps.keysFor(tr); len(keys) > 0 {
				tr.c.Send(keys)
			}
		}
		clear(ps.changed)
		ps.changed = ps.changed[:0]
	}
}

func (ps *prefixSubs) keysFor(tr *tracked) []string {
	keys := make([]string, 0, len(ps.changed))
	for _, ch := range ps.changed {
		if tr.mode.NoLoop && ch.origin != "" && ch.origin == tr.mode.Origin {
			continue
		}
		keys = append(keys, ch.key)
	}
	return keys
}

// Flushed is told that every key went (FLUSHALL, FLUSHDB, a snapshot
// installed): every tracking connection, BCAST ones too, is sent a flush
// invalidation, and the table empties.
func (t *Tracking) Flushed() {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, tr := range t.clients {
		tr.c.Send(nil)
	}
	t.keys, t.items, t.bytes = map[string]map[int64]struct{}{}, 0, 0
}

// TrackingStats is what INFO shows of the table.
type TrackingStats struct {
	Clients, Keys, Items, Prefixes int
}

// Stats returns the table's counts.
func (t *Tracking) Stats() TrackingStats {
	t.mu.Lock()
	defer t.mu.Unlock()
	return TrackingStats{Clients: len(t.clients), Keys: len(t.keys), Items: t.items, Prefixes: len(t.prefixes)}
}

// Follows reports whether a change of one of keys would be sent to one of
// this node's connections: a connection in default mode read it, or a
// BCAST prefix covers it. With no keys (a command whose keys are not known
// from its arguments: a flush, a script's undeclared keys) it reports
// whether any connection tracks at all.
func (t *Tracking) Follows(keys [][]byte) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.clients) == 0 {
		return false
	}
	if len(keys) == 0 {
		return true
	}
	for _, k := range keys {
		if _, ok := t.keys[string(k)]; ok {
			return true
		}
		for p := range t.prefixes {
			if strings.HasPrefix(string(k), p) {
				return true
			}
		}
	}
	return false
}
