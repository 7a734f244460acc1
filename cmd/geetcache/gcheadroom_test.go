package main

import "testing"

func TestGCPercentFor(t *testing.T) {
	for _, tc := range []struct {
		live uint64
		want int
	}{
		{0, maxGCPercent},         // before the first cycle
		{1 << 20, maxGCPercent},   // 3200 wanted, capped
		{4 << 20, 800},            // heap goal 36 MB
		{8 << 20, 400},            // 40 MB
		{16 << 20, 200},           // 48 MB
		{gcHeadroom, 100},         // Go's default from here on
		{1 << 30, 100},            // never below it
		{gcHeadroom - 1, 100},     // rounds down to the default
		{3 * gcHeadroom / 4, 133}, // 133%: 32 MB of 24 MB
	} {
		if got := gcPercentFor(tc.live); got != tc.want {
			t.Errorf("gcPercentFor(%d) = %d, want %d", tc.live, got, tc.want)
		}
	}
}
