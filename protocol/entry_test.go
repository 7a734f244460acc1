package protocol

import (
	"bytes"
	"testing"
)

func argv(args ...string) [][]byte {
	out := make([][]byte, len(args))
	for i, a := range args {
		out[i] = []byte(a)
	}
	return out
}

func TestEntryRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		e    Entry
	}{
		{"one command", Entry{Kind: EntryCommands, Time: 1_700_000_000_123,
			Units: []Unit{{Proto: 2, Cmds: [][][]byte{argv("SET", "k", "v")}}}}},
		{"multi", Entry{Kind: EntryCommands, Time: 5,
			Units: []Unit{{Proto: 3, Multi: true, Cmds: [][][]byte{argv("INCR", "a"), argv("GET", "a")}}}}},
		{"watched multi", Entry{Kind: EntryCommands, Time: 6,
			Units: []Unit{{Proto: 2, Multi: true, Cmds: [][][]byte{argv("SET", "a", "1")},
				Watch: &Watch{At: 1 << 40, Keys: []WatchedKey{{Key: []byte("a"), Existed: true}, {Key: []byte(""), Existed: false}}}}}}},
		{"watched empty multi", Entry{Kind: EntryCommands, Time: 6,
			Units: []Unit{{Proto: 3, Multi: true, Watch: &Watch{At: 3, Keys: []WatchedKey{{Key: []byte("k")}}}}}}},
		{"group commit", Entry{Kind: EntryCommands, Time: 7, Units: []Unit{
			{Proto: 2, Cmds: [][][]byte{argv("SET", "a", "1")}},
			{Proto: 3, Cmds: [][][]byte{argv("DEL", "a")}}}}},
		{"expire", Entry{Kind: EntryExpire, Time: -1,
			Units: []Unit{{Proto: 2, Cmds: [][][]byte{argv("k1", "k2")}}}}},
		{"empty args", Entry{Kind: EntryCommands,
			Units: []Unit{{Proto: 2, Cmds: [][][]byte{argv("SET", "", "")}}}}},
		{"binary", Entry{Kind: EntryCommands, Units: []Unit{{Proto: 2,
			Cmds: [][][]byte{{[]byte("SET"), []byte("\x00\xff\r\n"), bytes.Repeat([]byte("x"), 70000)}}}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			enc := tc.e.AppendBinary(nil)
			got, err := DecodeEntry(enc)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.AppendBinary(nil), enc) {
				t.Fatalf("round trip changed the entry: %+v", got)
			}
			if got.Kind != tc.e.Kind || got.Time != tc.e.Time || len(got.Units) != len(tc.e.Units) {
				t.Fatalf("header: got %+v want %+v", got, tc.e)
			}
			for i, u := range got.Units {
				if u.Proto != tc.e.Units[i].Proto || u.Multi != tc.e.Units[i].Multi || (u.Watch == nil) != (tc.e.Units[i].Watch == nil) {
					t.Fatalf("unit %d: got %+v want %+v", i, u, tc.e.Units[i])
				}
			}
		})
	}
}

func TestEntryArgsDoNotAliasOnAppend(t *testing.T) {
	e := Entry{Kind: EntryCommands, Units: []Unit{{Proto: 2, Cmds: [][][]byte{argv("SET", "k", "v")}}}}
	enc := e.AppendBinary(nil)
	before := string(enc)
	got, _ := DecodeEntry(enc)
	_ = append(got.Units[0].Cmds[0][1], "overwrite"...)
	if string(enc) != before {
		t.Fatal("appending to a decoded argument wrote into the entry buffer")
	}
}

func TestEntryRejectsCorruption(t *testing.T) {
	good := (&Entry{Kind: EntryCommands, Units: []Unit{{Proto: 2, Cmds: [][][]byte{argv("GET", "k")}}}}).AppendBinary(nil)
	tests := map[string][]byte{
		"empty":        nil,
		"bad version":  append([]byte{9}, good[1:]...),
		"truncated":    good[:len(good)-1],
		"trailing":     append(append([]byte(nil), good...), 0),
		"huge count":   append(append([]byte(nil), good[:3]...), 0xff, 0xff, 0xff, 0xff, 0x0f),
		"huge arg len": {entryVersion, 1, 0, 1, 2, 0, 1, 1, 0xff, 0xff, 0x03},
		"huge watch":   {entryVersion, 1, 0, 1, 2, 3, 0, 0xff, 0xff, 0x03},
		"bad existed":  {entryVersion, 1, 0, 1, 2, 3, 0, 1, 1, 'k', 7, 0},
		"watch cut":    {entryVersion, 1, 0, 1, 2, 3, 0, 1, 1, 'k'},
	}
	for name, b := range tests {
		if _, err := DecodeEntry(b); err == nil {
			t.Errorf("%s: decoded without error", name)
		}
	}
}

// FuzzDecodeEntry: any bytes either fail to decode or decode to an entry
// whose encoding decodes again; nothing panics or allocates beyond the
// input's size.
func FuzzDecodeEntry(f *testing.F) {
	f.Add((&Entry{Kind: EntryCommands, Units: []Unit{{Proto: 2, Cmds: [][][]byte{argv("GET", "k")}}}}).AppendBinary(nil))
	f.Add([]byte{entryVersion, 1, 0, 0})
	f.Add((&Entry{Kind: EntryCommands, Units: []Unit{{Proto: 2, Multi: true, Cmds: [][][]byte{argv("GET", "k")},
		Watch: &Watch{At: 9, Keys: []WatchedKey{{Key: []byte("k"), Existed: true}}}}}}).AppendBinary(nil))
	f.Fuzz(func(t *testing.T, b []byte) {
		e, err := DecodeEntry(b)
		if err != nil {
			return
		}
		if _, err := DecodeEntry(e.AppendBinary(nil)); err != nil {
			t.Fatalf("re-encoding does not decode: %v", err)
		}
	})
}
