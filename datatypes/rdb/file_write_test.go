package rdb

import (
	"bytes"
	"testing"

	"github.com/geetcache/geetcache/datatypes"
)

// TestAppendFileReadsBack: a file AppendFile writes reads back (ReadFile
// checks its CRC-64) with every key in its database, its expiry and a
// value that loads equal to the one written.
func TestAppendFileReadsBack(t *testing.T) {
	dbs := datatypes.NewDBs(16)
	lim := datatypes.DefaultEncodingLimits
	dbs.DB(0).Set("s", datatypes.String("hello"), 0)
	dbs.DB(0).Set("ttl", datatypes.String("v"), 1_900_000_000_000)
	l := datatypes.NewList()
	l.PushBack([]byte("a"))
	l.PushBack([]byte("b"))
	dbs.DB(9).Set("l", l, 0)
	file := AppendFile(nil, dbs.Freeze(), lim)
	type rec struct {
		db  uint64
		at  int64
		val []byte
	}
	got := map[string]rec{}
	if err := ReadFile(file, func(r FileRecord) error {
		v, err := Load(r.Payload, lim)
		if err != nil {
			return err
		}
		got[string(r.Key)] = rec{r.DB, r.ExpireAt, Dump(v, lim)}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	want := map[string]rec{"s": {0, 0, nil}, "ttl": {0, 1_900_000_000_000, nil}, "l": {9, 0, nil}}
	for k, w := range want {
		g, ok := got[k]
		e := dbs.DB(int(w.db)).Lookup(k, 0)
		if !ok || g.db != w.db || g.at != w.at || !bytes.Equal(g.val, Dump(e.Value, lim)) {
			t.Errorf("%s: got %+v, want db %d at %d", k, g, w.db, w.at)
		}
	}
	if len(got) != len(want) {
		t.Errorf("got %d keys, want %d", len(got), len(want))
	}
}
