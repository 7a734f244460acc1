package datatypes

import "testing"

// ParseCanonicalInt accepts what Redis's string2ll accepts.
func TestParseCanonicalInt(t *testing.T) {
	for _, c := range []struct {
		s  string
		v  int64
		ok bool
	}{
		{"0", 0, true}, {"7", 7, true}, {"-12", -12, true},
		{"9223372036854775807", 9223372036854775807, true},
		{"-9223372036854775808", -9223372036854775808, true},
		{"9223372036854775808", 0, false}, {"-0", 0, false}, {"00", 0, false},
		{"01", 0, false}, {"+1", 0, false}, {" 1", 0, false}, {"1 ", 0, false},
		{"", 0, false}, {"-", 0, false}, {"1a", 0, false},
		{"000000000000000000001", 0, false},
	} {
		v, ok := ParseCanonicalInt([]byte(c.s))
		if v != c.v || ok != c.ok {
			t.Errorf("ParseCanonicalInt(%q) = %d, %v; want %d, %v", c.s, v, ok, c.v, c.ok)
		}
	}
}
