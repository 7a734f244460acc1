package cluster

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"testing"

	"github.com/hashicorp/raft"

	"github.com/geetcache/geetcache/datatypes"
	"github.com/geetcache/geetcache/protocol"
)

// entryLog builds raft logs from commands, stamping times that wander back
// and forth as real leaders' clocks might.
type entryLog struct {
	logs []*raft.Log
	rnd  *rand.Rand
	now  int64
}

func (l *entryLog) add(kind protocol.EntryKind, args ...string) {
	argv := make([][]byte, len(args))
	for i, a := range args {
		argv[i] = []byte(a)
	}
	l.now += l.rnd.Int64N(40) - 10 // sometimes earlier than the last entry
	e := protocol.Entry{Kind: kind, Time: l.now, Units: []protocol.Unit{{Proto: 2, Cmds: [][][]byte{argv}}}}
	idx := uint64(len(l.logs) + 1)
	l.logs = append(l.logs, &raft.Log{Index: idx, Term: 1, Type: raft.LogCommand, Data: e.AppendBinary(nil)})
}

func randomLog(seed uint64, n int) *entryLog {
	l := &entryLog{rnd: rand.New(rand.NewPCG(seed, 1)), now: 1_700_000_000_000}
	for i := 0; i < n; i++ {
		k := fmt.Sprintf("k%d", l.rnd.IntN(20))
		switch l.rnd.IntN(6) {
		case 0:
			l.add(protocol.EntryCommands, "SET", k, fmt.Sprint(i), "PX", fmt.Sprint(1+l.rnd.IntN(200)))
		case 1:
			l.add(protocol.EntryCommands, "SET", k, fmt.Sprint(i))
		case 2:
			l.add(protocol.EntryCommands, "DEL", k)
		case 3:
			l.add(protocol.EntryExpire, k)
		default:
			l.add(protocol.EntryCommands, "SET", k, "v", "KEEPTTL", "GET")
		}
	}
	return l
}

func digest(f *FSM) string {
	var d string
	f.View(func(dbs *datatypes.DBs) { ks := dbs.DB(0); d = ks.Digest() })
	return d
}

// TestFSMDeterminism applies the same log to FSMs in different ways (one
// batch, one entry at a time, with a snapshot and restore in the middle,
// with the process's own random state disturbed) and expects the same
// replies and the same digest.
func TestFSMDeterminism(t *testing.T) {
	seed := rand.Uint64()
	t.Logf("seed %d", seed)
	l := randomLog(seed, 3000)

	a := NewFSM(protocol.DataTable(), nil)
	repliesA := a.ApplyBatch(l.logs)

	b := NewFSM(protocol.DataTable(), nil)
	var repliesB []interface{}
	half := len(l.logs) / 2
	for _, lg := range l.logs[:half] {
		rand.Int() // disturb the global source between entries
		repliesB = append(repliesB, b.Apply(lg))
	}
	b = snapshotRestore(t, b)
	for _, lg := range l.logs[half:] {
		repliesB = append(repliesB, b.Apply(lg))
	}

	for i := range repliesA {
		if !bytes.Equal(asBytes(repliesA[i]), asBytes(repliesB[i])) || (entryKind(t, l.logs[i]) == protocol.EntryCommands && len(asBytes(repliesA[i])) == 0) {
			t.Fatalf("entry %d: replies differ: %q vs %q", i+1, repliesA[i], repliesB[i])
		}
	}
	if da, db := digest(a), digest(b); da != db {
		t.Fatalf("digests differ: %s vs %s", da, db)
	}
	if a.AppliedIndex() != uint64(len(l.logs)) || b.AppliedIndex() != a.AppliedIndex() {
		t.Fatalf("applied index %d/%d, want %d", a.AppliedIndex(), b.AppliedIndex(), len(l.logs))
	}
}

// entryKind decodes l's entry kind.
func entryKind(t testing.TB, l *raft.Log) protocol.EntryKind {
	t.Helper()
	e, err := protocol.DecodeEntry(l.Data)
	if err != nil {
		t.Fatalf("log %d: %v", l.Index, err)
	}
	return e.Kind
}

// asBytes returns an entry's only reply.
func asBytes(v interface{}) []byte {
	r, _ := v.([][]byte)
	if len(r) != 1 {
		return nil
	}
	return r[0]
}

// snapshotRestore persists f's snapshot and restores it into a new FSM.
func snapshotRestore(t testing.TB, f *FSM) *FSM {
	t.Helper()
	snap, err := f.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	sink := &memSink{}
	if err := snap.Persist(sink); err != nil {
		t.Fatal(err)
	}
	snap.Release()
	g := NewFSM(protocol.DataTable(), nil)
	if err := g.Restore(io.NopCloser(&sink.buf)); err != nil {
		t.Fatal(err)
	}
	if digest(g) != digest(f) {
		t.Fatal("restored digest differs")
	}
	return g
}

// TestSnapshotIsPointInTime: writes after Snapshot() do not show in what
// Persist writes.
func TestSnapshotIsPointInTime(t *testing.T) {
	l := &entryLog{rnd: rand.New(rand.NewPCG(1, 1)), now: 1_700_000_000_000}
	l.add(protocol.EntryCommands, "SET", "a", "1")
	l.add(protocol.EntryCommands, "SET", "b", "2")
	f := NewFSM(protocol.DataTable(), nil)
	f.ApplyBatch(l.logs)
	want := digest(f)
	snap, _ := f.Snapshot()
	l.add(protocol.EntryCommands, "SET", "a", "changed")
	l.add(protocol.EntryCommands, "DEL", "b")
	f.ApplyBatch(l.logs[2:])
	sink := &memSink{}
	if err := snap.Persist(sink); err != nil {
		t.Fatal(err)
	}
	g := NewFSM(protocol.DataTable(), nil)
	if err := g.Restore(io.NopCloser(&sink.buf)); err != nil {
		t.Fatal(err)
	}
	if digest(g) != want {
		t.Fatal("snapshot saw writes made after it was taken")
	}
}

func TestRestoreRejectsGarbage(t *testing.T) {
	for name, data := range map[string]string{"empty": "", "foreign": "not a snapshot at all", "truncated": "GEETSNP\x01\x02"} {
		f := NewFSM(protocol.DataTable(), nil)
		if err := f.Restore(io.NopCloser(bytes.NewBufferString(data))); err == nil {
			t.Errorf("%s: restored without error", name)
		}
	}
}

type memSink struct{ buf bytes.Buffer }

func (s *memSink) Write(p []byte) (int, error) { return s.buf.Write(p) }
func (s *memSink) Close() error                { return nil }
func (s *memSink) ID() string                  { return "mem" }
func (s *memSink) Cancel() error               { return nil }

// TestLargeValueSharesTheEntry: a large SET keeps the log entry's bytes
// instead of a copy, and no later write changes those bytes (the log cache
// still serves them to followers), while the key sees every change.
func TestLargeValueSharesTheEntry(t *testing.T) {
	big := string(bytes.Repeat([]byte("a"), 200<<10))
	edits := []struct {
		name string
		args []string
		want func(v []byte) bool
	}{
		{"SETRANGE", []string{"SETRANGE", "k", "0", "XY"}, func(v []byte) bool { return string(v[:3]) == "XYa" }},
		{"SETBIT", []string{"SETBIT", "k", "1", "0"}, func(v []byte) bool { return v[0] == 'a'&^0x40 && v[1] == 'a' }},
		{"APPEND", []string{"APPEND", "k", "Z"}, func(v []byte) bool { return len(v) == len(big)+1 && v[len(big)] == 'Z' }},
		{"SET over it", []string{"SET", "k", "5"}, func(v []byte) bool { return string(v) == "5" }},
	}
	for _, tc := range edits {
		t.Run(tc.name, func(t *testing.T) {
			for _, cmd := range [][]string{{"SET", "k", big}, {"MSET", "k", big}, {"GETSET", "k", big}, {"APPEND", "k", big}} {
				f := NewFSM(protocol.DataTable(), nil)
				l := &entryLog{rnd: rand.New(rand.NewPCG(1, 1)), now: 1_700_000_000_000}
				l.add(protocol.EntryCommands, cmd...)
				logged := append([]byte(nil), l.logs[0].Data...)
				f.Apply(l.logs[0])
				var shared bool
				f.View(func(dbs *datatypes.DBs) {
					ks := dbs.DB(0)
					v := ks.Lookup("k", l.now).Value.(datatypes.String)
					shared = &v[0] == &l.logs[0].Data[len(l.logs[0].Data)-len(big)]
				})
				if !shared {
					t.Errorf("%s: the stored value is a copy, want the entry's bytes", cmd[0])
				}
				l.add(protocol.EntryCommands, tc.args...)
				f.Apply(l.logs[1])
				if !bytes.Equal(l.logs[0].Data, logged) {
					t.Fatalf("%s then %s changed the first log entry's data", cmd[0], tc.name)
				}
				f.View(func(dbs *datatypes.DBs) {
					ks := dbs.DB(0)
					if v := ks.Lookup("k", l.now).Value.(datatypes.StringValue).Bytes(); !tc.want(v) {
						t.Errorf("%s then %s: value %.8q... (%d bytes)", cmd[0], tc.name, v, len(v))
					}
				})
			}
		})
	}
}
