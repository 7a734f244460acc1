package datatypes

import (
	"bytes"
	"fmt"
	"slices"
	"testing"
)

// Databases round-trip through a snapshot with their keys, their SWAPDB
// stamps and the same digest; empty ones other than 0 are not written.
func TestDBsSnapshotRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		keys map[int][]string
	}{
		{"empty", nil},
		{"db0 only", map[int][]string{0: {"a", "b"}}},
		{"others", map[int][]string{3: {"a"}, 15: {"z", "y"}}},
		{"grown", map[int][]string{0: {"k"}, 20: {"far"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := NewDBs(DefaultDatabases)
			for db, keys := range tc.keys {
				d.Grow(db + 1)
				for _, k := range keys {
					d.DB(db).Set(k, String(k+"-value"), 0)
				}
			}
			d.SetStamp(9)
			d.Swap(1, 2)
			d.Settle()
			var buf bytes.Buffer
			if _, err := d.WriteTo(&buf); err != nil {
				t.Fatal(err)
			}
			got, err := ReadDBs(&buf, DefaultDatabases)
			if err != nil {
				t.Fatal(err)
			}
			if got.Digest() != d.Digest() || got.Len() != d.Len() || got.Used() != d.Used() {
				t.Fatalf("restored digest %s len %d used %d, want %s %d %d", got.Digest(), got.Len(), got.Used(), d.Digest(), d.Len(), d.Used())
			}
			for db, keys := range tc.keys {
				for _, k := range keys {
					if got.DB(db).Lookup(k, 0) == nil {
						t.Errorf("key %q of database %d lost", k, db)
					}
				}
			}
		})
	}
}

// ChangedSince counts a key watched in a database that SWAPDB replaced
// after the watch, whether it exists now or existed then, and not a key
// absent both times or a swap from before the watch.
func TestDBsChangedSinceSwap(t *testing.T) {
	d := NewDBs(4)
	d.SetStamp(1)
	d.DB(1).Set("k", String("v"), 0)
	d.SetStamp(5)
	d.Swap(1, 2)
	tests := []struct {
		name    string
		db      int
		at      uint64
		existed bool
		want    bool
	}{
		{"existed, swapped away", 1, 3, true, true},
		{"swapped in", 2, 3, false, true},
		{"absent both times", 1, 3, false, false},
		{"swap before the watch", 2, 6, true, false},
		{"other database", 3, 3, false, false},
	}
	for _, tc := range tests {
		if got := d.ChangedSince(tc.db, "k", tc.at, tc.existed, 0); got != tc.want {
			t.Errorf("%s: ChangedSince = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// dbObserver records the keys each database number reports as new.
type dbObserver struct {
	db  int
	got *[]string
}

func (o dbObserver) KeyAdded(key string) {
	*o.got = append(*o.got, fmt.Sprintf("%d:new:%s", o.db, key))
}
func (o dbObserver) KeyExpired(key string) {
	*o.got = append(*o.got, fmt.Sprintf("%d:expired:%s", o.db, key))
}

// TestDBsSwapKeepsObservers: after SWAPDB, a key created in database 1
// is reported by database 1's observer, not by the observer of the
// database whose keyspace moved there.
func TestDBsSwapKeepsObservers(t *testing.T) {
	d := NewDBs(3)
	var got []string
	d.Each(func(i int, ks *Keyspace) { ks.Observe(dbObserver{i, &got}) })
	d.Swap(1, 2)
	d.DB(1).Set("a", String("v"), 0)
	d.DB(2).Set("b", String("v"), 0)
	if want := []string{"1:new:a", "2:new:b"}; !slices.Equal(got, want) {
		t.Fatalf("events %v, want %v", got, want)
	}
}
