package rdb

import (
	"bytes"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"
)

// TestLZFRoundTrip: what LZFCompress writes, LZFDecompress reads back, for
// inputs from incompressible to very repetitive (seed printed).
func TestLZFRoundTrip(t *testing.T) {
	seed := lzfSeed()
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 1))
	for i := range 300 {
		n := 1 + rng.IntN(5000)
		if i < 8 {
			n = i + 1 // the smallest inputs, where len-4 is no room at all
		}
		alphabet := 1 + rng.IntN(255)
		in := make([]byte, n)
		for j := range in {
			if j > 8 && rng.IntN(4) == 0 { // repeat an earlier stretch
				k := rng.IntN(j)
				in[j] = in[k]
				continue
			}
			in[j] = byte(rng.IntN(alphabet))
		}
		out := LZFCompress(in, len(in)-4)
		if out == nil {
			continue
		}
		back, ok := LZFDecompress(out, len(in))
		if !ok || !bytes.Equal(back, in) {
			t.Fatalf("case %d (n=%d): round trip failed", i, n)
		}
	}
}

func TestLZFDecompressRejectsBadInput(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   []byte
		n    int
	}{
		{"literal past input", []byte{5, 'a'}, 6},
		{"literal past output", []byte{1, 'a', 'b'}, 1},
		{"reference before start", []byte{0, 'a', 0x20, 5}, 4},
		{"short length", []byte{1, 'a', 'b'}, 3},
		{"missing offset", []byte{0, 'a', 0x20}, 4},
		{"missing long length", []byte{0, 'a', 0xE0}, 20},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, ok := LZFDecompress(tc.in, tc.n); ok {
				t.Fatal("accepted")
			}
		})
	}
}

// lzfSeed is GEETCACHE_LZF_SEED when set (to replay a printed seed), else random.
func lzfSeed() uint64 {
	if s, err := strconv.ParseUint(os.Getenv("GEETCACHE_LZF_SEED"), 10, 64); err == nil {
		return s
	}
	return rand.Uint64()
}
