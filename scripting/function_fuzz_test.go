package scripting

import (
	"bytes"
	"testing"

	"github.com/geetcache/geetcache/datatypes/rdb"
)

// FuzzFunctionRestore: any FUNCTION RESTORE payload (sealed with a valid
// footer, so the reader goes past the checksum) is restored or refused
// with an error, never a panic, and a refused one leaves the libraries as
// they were.
func FuzzFunctionRestore(f *testing.F) {
	for _, v := range redisDumps {
		f.Add([]byte(v.dump[:len(v.dump)-rdb.FooterLen]))
	}
	f.Add([]byte{rdb.OpFunction2, 0xC3, 2, 0x3f, 0xff, 0, 'a'})
	f.Add([]byte{rdb.OpFunction2, 0x81, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff})
	var base Libraries
	mustLoad(f, &base, lib("keep", "redis.register_function('keep', function() return 1 end)"))
	before := base.Dump()
	f.Fuzz(func(t *testing.T, body []byte) {
		payload := rdb.Seal(append([]byte{}, body...))
		ls := base.clone()
		if err := ls.Restore(payload, RestoreAppend); err != nil && !bytes.Equal(ls.Dump(), before) {
			t.Fatalf("a refused restore changed the libraries: %v", err)
		}
	})
}
