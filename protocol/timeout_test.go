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
		{"0.0001", 0, ""},
		{"-0.0001", 0, ""},
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
