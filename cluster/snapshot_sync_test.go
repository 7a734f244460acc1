package cluster

import (
	"bytes"
	"io"
	"math/rand/v2"
	"testing"

	"github.com/hashicorp/raft"
)

// TestSyncingSnapshotsRoundTrip writes a snapshot of several sync
// intervals through the syncing store, in pieces of odd sizes, and reads
// it back; a cancelled one leaves nothing.
func TestSyncingSnapshotsRoundTrip(t *testing.T) {
	dir := t.TempDir()
	files, err := raft.NewFileSnapshotStore(dir, 2, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	store := syncingSnapshots{files, dir}
	seed := rand.Uint64()
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 0))
	data := make([]byte, 3*snapshotSyncEvery+12345)
	for i := range data {
		data[i] = byte(rng.Uint32())
	}
	sink, err := store.Create(raft.SnapshotVersionMax, 10, 2, raft.Configuration{}, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := sink.(*syncingSink); !ok {
		t.Fatalf("Create returned a %T, want a *syncingSink", sink)
	}
	for rest := data; len(rest) > 0; {
		n := min(len(rest), 1+rng.IntN(300000))
		if _, err := sink.Write(rest[:n]); err != nil {
			t.Fatal(err)
		}
		rest = rest[n:]
	}
	if err := sink.Close(); err != nil {
		t.Fatal(err)
	}
	cancelled, err := store.Create(raft.SnapshotVersionMax, 11, 2, raft.Configuration{}, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	cancelled.Write(data[:snapshotSyncEvery+1])
	if err := cancelled.Cancel(); err != nil {
		t.Fatal(err)
	}
	metas, err := store.List()
	if err != nil || len(metas) != 1 || metas[0].ID != sink.ID() {
		t.Fatalf("List() = %v, %v; want the one closed snapshot", metas, err)
	}
	_, rc, err := store.Open(sink.ID())
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	got, err := io.ReadAll(rc)
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("read back %d bytes (err %v), want the %d written", len(got), err, len(data))
	}
}
