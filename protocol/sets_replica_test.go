package protocol

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"github.com/geetcache/geetcache/datatypes"
)

// TestHashesSetsReplicasAgree applies the same random hash and set commands
// to two harnesses, as two replicas apply one log, and restores one of them
// from a snapshot of itself every so often, as a replica that installs a
// snapshot does. Every reply must be byte-identical — unspecified orders,
// SPOP's picks and HSCAN's cursors included — except SRANDMEMBER's and
// HRANDFIELD's, which are free to differ on the read path; the digests must
// agree at the end. Set GEETCACHE_SEED to replay a run.
func TestHashesSetsReplicasAgree(t *testing.T) {
	seed := testSeed(t)
	r := rand.New(rand.NewPCG(seed, 1))
	g := hsGen{rand.New(rand.NewPCG(seed, 0))}
	a, b := newHarness(t), newHarness(t)
	for i := range 20000 {
		args := g.command()
		if name := args[0]; name == "SRANDMEMBER" || name == "HRANDFIELD" {
			continue
		}
		if ra, rb := a.do(args...), b.do(args...); ra != rb {
			t.Fatalf("command %d %q: replicas differ\n a: %q\n b: %q", i, args, ra, rb)
		}
		if r.IntN(500) == 0 {
			b.ks = restored(t, b.ks)
		}
	}
	if da, db := a.ks.Digest(), b.ks.Digest(); da != db {
		t.Fatalf("digests differ: %s %s", da, db)
	}
}

// restored round-trips ks through its snapshot encoding.
func restored(t *testing.T, ks *datatypes.Keyspace) *datatypes.Keyspace {
	t.Helper()
	var buf bytes.Buffer
	if _, err := ks.Freeze().WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	out, err := datatypes.ReadKeyspace(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if out.Digest() != ks.Digest() {
		t.Fatal("snapshot changed the digest")
	}
	return out
}

// TestCollectionWritesCopyOnWrite changes hashes and sets shared with a
// frozen snapshot and expects the snapshot unchanged.
func TestCollectionWritesCopyOnWrite(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup [][]string
		write []string
	}{
		{"hset", [][]string{{"HSET", "k", "a", "1"}}, []string{"HSET", "k", "a", "2", "b", "3"}},
		{"hdel", [][]string{{"HSET", "k", "a", "1", "b", "2"}}, []string{"HDEL", "k", "a"}},
		{"hincrby", [][]string{{"HSET", "k", "a", "1"}}, []string{"HINCRBY", "k", "a", "5"}},
		{"hincrbyfloat", [][]string{{"HSET", "k", "a", "1"}}, []string{"HINCRBYFLOAT", "k", "a", "5"}},
		{"sadd", [][]string{{"SADD", "k", "a"}}, []string{"SADD", "k", "b"}},
		{"srem", [][]string{{"SADD", "k", "a", "b"}}, []string{"SREM", "k", "a"}},
		{"spop", [][]string{{"SADD", "k", "a", "b", "c"}}, []string{"SPOP", "k", "2"}},
		{"smove", [][]string{{"SADD", "k", "a", "b"}, {"SADD", "d", "x"}}, []string{"SMOVE", "k", "d", "a"}},
		{"sunionstore", [][]string{{"SADD", "k", "a"}, {"SADD", "d", "x"}}, []string{"SUNIONSTORE", "k", "k", "d"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			for _, s := range tc.setup {
				h.do(s...)
			}
			before := h.ks.Digest()
			frozen := h.ks.Freeze()
			h.do(tc.write...)
			if frozen.Digest() != before {
				t.Fatal("write changed the frozen snapshot")
			}
			if h.ks.Digest() == before {
				t.Fatal("write changed nothing")
			}
		})
	}
}
