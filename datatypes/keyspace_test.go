package datatypes

import (
	"bytes"
	"strconv"
	"testing"
)

func stringAt(t *testing.T, ks *Keyspace, key string) string {
	t.Helper()
	e := ks.Lookup(key, 0)
	if e == nil {
		return "<nil>"
	}
	return string(e.Value.(String))
}

// TestFrozenCopyNeverChanges changes entries in every way a command can
// after a Freeze and checks the frozen copy still holds the old data.
func TestFrozenCopyNeverChanges(t *testing.T) {
	tests := []struct {
		name   string
		change func(ks *Keyspace)
	}{
		{"mutate value", func(ks *Keyspace) {
			e := ks.Mutable(ks.Lookup("a", 0))
			copy(e.Value.(String), "X")
		}},
		{"own then mutate", func(ks *Keyspace) {
			ks.SetExpire(ks.Lookup("a", 0), 99)
			e := ks.Mutable(ks.Lookup("a", 0))
			copy(e.Value.(String), "X")
		}},
		{"expire", func(ks *Keyspace) { ks.SetExpire(ks.Lookup("a", 0), 5) }},
		{"set", func(ks *Keyspace) { ks.Set("a", String("new"), 0) }},
		{"delete", func(ks *Keyspace) { ks.Delete("a") }},
		{"rename then mutate", func(ks *Keyspace) {
			ks.Rename(ks.Lookup("a", 0), "b")
			e := ks.Mutable(ks.Lookup("b", 0))
			copy(e.Value.(String), "X")
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ks := NewKeyspace()
			ks.Set("a", String("old"), 0)
			frozen := ks.Freeze()
			want := frozen.Digest()
			tc.change(ks)
			if got := stringAt(t, frozen, "a"); got != "old" {
				t.Fatalf("frozen value = %q, want old", got)
			}
			if frozen.Digest() != want {
				t.Fatal("frozen digest changed")
			}
		})
	}
}

func TestSnapshotRoundTrip(t *testing.T) {
	ks := NewKeyspace()
	ks.Set("a", String("1"), 0)
	ks.Set("b", String(""), 1234)
	ks.Set("\x00bin\r\n", String(bytes.Repeat([]byte{0xff}, 100000)), 0)
	var buf bytes.Buffer
	if _, err := ks.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	got, err := ReadKeyspace(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if got.Digest() != ks.Digest() || got.Len() != 3 || got.VolatileLen() != 1 {
		t.Fatal("round trip changed the keyspace")
	}
}

func TestReadKeyspaceRejectsGarbage(t *testing.T) {
	for name, b := range map[string][]byte{
		"empty":           {},
		"count too large": {0x05},
		"bad entry size":  {0x01, 0xff, 0xff, 0xff, 0xff, 0x0f},
		"unknown tag":     {0x01, 0x05, 0x01, 'k', 0x00, 0x01, 'Z'},
	} {
		if _, err := ReadKeyspace(bytes.NewReader(b)); err == nil {
			t.Errorf("%s: read without error", name)
		}
	}
}

func TestExpiredKeysInExpiryOrder(t *testing.T) {
	ks := NewKeyspace()
	ks.Set("late", String("x"), 300)
	ks.Set("early", String("x"), 100)
	ks.Set("never", String("x"), 0)
	ks.Set("mid", String("x"), 200)
	got := ks.ExpiredKeys(250, 10)
	if len(got) != 2 || got[0] != "early" || got[1] != "mid" {
		t.Fatalf("got %q", got)
	}
	if got := ks.ExpiredKeys(200, 10); len(got) != 1 {
		t.Fatalf("a key lives through its expiry millisecond: got %q", got)
	}
}

// BenchmarkExpiredKeys shows active expiry's cost: finding the keys due now
// reads the expiry index from its oldest end, so a million volatile keys
// that are not due cost one comparison.
func BenchmarkExpiredKeys(b *testing.B) {
	for _, volatile := range []int{1000, 1000000} {
		ks := NewKeyspace()
		for i := 0; i < volatile; i++ {
			ks.Set(strconv.Itoa(i), String("v"), int64(1_000_000+i))
		}
		b.Run("volatile="+strconv.Itoa(volatile)+"/due=0", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if len(ks.ExpiredKeys(1_000_000, 256)) != 0 {
					b.Fatal("nothing is due")
				}
			}
		})
		b.Run("volatile="+strconv.Itoa(volatile)+"/due=256", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if len(ks.ExpiredKeys(1_000_000+300, 256)) != 256 {
					b.Fatal("want a full batch")
				}
			}
		})
	}
}
