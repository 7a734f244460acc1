package scripting

import (
	"testing"

	"github.com/geetcache/geetcache/datatypes/rdb"
)

// TestDumpMatchesRedis: Dump of one library gives the bytes redis-server
// 7.0.15 gave for it (raw and LZF-compressed strings, CRC), and each of
// Redis's payloads restores here.
func TestDumpMatchesRedis(t *testing.T) {
	for _, v := range redisDumps {
		t.Run(string(v.code[:16]), func(t *testing.T) {
			var ls Libraries
			if _, err := ls.Load([]byte(v.code), false); err != nil {
				t.Fatalf("load: %v", err)
			}
			if got := ls.Dump(); string(got) != v.dump {
				t.Fatalf("dump differs from Redis's:\n got %q\nwant %q", got, v.dump)
			}
			var back Libraries
			if err := back.Restore([]byte(v.dump), RestoreAppend); err != nil {
				t.Fatalf("restore Redis's payload: %v", err)
			}
			if l := back.Sorted(); len(l) != 1 || string(l[0].Code) != v.code {
				t.Fatalf("restored %d libraries, want the one loaded", len(l))
			}
		})
	}
}

func TestRestoreRedisTwoLibraries(t *testing.T) {
	var ls Libraries
	if err := ls.Restore([]byte(redisTwoLibraries), RestoreAppend); err != nil {
		t.Fatal(err)
	}
	if libs, fns := ls.Len(); libs != 2 || fns != 61 {
		t.Fatalf("libraries %d functions %d, want 2 and 61", libs, fns)
	}
	if ls.Function([]byte("G59")) == nil || ls.Function([]byte("f1")) == nil {
		t.Fatal("functions missing after restore")
	}
}

func TestRestoreBadPayloads(t *testing.T) {
	seal := func(body []byte) []byte { return rdb.Seal(append([]byte{}, body...)) }
	good := seal(append([]byte{rdb.OpFunction2}, rdb.AppendString(nil, []byte("#!lua name=x\nredis.register_function('x', function() return 1 end)"))...))
	badCRC := append([]byte{}, good...)
	badCRC[len(badCRC)-1] ^= 1
	newer := append([]byte{}, good...)
	newer[len(newer)-10] = 11
	for _, tc := range []struct {
		name    string
		payload []byte
		want    string
	}{
		{"short", []byte("bad_payload"[:9]), "ERR DUMP payload version or checksum are wrong"},
		{"text", []byte("bad_payload"), "ERR DUMP payload version or checksum are wrong"},
		{"crc", badCRC, "ERR DUMP payload version or checksum are wrong"},
		{"newer rdb", newer, "ERR DUMP payload version or checksum are wrong"},
		{"not a function", seal([]byte{0, 1, 'a'}), "ERR given type is not a function"},
		{"pre-GA", seal([]byte{rdb.OpFunctionPreGA, 1, 'a'}), "ERR Pre-GA function format not supported"},
		{"truncated string", seal([]byte{rdb.OpFunction2, 0x3f, 'a'}), "ERR Failed loading library payload"},
		{"bad code", seal([]byte{rdb.OpFunction2, 3, 'a', 'b', 'c'}), "ERR Missing library metadata"},
		{"lzf lie", seal([]byte{rdb.OpFunction2, 0xC3, 2, 0x3f, 0xff, 0, 'a'}), "ERR Failed loading library payload"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var ls Libraries
			mustLoad(t, &ls, "#!lua name=keep\nredis.register_function('k', function() return 1 end)")
			err := ls.Restore(tc.payload, RestoreAppend)
			if err == nil || errorReply(err) != tc.want {
				t.Fatalf("got %v, want %q", err, tc.want)
			}
			if libs, _ := ls.Len(); libs != 1 || ls.Library("keep") == nil {
				t.Fatal("existing library lost")
			}
		})
	}
	var ls Libraries
	if err := ls.Restore(good, RestoreAppend); err != nil {
		t.Fatalf("good payload: %v", err)
	}
}
