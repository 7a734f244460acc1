package protocol

import (
	"errors"
	"testing"
)

// Units' databases, and their watched keys', survive encoding with and
// without origins, for every entry kind that names keys; an entry of
// database 0 alone is encoded as before, and one naming another database
// in a kind a binary before databases refuses as too new.
func TestEntryDBs(t *testing.T) {
	set := [][][]byte{{[]byte("set"), []byte("k"), []byte("v")}}
	watch := func(dbs ...int) *Watch {
		w := &Watch{At: 7}
		for _, db := range dbs {
			w.Keys = append(w.Keys, WatchedKey{Key: []byte("w"), Existed: db%2 == 0, DB: db})
		}
		return w
	}
	tests := []struct {
		name   string
		kind   EntryKind
		units  []Unit
		plain  bool // encoded as before databases
		origin bool
	}{
		{"db0", EntryCommands, []Unit{{Proto: 2, Cmds: set}}, true, false},
		{"db3", EntryCommands, []Unit{{Proto: 2, Cmds: set, DB: 3}}, false, false},
		{"mixed", EntryCommands, []Unit{{Proto: 2, Cmds: set}, {Proto: 3, Cmds: set, DB: 15}}, false, false},
		{"watched in db 2", EntryCommands, []Unit{{Proto: 2, Multi: true, Cmds: set, Watch: watch(0, 2)}}, false, false},
		{"watched in db 0", EntryCommands, []Unit{{Proto: 2, Multi: true, Cmds: set, Watch: watch(0)}}, true, false},
		{"with origins", EntryCommands, []Unit{{Proto: 2, Cmds: set, DB: 1, Origin: []byte("n1/3")}, {Proto: 2, Cmds: set}}, false, true},
		{"expire", EntryExpire, []Unit{{Proto: 2, Cmds: [][][]byte{{[]byte("a")}}}, {Proto: 2, DB: 9, Cmds: [][][]byte{{[]byte("b")}}}}, false, false},
		{"evict", EntryEvict, []Unit{{Proto: 2, DB: 65535, Cmds: [][][]byte{{[]byte("b")}}}}, false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := Entry{Kind: tc.kind, Time: 5, Level: 1, Units: tc.units}
			b := e.AppendBinary(nil)
			if len(b) != e.EncodedLen() {
				t.Fatalf("EncodedLen %d, appended %d", e.EncodedLen(), len(b))
			}
			if got := b[5]&byte(entryDBs) != 0; got == tc.plain {
				t.Fatalf("kind byte %#x: databases bit %v, want %v", b[5], got, !tc.plain)
			}
			got, err := DecodeEntry(b)
			if err != nil {
				t.Fatal(err)
			}
			if got.Kind != tc.kind || len(got.Units) != len(tc.units) {
				t.Fatalf("decoded kind %d with %d units", got.Kind, len(got.Units))
			}
			for i, u := range tc.units {
				g := got.Units[i]
				if g.DB != u.DB || string(g.Origin) != string(u.Origin) || g.Proto != u.Proto || g.Multi != u.Multi {
					t.Errorf("unit %d decoded as db %d origin %q, want db %d origin %q", i, g.DB, g.Origin, u.DB, u.Origin)
				}
				for j := range u.watchedKeys() {
					if g.Watch.Keys[j].DB != u.Watch.Keys[j].DB || g.Watch.Keys[j].Existed != u.Watch.Keys[j].Existed {
						t.Errorf("unit %d watched key %d: %+v, want %+v", i, j, g.Watch.Keys[j], u.Watch.Keys[j])
					}
				}
			}
			if !tc.plain {
				raw := Entry{Kind: tc.kind | entryDBs}
				if err := DataTable().CheckEntry(&raw); !errors.Is(err, ErrEntryTooNew) {
					t.Errorf("the undecoded kind %#x: CheckEntry = %v, want too new", raw.Kind, err)
				}
			}
		})
	}
}

// A damaged databases unit is refused as damaged, never applied.
func TestEntryDBsDamaged(t *testing.T) {
	for _, db := range []string{"x", "-1", "65536", ""} {
		e := Entry{Kind: EntryCommands, Units: []Unit{{Proto: 2, Cmds: [][][]byte{{[]byte("ping")}}},
			{Cmds: [][][]byte{{[]byte(db)}}}}}
		b := e.AppendBinary(nil)
		b[5] |= byte(entryDBs)
		b = fixSum(b)
		if _, err := DecodeEntry(b); !errors.Is(err, ErrEntryDamaged) {
			t.Errorf("database %q: DecodeEntry = %v, want damaged", db, err)
		}
	}
}

// fixSum recomputes an encoded entry's checksum after a test changed it.
func fixSum(b []byte) []byte {
	sum := entrySum(b)
	b[1], b[2], b[3], b[4] = byte(sum), byte(sum>>8), byte(sum>>16), byte(sum>>24)
	return b
}
