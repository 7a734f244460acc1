package protocol

import (
	"bytes"
	"encoding/binary"
	"errors"
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
		{"retry of a blocked command", Entry{Kind: EntryCommands, Time: 8, Units: []Unit{
			{Proto: 2, Retry: true, Cmds: [][][]byte{argv("XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">")}},
			{Proto: 2, Cmds: [][][]byte{argv("SET", "a", "1")}}}}},
		{"expire", Entry{Kind: EntryExpire, Time: -1,
			Units: []Unit{{Proto: 2, Cmds: [][][]byte{argv("k1", "k2")}}}}},
		{"empty args", Entry{Kind: EntryCommands,
			Units: []Unit{{Proto: 2, Cmds: [][][]byte{argv("SET", "", "")}}}}},
		{"binary", Entry{Kind: EntryCommands, Units: []Unit{{Proto: 2,
			Cmds: [][][]byte{{[]byte("SET"), []byte("\x00\xff\r\n"), bytes.Repeat([]byte("x"), 70000)}}}}}},
		{"3 MB argument", Entry{Kind: EntryCommands, Time: 1 << 50, Units: []Unit{{Proto: 2,
			Cmds: [][][]byte{{[]byte("SET"), []byte("k"), bytes.Repeat([]byte("x"), 3<<20)}}}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			enc := tc.e.AppendBinary(nil)
			if n := tc.e.EncodedLen(); n != len(enc) {
				t.Errorf("EncodedLen = %d, AppendBinary wrote %d", n, len(enc))
			}
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
				if u.Proto != tc.e.Units[i].Proto || u.Multi != tc.e.Units[i].Multi || u.Retry != tc.e.Units[i].Retry ||
					(u.Watch == nil) != (tc.e.Units[i].Watch == nil) {
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

// seal gives b, a version 3 entry, the checksum it needs to pass
// verification, so that what follows the checksum gets decoded.
func seal(b []byte) []byte {
	b = append([]byte(nil), b...)
	binary.LittleEndian.PutUint32(b[1:], entrySum(b))
	return b
}

func TestEntryRejectsCorruption(t *testing.T) {
	good := (&Entry{Kind: EntryCommands, Units: []Unit{{Proto: 2, Cmds: [][][]byte{argv("GET", "k")}}}}).AppendBinary(nil)
	tests := map[string][]byte{
		"empty":        nil,
		"bad version":  append([]byte{9}, good[1:]...),
		"old version":  seal(append([]byte{entryFormatMark | 1}, good[1:]...)),
		"no checksum":  good[:3],
		"truncated":    good[:len(good)-1],
		"trailing":     append(append([]byte(nil), good...), 0),
		"sealed cut":   seal(good[:len(good)-1]),
		"sealed trail": seal(append(append([]byte(nil), good...), 0)),
		"huge count":   seal(append(append([]byte(nil), good[:8]...), 0xff, 0xff, 0xff, 0xff, 0x0f)),
		"huge level":   seal(append(append([]byte(nil), good[:7]...), 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff)),
		"huge arg len": seal([]byte{entryFormat, 0, 0, 0, 0, 1, 0, 1, 1, 2, 0, 1, 1, 0xff, 0xff, 0x03}),
		// Version 2 entries (no checksum) go through the same parser.
		"v2 huge count":   {entryVersionV2, 1, 0, 0xff, 0xff, 0xff, 0xff, 0x0f},
		"v2 huge arg len": {entryVersionV2, 1, 0, 1, 2, 0, 1, 1, 0xff, 0xff, 0x03},
		"v2 huge watch":   {entryVersionV2, 1, 0, 1, 2, 3, 0, 0xff, 0xff, 0x03},
		"v2 bad existed":  {entryVersionV2, 1, 0, 1, 2, 3, 0, 1, 1, 'k', 7, 0},
		"v2 watch cut":    {entryVersionV2, 1, 0, 1, 2, 3, 0, 1, 1, 'k'},
	}
	for name, b := range tests {
		_, err := DecodeEntry(b)
		if !errors.Is(err, ErrEntryDamaged) {
			t.Errorf("%s: got %v, want a damaged-entry error", name, err)
		}
	}
}

// TestEntryChecksumCatchesEveryFlip: any one flipped bit anywhere in an
// entry makes it fail as damaged, never decode to something else and never
// pass for an entry from a newer version.
func TestEntryChecksumCatchesEveryFlip(t *testing.T) {
	e := Entry{Kind: EntryCommands, Time: 1_700_000_000_000, Level: 1, Units: []Unit{
		{Proto: 2, Cmds: [][][]byte{argv("SET", "key", "value-123")}},
		{Proto: 3, Multi: true, Cmds: [][][]byte{argv("INCR", "n")}, Watch: &Watch{At: 7, Keys: []WatchedKey{{Key: []byte("n")}}}}}}
	good := e.AppendBinary(nil)
	if good[0] != 0xC3 {
		t.Fatalf("format byte %#x, want 0xc3", good[0])
	}
	for i := range good {
		for bit := range 8 {
			b := append([]byte(nil), good...)
			b[i] ^= 1 << bit
			if _, err := DecodeEntry(b); !errors.Is(err, ErrEntryDamaged) {
				t.Fatalf("byte %d bit %d flipped: got %v, want a damaged-entry error", i, bit, err)
			}
		}
	}
}

func TestEntryFromNewerFormat(t *testing.T) {
	good := (&Entry{Kind: EntryCommands, Units: []Unit{{Proto: 2, Cmds: [][][]byte{argv("GET", "k")}}}}).AppendBinary(nil)
	newer := seal(append([]byte{entryFormatMark | (entryVersion + 1)}, good[1:]...))
	if _, err := DecodeEntry(newer); !errors.Is(err, ErrEntryTooNew) {
		t.Fatalf("got %v, want ErrEntryTooNew", err)
	}
}

func TestCheckEntry(t *testing.T) {
	table := DataTable()
	cmds := func(kind EntryKind, level uint64, args ...string) *Entry {
		return &Entry{Kind: kind, Level: level, Units: []Unit{{Proto: 2, Cmds: [][][]byte{argv(args...)}}}}
	}
	tests := []struct {
		name string
		e    *Entry
		want error
	}{
		{"known command", cmds(EntryCommands, 1, "SET", "k", "v"), nil},
		{"level 0 (version 2 entry)", cmds(EntryCommands, 0, "SET", "k", "v"), nil},
		{"expire of a key named like a command", cmds(EntryExpire, 1, "set", "flushall"), nil},
		{"unknown command", cmds(EntryCommands, 1, "FUTURECMD", "k"), ErrEntryTooNew},
		{"arity this binary refuses", cmds(EntryCommands, 1, "GET", "k", "extra"), ErrEntryTooNew},
		{"higher command level", cmds(EntryCommands, table.Level()+1, "SET", "k", "v"), ErrEntryTooNew},
		{"unknown kind", cmds(maxEntryKind+1, 1, "k"), ErrEntryTooNew},
		{"kind 0", cmds(0, 1, "k"), ErrEntryTooNew},
		{"command without a name", &Entry{Kind: EntryCommands, Units: []Unit{{Proto: 2, Cmds: [][][]byte{{}}}}}, ErrEntryDamaged},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := table.CheckEntry(tc.e)
			if (tc.want == nil) != (err == nil) || (tc.want != nil && !errors.Is(err, tc.want)) {
				t.Fatalf("CheckEntry: %v, want %v", err, tc.want)
			}
		})
	}
}

// TestCommandLevels: a release build's data table is at the database
// commands' level (dbLevel, its highest), a table's
// level is the highest of its commands, and an entry records the highest
// level among its commands, which a table without them refuses.
func TestCommandLevels(t *testing.T) {
	table := DataTable()
	if len(futureCommands) == 0 && table.Level() != dbLevel {
		t.Errorf("release command level %d, want %d", table.Level(), dbLevel)
	}
	level := table.Level()
	table.Register(&Command{Name: "testnextlevel", Arity: 2, Flags: Write, Level: level + 1, Handler: HandlerFunc(func(*Ctx) {})})
	if table.Level() != level+1 {
		t.Fatalf("table level %d after registering a level %d command", table.Level(), level+1)
	}
	e := &Entry{Kind: EntryCommands, Units: []Unit{
		{Proto: 2, Cmds: [][][]byte{argv("SET", "k", "v")}},
		{Proto: 2, Multi: true, Cmds: [][][]byte{argv("GET", "k"), argv("TESTNEXTLEVEL", "k")}}}}
	if got := table.EntryLevel(e); got != level+1 {
		t.Fatalf("EntryLevel %d, want %d", got, level+1)
	}
	if err := table.CheckEntry(&Entry{Kind: EntryCommands, Level: level + 1, Units: e.Units}); err != nil {
		t.Fatalf("the table with the command refuses it: %v", err)
	}
	if err := DataTable().CheckEntry(&Entry{Kind: EntryCommands, Level: level + 1, Units: e.Units[:1]}); !errors.Is(err, ErrEntryTooNew) {
		t.Fatalf("a table at level %d: %v, want ErrEntryTooNew", level, err)
	}
}

// FuzzDecodeEntry: any bytes either fail to decode or decode to an entry
// whose encoding decodes again; nothing panics or allocates beyond the
// input's size.
func FuzzDecodeEntry(f *testing.F) {
	f.Add((&Entry{Kind: EntryCommands, Units: []Unit{{Proto: 2, Cmds: [][][]byte{argv("GET", "k")}}}}).AppendBinary(nil))
	f.Add([]byte{entryVersionV2, 1, 0, 0})
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
