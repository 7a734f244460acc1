package server

import (
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// The slow log, as Redis 7.0 keeps it (slowlog.c): the calls that took at
// least slowlog-log-slower-than microseconds (-1: none; 0: every call),
// newest first, at most slowlog-max-len of them. Each entry holds an id,
// the unix time it was logged, the call's time in microseconds, its
// arguments as Redis trims them (at most 32, each at most 128 bytes), the
// client's address and its name. It is this node's own log: the times are
// those INFO commandstats counts here (docs/operations.md).
const (
	slowlogMaxArgc   = 32  // SLOWLOG_ENTRY_MAX_ARGC
	slowlogMaxString = 128 // SLOWLOG_ENTRY_MAX_STRING
)

// slowEntry is one logged call. Its arguments are copies, trimmed, so an
// entry costs at most about 32 × 160 bytes whatever the call sent.
type slowEntry struct {
	id     int64
	unix   int64
	micros int64
	args   [][]byte
	peer   string
	name   string
}

// slowLog is the log and its two settings; safe for concurrent use.
type slowLog struct {
	slowerThan atomic.Int64 // microseconds; negative: log nothing
	maxLen     atomic.Int64

	mu      sync.Mutex
	entries []*slowEntry // oldest first
	nextID  int64
}

func newSlowLog() *slowLog {
	l := &slowLog{}
	l.slowerThan.Store(10000) // Redis's defaults
	l.maxLen.Store(128)
	return l
}

// wants reports whether a call that took d goes into the log.
func (l *slowLog) wants(d time.Duration) bool {
	t := l.slowerThan.Load()
	return t >= 0 && l.maxLen.Load() > 0 && d.Microseconds() >= t
}

// push logs a call of args that took d, from the client at peer named
// name, and drops the oldest entries past slowlog-max-len. args is copied.
func (l *slowLog) push(args [][]byte, d time.Duration, peer, name string) {
	e := &slowEntry{unix: time.Now().Unix(), micros: d.Microseconds(), args: slowlogArgs(args), peer: peer, name: name}
	l.mu.Lock()
	defer l.mu.Unlock()
	e.id = l.nextID
	l.nextID++
	l.entries = append(l.entries, e)
	l.trim()
}

// trim drops the oldest entries past slowlog-max-len; l.mu is held.
func (l *slowLog) trim() {
	over := len(l.entries) - int(min(l.maxLen.Load(), int64(len(l.entries))))
	if over <= 0 {
		return
	}
	clear(l.entries[:over])
	l.entries = l.entries[over:]
}

// setMaxLen changes slowlog-max-len; a lower one drops the oldest entries
// now, as Redis's next push would (nothing older can be read meanwhile).
func (l *slowLog) setMaxLen(n int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.maxLen.Store(n)
	l.trim()
}

// newest returns up to n entries, newest first.
func (l *slowLog) newest(n int64) []*slowEntry {
	l.mu.Lock()
	defer l.mu.Unlock()
	n = min(n, int64(len(l.entries)))
	out := make([]*slowEntry, 0, n)
	for i := len(l.entries) - 1; int64(len(out)) < n; i-- {
		out = append(out, l.entries[i])
	}
	return out
}

func (l *slowLog) len() int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return int64(len(l.entries))
}

// reset empties the log; ids go on from where they were, as Redis's do.
func (l *slowLog) reset() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.entries = nil
}

// slowlogArgs copies args as slowlogCreateEntry keeps them: past 32
// arguments the 32nd says how many more there were, and an argument longer
// than 128 bytes keeps its first 128 and says how many more it had.
func slowlogArgs(args [][]byte) [][]byte {
	n := min(len(args), slowlogMaxArgc)
	out := make([][]byte, n)
	for j := range n {
		switch a := args[j]; {
		case n != len(args) && j == n-1:
			out[j] = []byte("... (" + strconv.Itoa(len(args)-n+1) + " more arguments)")
		case len(a) > slowlogMaxString:
			more := "... (" + strconv.Itoa(len(a)-slowlogMaxString) + " more bytes)"
			out[j] = append(append(make([]byte, 0, slowlogMaxString+len(more)), a[:slowlogMaxString]...), more...)
		default:
			out[j] = append([]byte(nil), a...)
		}
	}
	return out
}
