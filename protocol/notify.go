package protocol

import (
	"strconv"
	"sync/atomic"
)

// NotifyFlags is a set of keyspace-event classes and channels, Redis's
// NOTIFY_* bits (the notify-keyspace-events setting).
type NotifyFlags uint32

// The classes and channels of keyspace events, with their letters.
const (
	NotifyKeyspace NotifyFlags = 1 << iota // K: __keyspace@<db>__:<key> <event>
	NotifyKeyevent                         // E: __keyevent@<db>__:<event> <key>
	NotifyGeneric                          // g: DEL, EXPIRE, RENAME, ...
	NotifyString                           // $
	NotifyList                             // l
	NotifySet                              // s
	NotifyHash                             // h
	NotifyZSet                             // z
	NotifyExpired                          // x
	NotifyEvicted                          // e
	NotifyStream                           // t
	NotifyKeyMiss                          // m, not part of A
	notifyLoaded                           // modules only; no letter
	NotifyModule                           // d
	NotifyNew                              // n, not part of A
)

// NotifyAll is the class set A stands for: all but m and n.
const NotifyAll = NotifyGeneric | NotifyString | NotifyList | NotifySet | NotifyHash | NotifyZSet |
	NotifyExpired | NotifyEvicted | NotifyStream | NotifyModule

// notifyLetters are the letters of the classes, in the order Redis
// renders them after A (or in its place).
var notifyLetters = []struct {
	letter byte
	flag   NotifyFlags
}{
	{'g', NotifyGeneric}, {'$', NotifyString}, {'l', NotifyList}, {'s', NotifySet},
	{'h', NotifyHash}, {'z', NotifyZSet}, {'x', NotifyExpired}, {'e', NotifyEvicted},
	{'t', NotifyStream}, {'d', NotifyModule}, {'n', NotifyNew},
}

// ErrNotifyClass is CONFIG SET's reason to refuse a notify-keyspace-events
// value with an unknown letter.
const ErrNotifyClass = "Invalid event class character. Use 'Ag$lshzxeKEtmdn'."

// ParseNotifyFlags parses a notify-keyspace-events value as Redis's
// keyspaceEventsStringToFlags does; ok is false on an unknown letter.
func ParseNotifyFlags(s []byte) (f NotifyFlags, ok bool) {
	for _, c := range s {
		switch c {
		case 'A':
			f |= NotifyAll
		case 'K':
			f |= NotifyKeyspace
		case 'E':
			f |= NotifyKeyevent
		case 'm':
			f |= NotifyKeyMiss
		default:
			found := false
			for _, l := range notifyLetters {
				if l.letter == c {
					f, found = f|l.flag, true
				}
			}
			if !found {
				return 0, false
			}
		}
	}
	return f, true
}

// String renders f as CONFIG GET shows it (Redis's
// keyspaceEventsFlagsToString): A stands for all its classes and then
// hides n.
func (f NotifyFlags) String() string {
	var b []byte
	if f&NotifyAll == NotifyAll {
		b = append(b, 'A')
	} else {
		for _, l := range notifyLetters {
			if f&l.flag != 0 {
				b = append(b, l.letter)
			}
		}
	}
	for _, l := range []struct {
		letter byte
		flag   NotifyFlags
	}{{'K', NotifyKeyspace}, {'E', NotifyKeyevent}, {'m', NotifyKeyMiss}} {
		if f&l.flag != 0 {
			b = append(b, l.letter)
		}
	}
	return string(b)
}

// Events publishes keyspace events of the classes in Flags through Pub.
// Inside the state machine, Pub is the FSM's publisher for the entry being
// applied (nil for one replayed at start), so every node publishes the
// same events in log order. Not safe for concurrent use: its owner (the
// FSM, or one connection) serialises calls.
type Events struct {
	Pub   Publisher
	Flags NotifyFlags
	buf   []byte
	// Repl, when set, hears of the expired keys writers remove: the
	// replication stream's DEL (propagate.go).
	Repl *ReplLog
	// ExpiredKeys, when set, counts the expired keys writers remove
	// (INFO's expired_keys).
	ExpiredKeys *atomic.Int64
}

// Notify publishes event about key in database db, of class, as Redis's
// notifyKeyspaceEvent: on __keyspace@<db>__:<key> with the event as
// message, then on __keyevent@<db>__:<event> with the key as message, each
// when its channel is enabled. A nil Events publishes nothing.
func (ev *Events) Notify(db int, class NotifyFlags, event string, key []byte) {
	if ev == nil || ev.Pub == nil || ev.Flags&class == 0 {
		return
	}
	if ev.Flags&NotifyKeyspace != 0 {
		ev.buf = appendEventChannel(ev.buf[:0], "__keyspace@", db, key)
		ev.Pub.Publish(ev.buf, []byte(event), false)
	}
	if ev.Flags&NotifyKeyevent != 0 {
		ev.buf = appendEventChannel(ev.buf[:0], "__keyevent@", db, []byte(event))
		ev.Pub.Publish(ev.buf, key, false)
	}
}

// appendEventChannel appends prefix, db, "__:" and name.
func appendEventChannel(b []byte, prefix string, db int, name []byte) []byte {
	b = strconv.AppendInt(append(b, prefix...), int64(db), 10)
	return append(append(b, "__:"...), name...)
}

// Enabled reports whether events of class would be published.
func (ev *Events) Enabled(class NotifyFlags) bool {
	return ev != nil && ev.Pub != nil && ev.Flags&class != 0 && ev.Flags&(NotifyKeyspace|NotifyKeyevent) != 0
}

// DBEvents is a database's KeyObserver (datatypes.Keyspace.Observe): it
// publishes the keys the database creates ("new", class n) and the
// expired keys a writer removes from it ("expired", class x) through Ev,
// naming DB.
type DBEvents struct {
	Ev *Events
	DB int
}

// KeyAdded publishes "new" (class n): a writer created key (Redis's dbAdd).
func (d DBEvents) KeyAdded(key string) { d.Ev.notifyString(d.DB, NotifyNew, "new", key) }

// KeyExpired publishes "expired" (class x): a writer removed key because
// its TTL had passed.
func (d DBEvents) KeyExpired(key string) {
	if d.Ev != nil && d.Ev.ExpiredKeys != nil {
		d.Ev.ExpiredKeys.Add(1)
	}
	if d.Ev != nil && d.Ev.Repl != nil {
		d.Ev.Repl.Expired(d.DB, key)
	}
	d.Ev.notifyString(d.DB, NotifyExpired, "expired", key)
}

// notifyString is Notify for a key held as a string: it is copied only
// when the event is published, so a keyspace with notifications off pays
// nothing per key created or expired.
func (ev *Events) notifyString(db int, class NotifyFlags, event, key string) {
	if ev.Enabled(class) {
		ev.Notify(db, class, event, []byte(key))
	}
}

// Notify publishes a keyspace event through c.Events (see Events.Notify).
// Every class but keymiss also counts as a change (see Dirty).
func (c *Ctx) Notify(class NotifyFlags, event string, key []byte) {
	c.changed(class)
	c.Events.Notify(c.DBIndex, class, event, key)
}

// FormatNotifyFlags is the canonical stored form of a replicated
// notify-keyspace-events value: the letter of every class and channel,
// never A (whose rendering hides n), so ParseNotifyFlags gives f back.
func FormatNotifyFlags(f NotifyFlags) string {
	var b []byte
	for _, l := range notifyLetters {
		if f&l.flag != 0 {
			b = append(b, l.letter)
		}
	}
	return string(b) + (f &^ NotifyAll &^ NotifyNew).String()
}
