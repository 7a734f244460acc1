package cluster

import (
	"bytes"
	"encoding/binary"
	"io"
	"math/rand/v2"
	"testing"

	"github.com/geetcache/geetcache/protocol"
	"github.com/geetcache/geetcache/scripting"
)

// scriptFSM returns an FSM whose table holds the scripting commands, as
// main builds it, and its engine.
func scriptFSM() (*FSM, *scripting.Engine) {
	table := protocol.DataTable()
	eng := scripting.NewEngine(table)
	for _, c := range eng.Commands() {
		table.Register(c)
	}
	return NewFSM(table, eng.State()), eng
}

// TestScriptCacheInSnapshots: scripts added by SCRIPT LOAD and by EVAL
// of a new body are kept in a snapshot (taken at a point in time: a
// SCRIPT FLUSH after it does not reach it), and a node restored from it
// runs them by SHA-1 with the same replies as the node that took it.
func TestScriptCacheInSnapshots(t *testing.T) {
	l := &entryLog{rnd: rand.New(rand.NewPCG(1, 1)), now: 1_700_000_000_000}
	incr := "return redis.call('incr', KEYS[1])"
	l.add(protocol.EntryCommands, "SCRIPT", "LOAD", incr)
	l.add(protocol.EntryCommands, "EVAL", "return redis.call('spop', KEYS[1])", "1", "s")
	l.add(protocol.EntryCommands, "SADD", "s", "a", "b", "c", "d", "e")
	f, _ := scriptFSM()
	f.ApplyBatch(l.logs)
	snap, err := f.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	flush := &entryLog{rnd: l.rnd, now: l.now}
	flush.add(protocol.EntryCommands, "SCRIPT", "FLUSH")
	f.ApplyBatch(flush.logs)
	sink := &memSink{}
	if err := snap.Persist(sink); err != nil {
		t.Fatal(err)
	}
	g, _ := scriptFSM()
	if err := g.Restore(io.NopCloser(&sink.buf)); err != nil {
		t.Fatal(err)
	}
	next := &entryLog{rnd: l.rnd, now: l.now}
	next.add(protocol.EntryCommands, "EVALSHA", scripting.SHA1Hex([]byte(incr)), "1", "n")
	next.add(protocol.EntryCommands, "EVALSHA", scripting.SHA1Hex([]byte("return redis.call('spop', KEYS[1])")), "1", "s")
	for i := range next.logs {
		next.logs[i].Index = uint64(len(l.logs) + 1 + i)
	}
	h, _ := scriptFSM()
	h.ApplyBatch(l.logs)
	got, want := g.ApplyBatch(next.logs), h.ApplyBatch(next.logs)
	for i := range got {
		if !bytes.Equal(asBytes(got[i]), asBytes(want[i])) || asBytes(got[i])[0] == '-' {
			t.Fatalf("EVALSHA %d after restore: %q, on the node that never restored: %q", i, asBytes(got[i]), asBytes(want[i]))
		}
	}
	if gone := f.ApplyBatch(next.logs[:1]); string(asBytes(gone[0])) != "-NOSCRIPT No matching script. Please use EVAL.\r\n" {
		t.Fatalf("EVALSHA after SCRIPT FLUSH: %q", asBytes(gone[0]))
	}
}

// TestSnapshotV2StillRestores: a snapshot written before scripting (format
// 2: no scripting section) restores its keyspace, with an empty script
// cache.
func TestSnapshotV2StillRestores(t *testing.T) {
	l := &entryLog{rnd: rand.New(rand.NewPCG(2, 1)), now: 1_700_000_000_000}
	l.add(protocol.EntryCommands, "SET", "a", "1")
	l.add(protocol.EntryCommands, "SCRIPT", "LOAD", "return 1")
	f, _ := scriptFSM()
	f.ApplyBatch(l.logs)
	var v2 bytes.Buffer
	header := binary.AppendVarint(append([]byte(nil), snapshotMagicV2...), f.lastTime)
	header = binary.AppendUvarint(header, f.applied.Load())
	v2.Write(f.meta.appendTo(header))
	if _, err := f.dbs.DB(0).WriteTo(&v2); err != nil {
		t.Fatal(err)
	}
	g, eng := scriptFSM()
	eng.State().Scripts.Add("stale")
	if err := g.Restore(io.NopCloser(&v2)); err != nil {
		t.Fatal(err)
	}
	if digest(g) != digest(f) {
		t.Fatal("keyspace differs after restoring a v2 snapshot")
	}
	if n := eng.State().Scripts.Len(); n != 0 {
		t.Fatalf("script cache holds %d scripts after restoring a v2 snapshot, want 0", n)
	}
}
