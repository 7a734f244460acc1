package datatypes

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"testing"
)

// The register and run length Redis 7.0.15 gives one element, read from
// PFDEBUG DECODE of an HLL holding only it ("Z:12711 v:2,1 ..." for "a").
func TestHLLPattern(t *testing.T) {
	tests := []struct {
		elem  string
		index int
		count uint8
	}{
		{"", 5938, 2},
		{"a", 12711, 2},
		{"b", 15780, 1},
		{"c", 8436, 1},
		{"foo", 7348, 5},
		{"hello", 9216, 1},
		{"abcdefgh", 1383, 1},
		{"abcdefghi", 6903, 1},
		{"hello world, this is 23", 2933, 1},
		{"1234567", 10327, 3},
		{"12345678901234567", 11870, 8},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%q", tc.elem), func(t *testing.T) {
			index, count := hllPattern([]byte(tc.elem))
			if index != tc.index || count != tc.count {
				t.Errorf("got register %d count %d, want %d %d", index, count, tc.index, tc.count)
			}
		})
	}
}

// PFCOUNT values Redis 7.0.15 returned after PFADD of "e1".."eN".
func TestHLLCountMatchesRedis(t *testing.T) {
	tests := []struct {
		n     int
		want  uint64
		dense bool
	}{
		{0, 0, false},
		{10, 10, false},
		{100, 100, false},
		{1000, 1008, false},
		{5000, 4968, true},
		{20000, 19899, true},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("n=%d", tc.n), func(t *testing.T) {
			h := NewHLL()
			for i := 1; i <= tc.n; i++ {
				h.Add(fmt.Appendf(nil, "e%d", i))
			}
			if got := h.Count(); got != tc.want {
				t.Errorf("Count = %d, want %d", got, tc.want)
			}
			if h.IsDense() != tc.dense {
				t.Errorf("IsDense = %v, want %v", h.IsDense(), tc.dense)
			}
		})
	}
}

// Counts Redis 7.0.15 returned for dense blobs with every register set to
// one value; past int64 it prints LLONG_MIN.
func TestHLLEstimateEdges(t *testing.T) {
	tests := []struct {
		name string
		reg  uint8
		want uint64
	}{
		{"all zero", 0, 0},
		{"all one", 1, 23637},
		{"all 20", 20, 12392656037},
		{"all 50", 50, 1 << 63},
		{"all 51", 51, 1 << 63},
		{"all 63 ignored by the estimator", 63, 1 << 63}, // z == 0, as in Redis
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var regs [HLLRegisters]uint8
			for i := range regs {
				regs[i] = tc.reg
			}
			if got := HLLCountRegisters(&regs); got != tc.want {
				t.Errorf("got %d, want %d", got, tc.want)
			}
			if got := HLLFromRegisters(&regs, true).Count(); got != tc.want {
				t.Errorf("dense HLL: got %d, want %d", got, tc.want)
			}
		})
	}
}

// addRandom adds n random registers to h and to want.
func addRandom(h *HLL, want *[HLLRegisters]uint8, r *rand.Rand, n int) {
	for range n {
		i, v := r.IntN(HLLRegisters), uint8(1+r.IntN(hllMaxReg))
		h.SetMax(i, v)
		want[i] = max(want[i], v)
	}
}

func registersOf(h *HLL) *[HLLRegisters]uint8 {
	var regs [HLLRegisters]uint8
	h.MaxInto(&regs)
	for i := range regs {
		if regs[i] != h.Register(i) {
			panic(fmt.Sprintf("MaxInto and Register disagree at %d", i))
		}
	}
	return &regs
}

func TestHLLSparseToDense(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	h := NewHLL()
	var want [HLLRegisters]uint8
	for h.IsDense() == false {
		addRandom(h, &want, r, 1)
		if len(h.sparse) > hllSparseMax {
			t.Fatalf("sparse grew to %d entries", len(h.sparse))
		}
	}
	if got := nonZero(&want); got != hllSparseMax+1 {
		t.Errorf("turned dense at %d registers, want %d", got, hllSparseMax+1)
	}
	if *registersOf(h) != want {
		t.Fatal("registers changed by the conversion")
	}
	if got, ref := h.Count(), HLLCountRegisters(&want); got != ref {
		t.Errorf("Count = %d, want %d", got, ref)
	}
}

func TestHLLSparseAndDenseCountAlike(t *testing.T) {
	for _, n := range []int{1, 10, 100, 1000, 1500} {
		t.Run(fmt.Sprintf("registers=%d", n), func(t *testing.T) {
			r := rand.New(rand.NewPCG(uint64(n), 7))
			sparse := NewHLL()
			var want [HLLRegisters]uint8
			addRandom(sparse, &want, r, n)
			dense := HLLFromRegisters(&want, true)
			if sparse.IsDense() || !dense.IsDense() {
				t.Fatalf("encodings: sparse %v dense %v", sparse.IsDense(), dense.IsDense())
			}
			if sparse.Count() != dense.Count() {
				t.Errorf("sparse %d dense %d", sparse.Count(), dense.Count())
			}
		})
	}
}

func TestHLLRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	cached := NewHLL()
	cached.Add([]byte("x"))
	cached.card, cached.cardValid = 42, true
	tests := []struct {
		name      string
		registers int
		h         *HLL
	}{
		{"empty", 0, nil},
		{"one", 1, nil},
		{"small", 50, nil},
		{"sparse at max", 0, nil},
		{"dense", 30000, nil},
		{"cached cardinality", 0, cached},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := tc.h
			if h == nil {
				h = NewHLL()
				var want [HLLRegisters]uint8
				addRandom(h, &want, r, tc.registers)
			}
			if tc.name == "sparse at max" {
				for i := 0; len(h.sparse) < hllSparseMax; i += 7 {
					h.SetMax(i, 1)
				}
			}
			checkRoundTrip(t, h)
		})
	}
}

func checkRoundTrip(t *testing.T, h *HLL) {
	t.Helper()
	blob := h.ghllBytes()
	back, err := ParseHLL(blob)
	if err != nil {
		t.Fatalf("ParseHLL: %v", err)
	}
	if !bytes.Equal(back.ghllBytes(), blob) || back.IsDense() != h.IsDense() ||
		!bytes.Equal(back.Bytes(), h.Bytes()) {
		t.Fatal("blob changed by a round trip")
	}
	viaRedis, err := ParseHLL(h.Bytes())
	if err != nil {
		t.Fatalf("ParseHLL of the HYLL string: %v", err)
	}
	if *registersOf(viaRedis) != *registersOf(h) || !bytes.Equal(viaRedis.Bytes(), h.Bytes()) {
		t.Fatal("HYLL string changed by a round trip")
	}
	if *registersOf(back) != *registersOf(h) || back.Count() != h.Count() {
		t.Fatal("registers or count changed by a round trip")
	}
	v, err := DecodeValue(h.AppendEncoded(nil))
	if err != nil {
		t.Fatalf("DecodeValue: %v", err)
	}
	if !bytes.Equal(v.(*HLL).ghllBytes(), blob) {
		t.Fatal("snapshot encoding changed the value")
	}
	if !bytes.Equal(h.Clone().(*HLL).ghllBytes(), blob) {
		t.Fatal("Clone changed the value")
	}
}

func TestHLLBlobSizes(t *testing.T) {
	tests := []struct {
		name string
		h    func() *HLL
		want int
	}{
		{"empty", NewHLL, ghllHeaderSize + 1},
		{"one register at 5", func() *HLL { h := NewHLL(); h.SetMax(5, 3); return h }, ghllHeaderSize + 3},
		{"dense", func() *HLL { var r [HLLRegisters]uint8; return HLLFromRegisters(&r, true) }, ghllHeaderSize + 12288},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := len(tc.h().ghllBytes()); got != tc.want {
				t.Errorf("len = %d, want %d", got, tc.want)
			}
		})
	}
}

func TestHLLCloneIsIndependent(t *testing.T) {
	for _, dense := range []bool{false, true} {
		var regs [HLLRegisters]uint8
		regs[10] = 4
		h := HLLFromRegisters(&regs, dense)
		c := h.Clone().(*HLL)
		c.SetMax(10, 9)
		c.SetMax(11, 9)
		if h.Register(10) != 4 || h.Register(11) != 0 {
			t.Errorf("dense=%v: clone shares registers", dense)
		}
	}
}

func TestHLLMergeSparseWithDense(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	sparse, dense := NewHLL(), NewHLL()
	var a, b [HLLRegisters]uint8
	addRandom(sparse, &a, r, 200)
	addRandom(dense, &b, r, 20000)
	if sparse.IsDense() || !dense.IsDense() {
		t.Fatal("setup: wrong encodings")
	}
	var union, want [HLLRegisters]uint8
	sparse.MaxInto(&union)
	dense.MaxInto(&union)
	for i := range want {
		want[i] = max(a[i], b[i])
	}
	if union != want {
		t.Fatal("union registers differ")
	}
	merged := HLLFromRegisters(&union, false)
	if !merged.IsDense() || merged.Count() != HLLCountRegisters(&want) {
		t.Error("merged HLL differs from the union")
	}
}

// A Redis sparse blob as Redis 7.0.15 wrote it after PFADD h a b c.
var redisABC = []byte("HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80" +
	"\x60\xf3\x80\x50\xb1\x84\x4b\xfb\x80\x42\x5a")

func TestHLLParsesRedisBlobs(t *testing.T) {
	denseRedis := append([]byte("HYLL\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80"), make([]byte, 12288)...)
	denseRedis[16] = 5 // register 0 = 5
	denseRedis[17] = 3 // register 1 = 3<<2: its high four bits are byte 1's low nibble
	tests := []struct {
		name  string
		blob  []byte
		regs  map[int]uint8
		count uint64
	}{
		{"sparse a b c", redisABC, map[int]uint8{8436: 1, 12711: 2, 15780: 1}, 3},
		{"sparse empty", []byte("HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80\x7f\xff"), nil, 0},
		{"cut XZERO reads a NUL", []byte("HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80\x40\xfe\x7f"), nil, 0},
		{"valid cache is used", []byte("HYLL\x01\x00\x00\x00\x07\x00\x00\x00\x00\x00\x00\x00\x7f\xff"), nil, 7},
		{"dense", denseRedis, map[int]uint8{0: 5, 1: 12}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h, err := ParseHLL(tc.blob)
			if err != nil {
				t.Fatalf("ParseHLL: %v", err)
			}
			for i := range HLLRegisters {
				if h.Register(i) != tc.regs[i] {
					t.Fatalf("register %d = %d, want %d", i, h.Register(i), tc.regs[i])
				}
			}
			if tc.count != 0 || tc.regs == nil {
				if got := h.Count(); got != tc.count {
					t.Errorf("Count = %d, want %d", got, tc.count)
				}
			}
		})
	}
}

func ghll(enc, flags byte, body ...byte) []byte {
	b := append([]byte(ghllMagic), ghllVersion, enc, flags)
	b = binary.LittleEndian.AppendUint64(b, 0)
	return append(b, body...)
}

func TestHLLCorruptBlobs(t *testing.T) {
	dense := ghll(ghllDense, 0, make([]byte, hllDenseBytes)...)
	tests := []struct {
		name string
		blob []byte
		want error
	}{
		{"empty string", nil, ErrNotHLL},
		{"plain text", []byte("hello"), ErrNotHLL},
		{"header cut", ghll(ghllSparse, 0)[:10], ErrNotHLL},
		{"bad magic", append([]byte("XHLL"), ghll(ghllSparse, 0, 0)[4:]...), ErrNotHLL},
		{"bad version", append([]byte("GHLL\x03"), ghll(ghllSparse, 0, 0)[5:]...), ErrNotHLL},
		{"version 0", append([]byte("GHLL\x00"), ghll(ghllSparse, 0, 0)[5:]...), ErrNotHLL},
		{"redis-dense flag in version 1", append([]byte("GHLL\x01"), ghll(ghllSparse, 2, 0)[5:]...), ErrNotHLL},
		{"bad encoding", ghll(2, 0, 0), ErrNotHLL},
		{"unknown flag", ghll(ghllSparse, 4, 0), ErrNotHLL},
		{"dense too short", dense[:len(dense)-1], ErrNotHLL},
		{"dense too long", append(dense, 0), ErrNotHLL},
		{"sparse without count", ghll(ghllSparse, 0), ErrHLLCorrupt},
		{"sparse count too big", ghll(ghllSparse, 0, 0x81, 0x81, 0x01), ErrHLLCorrupt},
		{"sparse truncated", ghll(ghllSparse, 0, 2, 0, 1, 0), ErrHLLCorrupt},
		{"sparse value 0", ghll(ghllSparse, 0, 1, 0, 0), ErrHLLCorrupt},
		{"sparse value 64", ghll(ghllSparse, 0, 1, 0, 64), ErrHLLCorrupt},
		{"sparse index 16384", ghll(ghllSparse, 0, 1, 0x80, 0x80, 1, 1), ErrHLLCorrupt},
		{"sparse last register", ghll(ghllSparse, 0, 2, 0xfe, 0x7f, 1, 0, 1), nil},
		{"sparse index past the end", ghll(ghllSparse, 0, 2, 0xfe, 0x7f, 1, 1, 1), ErrHLLCorrupt},
		{"sparse trailing byte", ghll(ghllSparse, 0, 1, 0, 1, 9), ErrHLLCorrupt},
		{"redis header cut", []byte("HYLL\x01\x00"), ErrNotHLL},
		{"redis bad encoding", []byte("HYLL\x02\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80"), ErrNotHLL},
		{"redis dense short", []byte("HYLL\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80\x00"), ErrNotHLL},
		{"redis sparse empty body", []byte("HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80"), ErrHLLCorrupt},
		{"redis sparse too many", []byte("HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80\x7f\xff\x00"), ErrHLLCorrupt},
		{"redis VAL overflow", []byte("HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80\x7f\xfe\x83"), ErrHLLCorrupt},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := ParseHLL(tc.blob); err != tc.want {
				t.Errorf("ParseHLL = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestHLLCountUsesBlobCache(t *testing.T) {
	corrupt := ghll(ghllSparse, ghllCardValid, 9) // count says 9 entries, none follow
	binary.LittleEndian.PutUint64(corrupt[7:], 5)
	tests := []struct {
		name  string
		v     StringValue
		want  uint64
		stale bool
		err   error
	}{
		{"cache wins over a corrupt body", String(corrupt), 5, false, nil},
		{"no cache: body decoded", String(ghll(ghllSparse, 0, 9)), 0, false, ErrHLLCorrupt},
		{"not an HLL", String("x"), 0, false, ErrNotHLL},
		{"redis blob, stale", String(redisABC), 3, true, nil},
		{"redis blob, cached", String(withCount(redisABC, 7)), 7, false, nil},
		{"new HLL", NewHLL(), 0, true, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, stale, err := HLLCount(tc.v)
			if got != tc.want || stale != tc.stale || err != tc.err {
				t.Errorf("HLLCount = %d, %v, %v; want %d, %v, %v", got, stale, err, tc.want, tc.stale, tc.err)
			}
			if valid := HLLCacheValid(tc.v); valid != (tc.err == nil && !tc.stale) {
				t.Errorf("HLLCacheValid = %v", valid)
			}
		})
	}
}

// withCount returns a copy of b with card stored (HLLStoreCount).
func withCount(b []byte, card uint64) []byte {
	out := append([]byte(nil), b...)
	HLLStoreCount(out, card)
	return out
}

// TestHLLStoreCount: storing a count changes the header's count bytes
// only, in both forms, and leaves the registers as they were.
func TestHLLStoreCount(t *testing.T) {
	g := ghll(ghllSparse, 0, 1, 3, 2) // one register: 3 at index 3
	for _, b := range [][]byte{redisABC, g} {
		out := withCount(b, 3)
		if len(out) != len(b) {
			t.Fatalf("length %d, want %d", len(out), len(b))
		}
		got, stale, err := HLLCount(String(out))
		if got != 3 || stale || err != nil {
			t.Errorf("%q: HLLCount = %d, %v, %v; want 3, cached", b[:4], got, stale, err)
		}
		before, _ := ParseHLL(b)
		after, _ := ParseHLL(out)
		if *hllRegs(before) != *hllRegs(after) {
			t.Errorf("%q: registers changed", b[:4])
		}
	}
	want := append([]byte("HYLL\x01\x00\x00\x00\x03\x00\x00\x00\x00\x00\x00\x00"), redisABC[16:]...)
	if out := withCount(redisABC, 3); !bytes.Equal(out, want) {
		t.Errorf("HYLL header % x, want % x", out[:16], want[:16])
	}
	h := NewHLL()
	h.Add([]byte("a"))
	h.CacheCount(h.Count())
	if b := h.Bytes(); b[15]&0x80 != 0 || b[8] != 1 {
		t.Errorf("after CacheCount, header % x: want a valid count of 1", b[8:16])
	}
	h.Add([]byte("b"))
	if b := h.Bytes(); b[15]&0x80 == 0 || b[8] != 1 {
		t.Errorf("after a change, header % x: want the old count, stale", b[8:16])
	}
}

func TestHLLAddInvalidatesCache(t *testing.T) {
	h := NewHLL()
	h.card, h.cardValid = 99, true
	if h.Add([]byte("a")) != true || h.cardValid {
		t.Fatal("a changing Add must invalidate the cache")
	}
	h.card, h.cardValid = 99, true
	if h.Add([]byte("a")) != false || h.Count() != 99 {
		t.Fatal("an Add that changes nothing keeps the cache")
	}
}
