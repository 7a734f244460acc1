package datatypes

import (
	"bytes"
	"testing"
)

// TestChangedSince: keys carry the stamp of their last write; WATCH's test
// compares it, and existence, with what it saw.
func TestChangedSince(t *testing.T) {
	ks := NewKeyspace()
	ks.SetStamp(10)
	ks.Set("old", String("v"), 0)
	ks.Set("ttl", String("v"), 1000)
	ks.Set("renamed", String("v"), 0)
	ks.SetStamp(20)
	ks.Set("new", String("v"), 0)
	ks.Mutable(ks.Lookup("ttl", 0))
	ks.Rename(ks.Lookup("renamed", 0), "target")
	tests := []struct {
		name    string
		key     string
		at      uint64
		existed bool
		now     int64
		want    bool
	}{
		{"unchanged", "old", 15, true, 0, false},
		{"changed after", "ttl", 15, true, 0, true},
		{"changed before", "ttl", 20, true, 0, false},
		{"created after", "new", 15, false, 0, true},
		{"deleted after", "renamed", 15, true, 0, true},
		{"rename target", "target", 15, false, 0, true},
		{"absent both times", "nothing", 15, false, 0, false},
		{"expired since", "ttl", 25, true, 1001, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := ks.ChangedSince(tc.key, tc.at, tc.existed, tc.now); got != tc.want {
				t.Fatalf("ChangedSince(%q, %d, %v) = %v, want %v", tc.key, tc.at, tc.existed, got, tc.want)
			}
		})
	}
}

// TestSnapshotKeepsStamps: a replica restored from a snapshot answers
// WATCH's test as the one that wrote it; the digest ignores stamps.
func TestSnapshotKeepsStamps(t *testing.T) {
	ks := NewKeyspace()
	ks.SetStamp(7)
	ks.Set("a", String("1"), 0)
	ks.SetStamp(9)
	ks.Set("b", String("2"), 0)
	var buf bytes.Buffer
	if _, err := ks.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	got, err := ReadKeyspace(&buf)
	if err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]uint64{"a": 7, "b": 9} {
		if e := got.Lookup(key, 0); e == nil || e.Mod() != want {
			t.Fatalf("%s restored with stamp %v, want %d", key, e, want)
		}
	}
	other := NewKeyspace()
	other.Set("a", String("1"), 0)
	other.Set("b", String("2"), 0)
	if got.Digest() != other.Digest() {
		t.Fatal("the digest depends on stamps")
	}
}
