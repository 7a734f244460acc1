package rdb

import (
	"encoding/binary"
	"errors"
	"testing"

	"github.com/geetcache/geetcache/datatypes"
)

// rdbFile builds an RDB file: aux fields, a database selection, a key with
// a millisecond expiry, a key with none, a function library, EOF and the
// CRC-64.
func rdbFile(version string) []byte {
	b := []byte("REDIS" + version)
	b = append(b, opAux)
	b = AppendString(AppendString(b, []byte("redis-ver")), []byte("7.0.15"))
	b = append(b, opSelectDB, 3, opResizeDB, 2, 1)
	b = binary.LittleEndian.AppendUint64(append(b, opExpireMs), 1_700_000_000_000)
	b = AppendString(AppendString(append(b, TypeString), []byte("k1")), []byte("v1"))
	b = append(b, opIdle, 5, opFreq, 9)
	b = append(AppendString(append(b, TypeSet), []byte("k2")), rdbStrings("a", "b")...)
	b = AppendString(append(b, OpFunction2), []byte("#!lua name=x\nredis.register_function('x', function() return 1 end)"))
	b = append(b, opEOF)
	return binary.LittleEndian.AppendUint64(b, CRC64(0, b))
}

func TestReadFile(t *testing.T) {
	var got []FileRecord
	if err := ReadFile(rdbFile("0010"), func(r FileRecord) error {
		got = append(got, r)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || string(got[0].Key) != "k1" || got[0].DB != 3 || got[0].ExpireAt != 1_700_000_000_000 ||
		string(got[1].Key) != "k2" || got[1].ExpireAt != 0 || got[2].Key != nil {
		t.Fatalf("records %+v", got)
	}
	for _, r := range got[:2] {
		if _, err := Load(r.Payload, datatypes.DefaultEncodingLimits); err != nil || !CheckPayload(r.Payload) {
			t.Fatalf("%s: payload does not restore: %v", r.Key, err)
		}
	}
	bad := rdbFile("0010")
	bad[len(bad)-1] ^= 1
	for name, f := range map[string][]byte{"crc": bad, "version 11": rdbFile("0011"), "truncated": rdbFile("0010")[:40], "header": []byte("RIDES0010")} {
		if err := ReadFile(f, func(FileRecord) error { return nil }); !errors.Is(err, ErrBadFile) {
			t.Errorf("%s: got %v, want ErrBadFile", name, err)
		}
	}
}
