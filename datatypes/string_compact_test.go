package datatypes

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"unsafe"
)

// TestSetStringCopies: SetString keeps copies of a key and value that
// alias memory the caller reuses, small (compact) or not, and a compact
// value becomes a plain String when made mutable, leaving a frozen copy's
// bytes alone.
func TestSetStringCopies(t *testing.T) {
	for _, size := range []int{0, 12, maxCompactString, maxCompactString + 1, 1000} {
		t.Run(fmt.Sprintf("len=%d", size), func(t *testing.T) {
			keyBuf := []byte("key:1")
			val := bytes.Repeat([]byte("a"), size)
			ks := NewKeyspace()
			ks.SetString(unsafe.String(&keyBuf[0], len(keyBuf)), val, 0)
			copy(keyBuf, "XXXXX")
			for i := range val {
				val[i] = 'b'
			}
			e := ks.Lookup("key:1", 0)
			if e == nil || e.Key != "key:1" {
				t.Fatalf("entry %v, want key:1", e)
			}
			b, plain := PlainBytes(e.Value)
			if !plain || string(b) != strings.Repeat("a", size) {
				t.Fatalf("value %q (plain %v), want %d a's", b, plain, size)
			}
			if _, compact := e.Value.(compactString); compact != (size <= maxCompactString) {
				t.Fatalf("compact %v for %d bytes", compact, size)
			}
			frozen := ks.Freeze()
			m := ks.Mutable(e)
			s, isString := m.Value.(String)
			if !isString {
				t.Fatalf("Mutable gave %T, want String", m.Value)
			}
			if size > 0 {
				s[0] = 'c'
			}
			fb, _ := PlainBytes(frozen.Lookup("key:1", 0).Value)
			if string(fb) != strings.Repeat("a", size) {
				t.Fatalf("frozen value changed to %q", fb)
			}
		})
	}
}
