package lualib

import (
	"math"
	"testing"
)

func TestFormatG(t *testing.T) {
	for _, c := range []struct {
		f    float64
		prec int
		want string
	}{
		{0, 14, "0"}, {math.Copysign(0, -1), 14, "-0"}, {1, 14, "1"}, {0.1, 14, "0.1"},
		{0.30000000000000004, 14, "0.3"}, {0.30000000000000004, 17, "0.30000000000000004"}, {1e14, 14, "1e+14"},
		{123456789012345, 14, "1.2345678901234e+14"}, {1e-4, 14, "0.0001"}, {1e-5, 14, "1e-05"},
		{1.5e300, 14, "1.5e+300"}, {100, 1, "1e+02"}, {2.5, 1, "2"}, {3.5, 1, "4"},
		{math.Inf(1), 14, "inf"}, {math.Inf(-1), 14, "-inf"}, {math.NaN(), 14, "nan"},
		{-math.NaN(), 14, "-nan"}, {5e-324, 17, "4.9406564584124654e-324"},
	} {
		if got := formatG(c.f, c.prec); got != c.want {
			t.Errorf("formatG(%v, %d) = %q, want %q", c.f, c.prec, got, c.want)
		}
	}
}

func TestStrtod(t *testing.T) {
	for _, c := range []struct {
		in   string
		want float64
		n    int
	}{
		{"1", 1, 1}, {" 1.5x", 1.5, 4}, {"-2e3", -2000, 4}, {"1e", 1, 1}, {"1e+", 1, 1},
		{".5", 0.5, 2}, {"5.", 5, 2}, {".", 0, 0}, {"-", 0, 0}, {"0x10", 16, 4},
		{"0x1p4", 16, 5}, {"0x.8", 0.5, 4}, {"0x", 0, 1}, {"0xg", 0, 1}, {"inf", math.Inf(1), 3},
		{"-Infinity", math.Inf(-1), 9}, {"infinit", math.Inf(1), 3}, {"1e400", math.Inf(1), 5},
		{"abc", 0, 0}, {"", 0, 0},
	} {
		got, n := strtod(c.in)
		if got != c.want || n != c.n {
			t.Errorf("strtod(%q) = %v, %d; want %v, %d", c.in, got, n, c.want, c.n)
		}
	}
	for _, in := range []string{"nan", "NaN(abc_1)", "-nan"} {
		if got, n := strtod(in); !math.IsNaN(got) || n != len(in) {
			t.Errorf("strtod(%q) = %v, %d", in, got, n)
		}
	}
	for in, bits := range map[string]uint64{
		"nan": 0x7ff8000000000000, "-nan": 0xfff8000000000000, "nan(12)": 0x7ff800000000000c,
		"nan(0x10)": 0x7ff8000000000010, "nan(010)": 0x7ff8000000000008, "nan(abc)": 0x7ff8000000000000,
		"nan(0)": 0x7ff8000000000000, "nan(99999999999999999999)": 0x7fffffffffffffff,
	} {
		if got, _ := strtod(in); math.Float64bits(got) != bits {
			t.Errorf("strtod(%q) bits %#x, want %#x", in, math.Float64bits(got), bits)
		}
	}
}
