package cluster

import (
	"github.com/geetcache/geetcache/datatypes"
	"github.com/geetcache/geetcache/protocol"
)

// Keyspace notifications are made where entries are applied: the FSM's
// events (protocol.Events) publish through the same publisher as PUBLISH
// entries (fsm_publish.go), so every node publishes the same events in
// log order, and a node replaying its log at start publishes none. The
// classes are the replicated setting notify-keyspace-events, so every node
// applies an entry with the same classes. The keyspace tells the events of
// the keys it creates ("new") and of the expired keys a writer removes
// ("expired": active expiry entries and writes meeting an expired key).

// SettingNotifyKeyspaceEvents is notify-keyspace-events: the letters of
// the classes, without A (protocol.FormatNotifyFlags).
const SettingNotifyKeyspaceEvents = "notify-keyspace-events"

// initEvents makes every database report to the FSM's events, naming
// itself; call it after the databases are replaced or grown.
func (f *FSM) initEvents() {
	f.events.ExpiredKeys = &f.expired
	f.dbs.Each(func(i int, ks *datatypes.Keyspace) { ks.Observe(protocol.DBEvents{Ev: &f.events, DB: i}) })
}

// updateNotifyFlags reads the classes from the node table.
func (f *FSM) updateNotifyFlags() {
	f.events.Flags, _ = protocol.ParseNotifyFlags([]byte(f.meta[settingKey(SettingNotifyKeyspaceEvents)]))
	f.notifyFlags.Store(uint32(f.events.Flags))
}

// beginEvents points the events at the entry being applied (its index and
// term are set): published if the entry is delivered at all.
func (f *FSM) beginEvents() { f.events.Pub = f.publisher() }

// NotifyFlags returns the keyspace-event classes this node applied; any
// goroutine may call it (reads use it for keymiss).
func (n *Node) NotifyFlags() protocol.NotifyFlags {
	return protocol.NotifyFlags(n.fsm.notifyFlags.Load())
}

// NotifyEvicted publishes "evicted" (class e) for key of database db. It
// is for the eviction code inside Apply, after it removed key: call it
// with the FSM's lock held, while applying the entry that evicts.
func (f *FSM) NotifyEvicted(db int, key []byte) {
	f.events.Notify(db, protocol.NotifyEvicted, "evicted", key)
}
