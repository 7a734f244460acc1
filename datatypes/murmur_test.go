package datatypes

import "testing"

// Hash vectors computed with the reference C MurmurHash64A (Redis's, seed
// 0xadc83b19); their low 14 bits are confirmed by TestHLLPattern against
// what Redis's PFDEBUG DECODE shows.
func TestMurmur64A(t *testing.T) {
	tests := []struct {
		name, in string
		want     uint64
	}{
		{"empty", "", 0xd8dfea6585bc9732},
		{"one byte", "a", 0x53d2470a9b43b1a7},
		{"b", "b", 0xf10cdf96c004fda4},
		{"c", "c", 0x7585a45533f260f4},
		{"three bytes", "foo", 0xe64609b8b0141cb4},
		{"five bytes", "hello", 0x0f656f01eecfe400},
		{"seven bytes", "1234567", 0x85563db163632857},
		{"one block", "abcdefgh", 0xf3a65df559914567},
		{"block and tail", "abcdefghi", 0x834fba4d9152daf7},
		{"two blocks and tail", "hello world, this is 23", 0x6d46992681e44b75},
		{"seventeen bytes", "12345678901234567", 0xc535f864a8602e5e},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := murmur64A([]byte(tc.in), murmurSeed); got != tc.want {
				t.Errorf("murmur64A(%q) = %#016x, want %#016x", tc.in, got, tc.want)
			}
		})
	}
}
