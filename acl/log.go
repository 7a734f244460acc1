package acl

import (
	"sync"
	"time"
)

// LogMaxLen is acllog-max-len's default: ACL LOG keeps this many entries.
const LogMaxLen = 128

// logGrouping is how close in time a denial must be to an equal one to be
// counted in it rather than logged anew (ACL_LOG_GROUPING_MAX_TIME_DELTA).
const logGrouping = 60 * time.Second

// LogEntry is one ACL LOG entry.
type LogEntry struct {
	Count      int64
	Reason     string // "auth", "command", "key" or "channel"
	Context    string // "toplevel", "multi" or "lua"
	Object     string // the command, key or channel; "AUTH" for auth
	Username   string
	Created    time.Time
	ClientInfo string // the client's CLIENT LIST line
}

// Log is this node's ACL LOG: the latest denials, newest first. It is
// node-local, as in Redis (not replicated). Safe for concurrent use.
type Log struct {
	mu      sync.Mutex
	entries []LogEntry
	max     int
}

// NewLog returns an empty log keeping up to max entries.
func NewLog(max int) *Log { return &Log{max: max} }

// SetMax changes how many entries the log keeps (acllog-max-len); as in
// Redis, a log longer than that is cut at its next entry.
func (l *Log) SetMax(max int) {
	l.mu.Lock()
	l.max = max
	l.mu.Unlock()
}

// Max returns how many entries the log keeps.
func (l *Log) Max() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.max
}

// Add records a denial at now, counted in an equal recent entry if any.
func (l *Log) Add(e LogEntry, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	e.Created, e.Count = now, 1
	for i, old := range l.entries {
		if old.Reason == e.Reason && old.Context == e.Context && old.Object == e.Object &&
			old.Username == e.Username && now.Sub(old.Created) <= logGrouping {
			e.Count = old.Count + 1
			l.entries = append(l.entries[:i], l.entries[i+1:]...)
			break
		}
	}
	l.entries = append([]LogEntry{e}, l.entries...)
	if len(l.entries) > l.max {
		l.entries = l.entries[:l.max]
	}
}

// Entries returns up to n entries, newest first (n < 0: all).
func (l *Log) Entries(n int) []LogEntry {
	l.mu.Lock()
	defer l.mu.Unlock()
	if n < 0 || n > len(l.entries) {
		n = len(l.entries)
	}
	return append([]LogEntry(nil), l.entries[:n]...)
}

// Reset empties the log.
func (l *Log) Reset() {
	l.mu.Lock()
	l.entries = nil
	l.mu.Unlock()
}
