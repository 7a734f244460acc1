package datatypes

import (
	"bytes"
	"testing"
)

// FuzzHLLDecode feeds arbitrary bytes to the HLL parsers: they must never
// panic, and whatever parses must serialize back to a blob that parses to
// the same registers.
func FuzzHLLDecode(f *testing.F) {
	f.Add(NewHLL().Bytes())
	f.Add(redisABC)
	f.Add(ghll(ghllSparse, ghllCardValid, 2, 3, 4, 0, 9))
	var regs [HLLRegisters]uint8
	regs[7], regs[HLLRegisters-1] = 63, 2
	f.Add(HLLFromRegisters(&regs, true).Bytes())
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = DecodeValue(append([]byte{tagHLL}, b...))
		_, _, _ = HLLCount(String(b))
		h, err := ParseHLL(b)
		if err != nil {
			return
		}
		h.Count()
		blob := h.Bytes()
		back, err := ParseHLL(blob)
		if err != nil {
			t.Fatalf("re-parse: %v", err)
		}
		if !bytes.Equal(back.Bytes(), blob) || *registersOf(back) != *registersOf(h) {
			t.Fatal("round trip changed the HLL")
		}
		h.Add(b)
	})
}
