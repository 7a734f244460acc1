package protocol

import (
	"bytes"
	"testing"
)

func TestEntryRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		e    Entry
	}{
		{"one command", Entry{Kind: EntryCommands, Proto: 2, Time: 1_700_000_000_123,
			Cmds: [][][]byte{{[]byte("SET"), []byte("k"), []byte("v")}}}},
		{"multi", Entry{Kind: EntryCommands, Proto: 3, Multi: true, Time: 5,
			Cmds: [][][]byte{{[]byte("INCR"), []byte("a")}, {[]byte("GET"), []byte("a")}}}},
		{"expire", Entry{Kind: EntryExpire, Proto: 2, Time: -1,
			Cmds: [][][]byte{{[]byte("k1"), []byte("k2")}}}},
		{"empty args", Entry{Kind: EntryCommands, Proto: 2,
			Cmds: [][][]byte{{[]byte("SET"), {}, {}}}}},
		{"binary", Entry{Kind: EntryCommands, Proto: 2,
			Cmds: [][][]byte{{[]byte("SET"), []byte("\x00\xff\r\n"), bytes.Repeat([]byte("x"), 70000)}}}},
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
			if got.Kind != tc.e.Kind || got.Proto != tc.e.Proto || got.Multi != tc.e.Multi || got.Time != tc.e.Time {
				t.Fatalf("header: got %+v want %+v", got, tc.e)
			}
		})
	}
}

func TestEntryArgsDoNotAliasOnAppend(t *testing.T) {
	e := Entry{Kind: EntryCommands, Proto: 2, Cmds: [][][]byte{{[]byte("SET"), []byte("k"), []byte("v")}}}
	enc := e.AppendBinary(nil)
	before := string(enc)
	got, _ := DecodeEntry(enc)
	_ = append(got.Cmds[0][1], "overwrite"...)
	if string(enc) != before {
		t.Fatal("appending to a decoded argument wrote into the entry buffer")
	}
}

func TestEntryRejectsCorruption(t *testing.T) {
	good := (&Entry{Kind: EntryCommands, Proto: 2, Cmds: [][][]byte{{[]byte("GET"), []byte("k")}}}).AppendBinary(nil)
	tests := map[string][]byte{
		"empty":        nil,
		"bad version":  append([]byte{9}, good[1:]...),
		"truncated":    good[:len(good)-1],
		"trailing":     append(append([]byte(nil), good...), 0),
		"huge count":   append(append([]byte(nil), good[:5]...), 0xff, 0xff, 0xff, 0xff, 0x0f),
		"huge arg len": {entryVersion, 1, 2, 0, 0, 1, 1, 0xff, 0xff, 0x03},
	}
	for name, b := range tests {
		if _, err := DecodeEntry(b); err == nil {
			t.Errorf("%s: decoded without error", name)
		}
	}
}

// FuzzDecodeEntry: any bytes either fail to decode or re-encode to the same
// bytes; nothing panics or allocates beyond the input's size.
func FuzzDecodeEntry(f *testing.F) {
	f.Add((&Entry{Kind: EntryCommands, Proto: 2, Cmds: [][][]byte{{[]byte("GET"), []byte("k")}}}).AppendBinary(nil))
	f.Add([]byte{entryVersion, 1, 2, 0, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		e, err := DecodeEntry(b)
		if err != nil {
			return
		}
		if !bytes.Equal(e.AppendBinary(nil), b) {
			// Varints have several encodings; only canonical ones must
			// round-trip, so re-decode instead of failing.
			if _, err := DecodeEntry(e.AppendBinary(nil)); err != nil {
				t.Fatalf("re-encoding does not decode: %v", err)
			}
		}
	})
}
