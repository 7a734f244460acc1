package cluster

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/raft"

	"github.com/geetcache/geetcache/datatypes"
	"github.com/geetcache/geetcache/protocol"
)

// commandLog builds raft logs, one command (or MULTI block) per entry.
func commandLog(units ...protocol.Unit) []*raft.Log {
	var logs []*raft.Log
	for i, u := range units {
		e := protocol.Entry{Kind: protocol.EntryCommands, Time: 1_700_000_000_000, Level: 1, Units: []protocol.Unit{u}}
		logs = append(logs, &raft.Log{Index: uint64(i + 1), Term: 1, Type: raft.LogCommand, Data: e.AppendBinary(nil)})
	}
	return logs
}

func cmdUnit(multi bool, cmds ...[]string) protocol.Unit {
	u := protocol.Unit{Proto: 2, Multi: multi}
	for _, c := range cmds {
		argv := make([][]byte, len(c))
		for i, a := range c {
			argv[i] = []byte(a)
		}
		u.Cmds = append(u.Cmds, argv)
	}
	return u
}

func one(args ...string) protocol.Unit { return cmdUnit(false, args) }

// panicTable is the data table plus two write commands that panic: one
// before touching the keyspace, one after setting its key.
func panicTable() *protocol.Table {
	t := protocol.DataTable()
	t.Register(&protocol.Command{Name: "testpanic", Arity: 2, Flags: protocol.Write, FirstKey: 1, LastKey: 1, Step: 1,
		Handler: protocol.HandlerFunc(func(c *protocol.Ctx) {
			c.Out.Array(2) // a partial reply the FSM must drop
			panic("test handler panics")
		})})
	t.Register(&protocol.Command{Name: "testpanicafterset", Arity: 2, Flags: protocol.Write, FirstKey: 1, LastKey: 1, Step: 1,
		Handler: protocol.HandlerFunc(func(c *protocol.Ctx) {
			c.DB.Set(string(c.Args[1]), datatypes.String("partial"), 0)
			var m map[string]int
			m["x"] = 1 // nil map write: a runtime panic
		})})
	return t
}

// TestFSMHandlerPanic: a handler that panics on the apply path answers the
// same error on every replica, leaves them identical, and the FSM goes on
// applying the following entries (before: the panic killed the process at
// that index, on every replica, on every restart).
func TestFSMHandlerPanic(t *testing.T) {
	logs := commandLog(
		one("SET", "a", "1"),
		one("TESTPANIC", "a"),
		cmdUnit(true, []string{"SET", "b", "1"}, []string{"TESTPANIC", "b"}, []string{"INCR", "b"}),
		one("TESTPANICAFTERSET", "c"),
		one("INCR", "a"),
	)
	internal := "-" + protocol.ErrReplyInternal + "\r\n"
	want := []string{"+OK\r\n", internal, "*3\r\n+OK\r\n" + internal + ":2\r\n", internal, ":2\r\n"}

	a, b := NewFSM(panicTable(), nil), NewFSM(panicTable(), nil)
	a.SetLogger(slog.New(slog.DiscardHandler))
	b.SetLogger(slog.New(slog.DiscardHandler))
	repliesA := a.ApplyBatch(logs)
	var repliesB []interface{}
	for _, l := range logs {
		repliesB = append(repliesB, b.Apply(l))
	}
	for i := range logs {
		ra, rb := string(asBytes(repliesA[i])), string(asBytes(repliesB[i]))
		if ra != want[i] || rb != want[i] {
			t.Errorf("entry %d: replies %q and %q, want %q", i+1, ra, rb, want[i])
		}
	}
	if da, db := digest(a), digest(b); da != db {
		t.Fatalf("replicas differ after a panic: digests %s vs %s", da, db)
	}
	if a.AppliedIndex() != uint64(len(logs)) {
		t.Fatalf("applied index %d, want %d", a.AppliedIndex(), len(logs))
	}
}

// TestFSMHaltsOnEntryItCannotApply: an entry from a newer geetcache (a
// command, kind, level or format this binary does not know) or a damaged
// one stops the FSM before it: nothing from it on is applied, Apply never
// returns (so raft never counts it as applied), and the halt handler gets
// one line naming the entry and what to do. Before, an unknown command was
// answered with an error and skipped: the replica silently diverged.
func TestFSMHaltsOnEntryItCannotApply(t *testing.T) {
	setC := commandLog(one("SET", "c", "3"))[0].Data
	tests := []struct {
		name string
		data []byte
		hint string
	}{
		{"unknown command", commandLog(one("FUTURECMD", "k"))[0].Data, "upgrade this node"},
		{"higher command level", levelEntry(protocol.DataTable().Level() + 1), "upgrade this node"},
		{"unknown kind", (&protocol.Entry{Kind: 99, Units: []protocol.Unit{one("k")}}).AppendBinary(nil), "upgrade this node"},
		{"newer format", reformat(setC, 0xC0|4), "upgrade this node"},
		{"flipped byte", flip(setC, len(setC)-1), "wipe this node's data directory"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			logs := commandLog(one("SET", "a", "1"), one("GET", "a"), one("SET", "b", "2"))
			logs[1].Data = tc.data
			f := NewFSM(protocol.DataTable(), nil)
			halted := make(chan error, 1)
			f.SetHaltHandler(func(err error) { halted <- err })
			returned := make(chan struct{})
			go func() {
				f.ApplyBatch(logs)
				close(returned)
			}()
			select {
			case err := <-halted:
				msg := err.Error()
				if !strings.Contains(msg, "cannot apply log entry 2") || !strings.Contains(msg, tc.hint) || strings.Contains(msg, "\n") {
					t.Errorf("halt message %q: want one line naming entry 2 and saying %q", msg, tc.hint)
				}
			case <-returned:
				t.Fatalf("ApplyBatch returned: the entry was skipped (applied index %d)", f.AppliedIndex())
			case <-time.After(5 * time.Second):
				t.Fatal("no halt within 5s")
			}
			if got := f.AppliedIndex(); got != 1 {
				t.Fatalf("applied index %d after the halt, want 1", got)
			}
			select {
			case <-returned:
				t.Fatal("ApplyBatch returned after halting")
			case <-time.After(50 * time.Millisecond):
			}
		})
	}
}

// levelEntry is a SET entry stamped with a command level.
func levelEntry(level uint64) []byte {
	e := protocol.Entry{Kind: protocol.EntryCommands, Level: level, Units: []protocol.Unit{one("SET", "k", "v")}}
	return e.AppendBinary(nil)
}

// reformat gives an encoded entry another format byte and re-seals it, as
// a newer geetcache keeping the frame would write it.
func reformat(data []byte, format byte) []byte {
	b := append([]byte(nil), data...)
	b[0] = format
	sum := crc32.Update(0, crc32.MakeTable(crc32.Castagnoli), b[:1])
	sum = crc32.Update(sum, crc32.MakeTable(crc32.Castagnoli), b[5:])
	binary.LittleEndian.PutUint32(b[1:], sum)
	return b
}

func flip(data []byte, i int) []byte {
	b := bytes.Clone(data)
	b[i] ^= 0x01
	return b
}
