package protocol

import "testing"

func TestParseTimeout(t *testing.T) {
	tests := []struct {
		in   string
		ms   int64
		errs string
	}{
		{"0", 0, ""},
		{"1", 1000, ""},
		{"0.5", 500, ""},
		{"0.001", 1, ""},  // 0.000999... s in long double: ceill makes it 1 ms, not forever
		{"0.0001", 1, ""}, // redis-server 7.0.15 times it out at once
		{"0.002", 2, ""},
		{"-0.0001", 0, ""}, // ceill(-0.1) is 0: forever, as Redis
		{"-0.0009", 0, ""}, // ceill(-0.9) is 0
		{"-0.001", 0, ""},  // -0.000999... s: ceill gives 0, forever, as Redis
		{"-0.002", 0, ErrTimeoutNegative},
		{"9223372036854775.808", 0, ErrTimeoutNegative}, // 2^63 ms after rounding
		{"x", 0, ErrTimeoutNotFloat},
		{" 1", 0, ErrTimeoutNotFloat},
		{"-1", 0, ErrTimeoutNegative},
		{"1e20", 0, ErrTimeoutNegative},
		{"inf", 0, ErrTimeoutNegative},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			ms, errs := ParseTimeout([]byte(tc.in))
			if ms != tc.ms || errs != tc.errs {
				t.Fatalf("got %d %q, want %d %q", ms, errs, tc.ms, tc.errs)
			}
		})
	}
}
