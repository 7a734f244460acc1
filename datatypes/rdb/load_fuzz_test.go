package rdb

import (
	"bytes"
	"testing"

	"github.com/geetcache/geetcache/datatypes"
)

// FuzzLoad: any payload body (sealed, so the decoder goes past the
// checksum) loads or is refused, never panics; what loads dumps to a
// payload that loads again and dumps to the same bytes (a value's order
// may change once: a set loaded from a table dumps as a sorted intset).
func FuzzLoad(f *testing.F) {
	for _, v := range redisVectors {
		f.Add([]byte(v.payload[:len(v.payload)-FooterLen]))
	}
	f.Add([]byte{TypeListZiplist, 0x0e, 0x0e, 0, 0, 0, 0x0a, 0, 0, 0, 1, 0, 0, 0xf2, 0xff})
	f.Add([]byte{TypeHashZipmap, 0x08, 1, 1, 'f', 1, 1, 'v', 0, 0xff})
	lim := datatypes.DefaultEncodingLimits
	f.Fuzz(func(t *testing.T, body []byte) {
		v, err := Load(Seal(append([]byte{}, body...)), lim)
		if err != nil {
			return
		}
		first := Dump(v, lim)
		again, err := Load(first, lim)
		if err != nil {
			t.Fatalf("the dump of a loaded value does not load: %v", err)
		}
		if second := Dump(again, lim); !bytes.Equal(first, second) {
			t.Fatalf("the dump of a loaded value loads as another value:\n%q\n%q", first, second)
		}
	})
}
