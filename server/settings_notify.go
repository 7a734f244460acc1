package server

import (
	"github.com/geetcache/geetcache/cluster"
	"github.com/geetcache/geetcache/protocol"
)

// notify-keyspace-events is a replicated parameter: events are made as
// entries are applied, on every node, so every node must apply an entry
// with the same classes (cluster/fsm_notify.go). The log keeps every
// letter (no A, which hides n); CONFIG GET renders them as Redis does.

func init() {
	replicatedParams[cluster.SettingNotifyKeyspaceEvents] = parseNotifyEvents
}

func parseNotifyEvents(v []byte) (string, string) {
	f, ok := protocol.ParseNotifyFlags(v)
	if !ok {
		return "", protocol.ErrNotifyClass
	}
	return protocol.FormatNotifyFlags(f), ""
}

// getNotifyEvents is CONFIG GET's value: the classes this node applied.
func getNotifyEvents(st *settings) string {
	return notifyFlags(st).String()
}

// notifyFlags returns the classes this node applied (none until set).
func notifyFlags(st *settings) protocol.NotifyFlags {
	if st.replicated == nil {
		return 0
	}
	v, _ := st.replicated(cluster.SettingNotifyKeyspaceEvents)
	f, _ := protocol.ParseNotifyFlags([]byte(v))
	return f
}

// readEvents returns what a read on c publishes its keymiss events
// through: this node's broker, when class m and a channel are enabled
// (nil otherwise, the common case: reads then publish nothing). A read's
// keymiss goes to this node's subscribers only, at once: it is no entry.
func (s *Server) readEvents(c *client) *protocol.Events {
	f := s.view.NotifyFlags()
	if f&protocol.NotifyKeyMiss == 0 || f&(protocol.NotifyKeyspace|protocol.NotifyKeyevent) == 0 {
		return nil
	}
	c.events = protocol.Events{Pub: s.broker, Flags: f}
	return &c.events
}
