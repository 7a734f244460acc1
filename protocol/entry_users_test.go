package protocol

import (
	"errors"
	"testing"
)

// Units' users survive encoding beside origins and databases, in every
// combination, and an entry without any is encoded as before.
func TestEntryUsers(t *testing.T) {
	tests := []struct {
		name    string
		users   []string
		origins []string
		dbs     []int
	}{
		{"none", []string{"", ""}, []string{"", ""}, []int{0, 0}},
		{"user", []string{"alice", ""}, []string{"", ""}, []int{0, 0}},
		{"user and origin", []string{"", "bob"}, []string{"n1/3", ""}, []int{0, 0}},
		{"user and db", []string{"alice", "bob"}, []string{"", ""}, []int{0, 9}},
		{"all three", []string{"alice", ""}, []string{"", "n2/4"}, []int{3, 0}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := Entry{Kind: EntryCommands, Time: 5, Level: 1}
			for i := range tc.users {
				e.Units = append(e.Units, Unit{Proto: 2, DB: tc.dbs[i], User: nonEmpty(tc.users[i]), Origin: nonEmpty(tc.origins[i]),
					Cmds: [][][]byte{{[]byte("eval"), []byte("return 1"), []byte("0")}}})
			}
			b := e.AppendBinary(nil)
			if len(b) != e.EncodedLen() {
				t.Fatalf("EncodedLen %d, appended %d", e.EncodedLen(), len(b))
			}
			if hasUser := tc.users[0] != "" || tc.users[1] != ""; hasUser != (EntryKind(b[5])&entryUsers != 0) {
				t.Fatalf("kind byte %#x with users %q", b[5], tc.users)
			}
			got, err := DecodeEntry(b)
			if err != nil {
				t.Fatal(err)
			}
			if got.Kind != EntryCommands || len(got.Units) != len(tc.users) {
				t.Fatalf("decoded kind %d with %d units", got.Kind, len(got.Units))
			}
			for i := range tc.users {
				u := got.Units[i]
				if string(u.User) != tc.users[i] || string(u.Origin) != tc.origins[i] || u.DB != tc.dbs[i] {
					t.Errorf("unit %d: user %q origin %q db %d, want %q %q %d", i, u.User, u.Origin, u.DB, tc.users[i], tc.origins[i], tc.dbs[i])
				}
			}
		})
	}
}

func nonEmpty(s string) []byte {
	if s == "" {
		return nil
	}
	return []byte(s)
}

// A binary that knows no users sees the entry as too new, with or without
// databases: after it takes the databases' unit (the last), the users' bit
// is left in the kind.
func TestEntryUsersKindTooNewForOldBinary(t *testing.T) {
	for _, kind := range []EntryKind{EntryCommands | entryUsers, entryCommandsOrigin | entryUsers} {
		e := Entry{Kind: kind, Units: []Unit{{Cmds: [][][]byte{{[]byte("ping")}}}}}
		if err := DataTable().CheckEntry(&e); !errors.Is(err, ErrEntryTooNew) {
			t.Fatalf("kind %#x: CheckEntry: %v, want ErrEntryTooNew", kind, err)
		}
	}
}
