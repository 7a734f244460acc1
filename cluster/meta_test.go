package cluster

import (
	"bytes"
	"encoding/binary"
	"io"
	"math/rand/v2"
	"testing"

	"github.com/geetcache/geetcache/datatypes"
	"github.com/geetcache/geetcache/protocol"
)

// metaLog is a log that records client addresses, overwrites one, and
// carries a malformed unit that every replica must ignore alike.
func metaLog() *entryLog {
	l := &entryLog{rnd: rand.New(rand.NewPCG(7, 1)), now: 1_700_000_000_000}
	l.add(protocol.EntryNodeMeta, "n2", "10.0.0.2:6379")
	l.add(protocol.EntryCommands, "SET", "k", "v")
	l.add(protocol.EntryNodeMeta, "n1", "10.0.0.1:6379")
	l.add(protocol.EntryNodeMeta, "n2", "10.0.0.9:6379")
	l.add(protocol.EntryNodeMeta, "malformed")
	return l
}

func TestNodeMetaApply(t *testing.T) {
	f := NewFSM(protocol.DataTable(), nil)
	f.ApplyBatch(metaLog().logs)
	cases := []struct {
		name, id, want string
		ok             bool
	}{
		{"recorded", "n1", "10.0.0.1:6379", true},
		{"overwritten", "n2", "10.0.0.9:6379", true},
		{"unknown", "n3", "", false},
		{"malformed unit ignored", "malformed", "", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := f.ClientAddr(tc.id)
			if got != tc.want || ok != tc.ok {
				t.Fatalf("ClientAddr(%q) = %q, %v; want %q, %v", tc.id, got, ok, tc.want, tc.ok)
			}
		})
	}
}

// TestNodeMetaSnapshotDeterministic: two replicas of the same log write
// identical snapshots, and a restored FSM holds the same node table.
func TestNodeMetaSnapshotDeterministic(t *testing.T) {
	var snaps [2][]byte
	for i := range snaps {
		f := NewFSM(protocol.DataTable(), nil)
		f.ApplyBatch(metaLog().logs)
		snaps[i] = persist(t, f)
	}
	if !bytes.Equal(snaps[0], snaps[1]) {
		t.Fatal("two replicas wrote different snapshots")
	}
	g := NewFSM(protocol.DataTable(), nil)
	if err := g.Restore(io.NopCloser(bytes.NewReader(snaps[0]))); err != nil {
		t.Fatal(err)
	}
	if addr, _ := g.ClientAddr("n2"); addr != "10.0.0.9:6379" {
		t.Fatalf("restored n2 = %q", addr)
	}
	if !bytes.Equal(persist(t, g), snaps[0]) {
		t.Fatal("restored FSM persists different bytes")
	}
}

// TestRestoreVersion1: a snapshot from before the node table restores
// with an empty table.
func TestRestoreVersion1(t *testing.T) {
	f := NewFSM(protocol.DataTable(), nil)
	l := &entryLog{rnd: rand.New(rand.NewPCG(1, 1)), now: 1_700_000_000_000}
	l.add(protocol.EntryCommands, "SET", "a", "1")
	f.ApplyBatch(l.logs)
	var old bytes.Buffer
	old.Write(binary.AppendUvarint(binary.AppendVarint(append([]byte(nil), snapshotMagicV1...), f.lastTime), f.AppliedIndex()))
	f.View(func(dbs *datatypes.DBs) { ks := dbs.DB(0); ks.WriteTo(&old) })
	g := NewFSM(protocol.DataTable(), nil)
	if err := g.Restore(io.NopCloser(&old)); err != nil {
		t.Fatal(err)
	}
	if digest(g) != digest(f) {
		t.Fatal("version 1 snapshot restored different data")
	}
}

func persist(t *testing.T, f *FSM) []byte {
	t.Helper()
	snap, err := f.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	sink := &memSink{}
	if err := snap.Persist(sink); err != nil {
		t.Fatal(err)
	}
	return sink.buf.Bytes()
}
