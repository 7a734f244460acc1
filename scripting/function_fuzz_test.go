package scripting

import (
	"bytes"
	"testing"
)

// FuzzFunctionRestore: any FUNCTION RESTORE payload (sealed with a valid
// footer, so the reader goes past the checksum) is restored or refused
// with an error, never a panic, and a refused one leaves the libraries as
// they were.
func FuzzFunctionRestore(f *testing.F) {
	for _, v := range redisDumps {
		f.Add([]byte(v.dump[:len(v.dump)-dumpFooterLen]))
	}
	f.Add([]byte{rdbOpcodeFunction2, 0xC3, 2, 0x3f, 0xff, 0, 'a'})
	f.Add([]byte{rdbOpcodeFunction2, 0x81, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff})
	var base Libraries
	mustLoad(f, &base, lib("keep", "redis.register_function('keep', function() return 1 end)"))
	before := base.Dump()
	f.Fuzz(func(t *testing.T, body []byte) {
		payload := appendCRC(append(append([]byte{}, body...), rdbVersion, 0))
		ls := base.clone()
		if err := ls.Restore(payload, RestoreAppend); err != nil && !bytes.Equal(ls.Dump(), before) {
			t.Fatalf("a refused restore changed the libraries: %v", err)
		}
	})
}

// FuzzLZFDecompress: any input is expanded or refused, never a panic or
// an output longer than asked for; what lzfCompress makes comes back.
func FuzzLZFDecompress(f *testing.F) {
	f.Add([]byte{1, 'a', 'b', 0x20, 0}, 6)
	f.Add([]byte("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"), 51)
	f.Fuzz(func(t *testing.T, in []byte, n int) {
		n = n & 0xffff
		if out, ok := lzfDecompress(in, n); ok && len(out) != n {
			t.Fatalf("expanded to %d bytes, asked for %d", len(out), n)
		}
		if c := lzfCompress(in, len(in)); c != nil {
			if back, ok := lzfDecompress(c, len(in)); !ok || !bytes.Equal(back, in) {
				t.Fatal("round trip failed")
			}
		}
	})
}
