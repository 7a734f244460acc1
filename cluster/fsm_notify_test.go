package cluster

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/geetcache/geetcache/protocol"
)

// pubLog records what an FSM publishes.
type pubLog struct{ got []string }

func (p *pubLog) Publish(channel, msg []byte, shard bool) int {
	p.got = append(p.got, string(channel)+" "+string(msg))
	return 0
}

// TestNotifySettingAppliedAndRestored: the notify-keyspace-events setting
// entry makes the FSM publish the enabled classes (a write's "new" and
// "set", an expiry entry's "expired"), only for entries applied live, and
// a snapshot carries the setting to a restored FSM.
func TestNotifySettingAppliedAndRestored(t *testing.T) {
	l := &entryLog{rnd: rand.New(rand.NewPCG(3, 1)), now: 1_700_000_000_000}
	l.add(protocol.EntryNodeMeta, settingKey(SettingNotifyKeyspaceEvents), "$xnE")
	l.add(protocol.EntryCommands, "SET", "k", "v", "PX", "1")
	l.add(protocol.EntryCommands, "LPUSH", "l", "a") // class l is off
	l.now += 1000
	l.add(protocol.EntryExpire, "k")

	f := NewFSM(protocol.DataTable(), nil)
	pub := &pubLog{}
	f.setPublisher(pub, deliveryGate{last: 2}) // entries 1 and 2 were in the log at start
	f.ApplyBatch(l.logs)
	want := "__keyevent@0__:new l|__keyevent@0__:expired k"
	if got := strings.Join(pub.got, "|"); got != want {
		t.Fatalf("published %q, want %q", got, want)
	}

	g := NewFSM(protocol.DataTable(), nil)
	restoreFrom(t, g, f)
	if g.events.Flags != f.events.Flags || g.events.Flags.String() != "$xnE" {
		t.Fatalf("restored classes %q, want %q", g.events.Flags, f.events.Flags)
	}
	pub2 := &pubLog{}
	g.setPublisher(pub2, deliveryGate{})
	l2 := &entryLog{rnd: rand.New(rand.NewPCG(3, 1)), now: l.now + 10}
	for range 5 { // indexes after the snapshot's
		l2.add(protocol.EntryExpire)
	}
	l2.add(protocol.EntryCommands, "SET", "k2", "v")
	g.ApplyBatch(l2.logs[5:])
	if got := strings.Join(pub2.got, "|"); got != "__keyevent@0__:new k2|__keyevent@0__:set k2" {
		t.Fatalf("restored FSM published %q", got)
	}
}
