package cluster

import (
	"bytes"
	"encoding/binary"
	"io"
	"math/rand/v2"
	"testing"

	"github.com/geetcache/geetcache/acl"
	"github.com/geetcache/geetcache/protocol"
)

// usersFSM returns an FSM whose table holds the ACL command, with its
// user table, as main builds it (with a catalog of the data commands).
func usersFSM() (*FSM, *acl.Users) {
	table := protocol.DataTable()
	cat := acl.NewCatalog()
	for _, c := range table.All() {
		cat.Add(c.Name, []string{"keyspace"})
	}
	users := acl.NewUsers(cat)
	for _, c := range acl.NewService(users).Commands() {
		table.Register(c)
	}
	f := NewFSM(table, nil)
	f.SetUsers(users)
	return f, users
}

// TestUsersThroughTheLog: ACL SETUSER and DELUSER entries change the user
// table on apply, it is kept in snapshots (point in time), and a version 3
// snapshot (before users) restores with the default user alone.
func TestUsersThroughTheLog(t *testing.T) {
	l := &entryLog{rnd: rand.New(rand.NewPCG(3, 1)), now: 1_700_000_000_000}
	l.add(protocol.EntryCommands, "ACL", "SETUSER", "bob", "on", ">123", "+get", "~x*")
	l.add(protocol.EntryCommands, "ACL", "SETUSER", "eve", "on", "nopass")
	l.add(protocol.EntryCommands, "ACL", "SETUSER", "bad", "nosuchrule")
	f, users := usersFSM()
	out := f.ApplyBatch(l.logs)
	if got := string(asBytes(out[2])); got != "-ERR Error in ACL SETUSER modifier 'nosuchrule': Syntax error\r\n" {
		t.Fatalf("bad rule: %q", got)
	}
	if !users.Get("bob").Authenticate([]byte("123")) || users.Get("bad") != nil {
		t.Fatal("SETUSER entries not applied")
	}
	snap, err := f.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	del := &entryLog{rnd: l.rnd, now: l.now}
	del.add(protocol.EntryCommands, "ACL", "DELUSER", "bob", "nobody")
	if got := string(asBytes(f.ApplyBatch(del.logs)[0])); got != ":1\r\n" || users.Get("bob") != nil {
		t.Fatalf("DELUSER: %q", got)
	}
	sink := &memSink{}
	if err := snap.Persist(sink); err != nil {
		t.Fatal(err)
	}
	g, restored := usersFSM()
	if err := g.Restore(io.NopCloser(&sink.buf)); err != nil {
		t.Fatal(err)
	}
	if u := restored.Get("bob"); u == nil || !u.Authenticate([]byte("123")) || restored.Get("eve") == nil {
		t.Fatalf("restored users: %v", restored.Names())
	}
	var v3 bytes.Buffer
	header := binary.AppendVarint(append([]byte(nil), snapshotMagicV3...), f.lastTime)
	header = binary.AppendUvarint(header, f.applied.Load())
	header = f.meta.appendTo(header)
	v3.Write(f.scripts.AppendSnapshot(header))
	if _, err := f.dbs.DB(0).WriteTo(&v3); err != nil {
		t.Fatal(err)
	}
	if err := g.Restore(io.NopCloser(&v3)); err != nil {
		t.Fatal(err)
	}
	if names := restored.Names(); len(names) != 1 || names[0] != "default" {
		t.Fatalf("after a v3 snapshot: %v, want the default user alone", names)
	}
}
