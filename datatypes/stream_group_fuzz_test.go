package datatypes

import (
	"bytes"
	"testing"
)

// FuzzStreamGroupsDecode: any bytes after a valid stream's entries either
// fail to decode or decode into groups whose encoding decodes and encodes
// to itself (varints may come in longer forms than the encoder writes);
// none panics or allocates beyond the input's size.
func FuzzStreamGroupsDecode(f *testing.F) {
	s := groupStream(f, 5)
	full := s.AppendEncoded(nil)
	empty := NewStream()
	for i := uint64(1); i <= 5; i++ {
		empty.Append(sid(i, 0), [][]byte{[]byte("f"), []byte("v")}, DefaultStreamNodeLimits)
	}
	head := empty.AppendEncoded(nil)
	head = head[:len(head)-1] // without its empty groups
	f.Add(full[len(head):])
	f.Add([]byte{0})
	f.Add([]byte{1, 1, 'g', 0, 0, 0, 1, 1, 'c', 0, 1, 1, 0, 0, 0, 1})
	f.Fuzz(func(t *testing.T, groups []byte) {
		enc := append(append([]byte(nil), head...), groups...)
		v, err := DecodeValue(enc)
		if err != nil {
			return
		}
		again := v.AppendEncoded(nil)
		v2, err := DecodeValue(again)
		if err != nil {
			t.Fatalf("re-encoded groups do not decode: %v\n%x", err, again)
		}
		if third := v2.AppendEncoded(nil); !bytes.Equal(third, again) {
			t.Fatalf("groups encode differently after a round trip:\n%x\n%x", again, third)
		}
	})
}
