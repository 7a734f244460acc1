package protocol

import (
	"errors"
	"testing"
)

// Units' origins survive encoding, in a kind older binaries refuse, and
// an entry without any is encoded as before.
func TestEntryOrigins(t *testing.T) {
	tests := []struct {
		name    string
		origins []string
	}{
		{"none", []string{"", ""}},
		{"first", []string{"n1/7", ""}},
		{"last", []string{"", "n2/9"}},
		{"both", []string{"a/1", "b/2"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := Entry{Kind: EntryCommands, Time: 5, Level: 1}
			for _, o := range tc.origins {
				u := Unit{Proto: 2, Cmds: [][][]byte{{[]byte("set"), []byte("k"), []byte("v")}}}
				if o != "" {
					u.Origin = []byte(o)
				}
				e.Units = append(e.Units, u)
			}
			b := e.AppendBinary(nil)
			if len(b) != e.EncodedLen() {
				t.Fatalf("EncodedLen %d, appended %d", e.EncodedLen(), len(b))
			}
			if want := byte(EntryCommands); tc.name != "none" {
				if b[5] != byte(entryCommandsOrigin) {
					t.Fatalf("kind byte %d, want %d", b[5], entryCommandsOrigin)
				}
			} else if b[5] != want {
				t.Fatalf("kind byte %d, want %d", b[5], want)
			}
			got, err := DecodeEntry(b)
			if err != nil {
				t.Fatal(err)
			}
			if got.Kind != EntryCommands || len(got.Units) != len(tc.origins) {
				t.Fatalf("decoded kind %d with %d units", got.Kind, len(got.Units))
			}
			for i, o := range tc.origins {
				if string(got.Units[i].Origin) != o {
					t.Errorf("unit %d origin %q, want %q", i, got.Units[i].Origin, o)
				}
			}
		})
	}
}

// A binary that knows no origins sees the kind as too new.
func TestEntryOriginKindTooNewForOldBinary(t *testing.T) {
	e := Entry{Kind: entryCommandsOrigin, Units: []Unit{{Cmds: [][][]byte{{[]byte("ping")}}}}}
	err := DataTable().CheckEntry(&e)
	if !errors.Is(err, ErrEntryTooNew) {
		t.Fatalf("CheckEntry: %v, want ErrEntryTooNew", err)
	}
}
