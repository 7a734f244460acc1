package datatypes

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

// globCases were checked against redis-server 7.0.15 (KEYS pattern on a
// database holding the string).
var globCases = []struct {
	name, pattern, s string
	want             bool
}{
	{"literal", "hello", "hello", true},
	{"literal mismatch", "hello", "hellO", false},
	{"empty both", "", "", true},
	{"empty pattern", "", "a", false},
	{"star alone on empty string", "*", "", false},
	{"stars on empty string", "**", "", false},
	{"star", "h*o", "hello", true},
	{"star matches nothing", "hel*lo", "hello", true},
	{"trailing star", "he*", "he", true},
	{"trailing stars", "he***", "he", true},
	{"star then question at end", "he*?", "he", false},
	{"question", "h?llo", "hallo", true},
	{"question needs a byte", "hello?", "hello", false},
	{"class", "h[ae]llo", "hello", true},
	{"class miss", "h[ae]llo", "hillo", false},
	{"negated class", "h[^e]llo", "hallo", true},
	{"negated class miss", "h[^e]llo", "hello", false},
	{"range", "h[a-f]llo", "hello", true},
	{"reversed range", "h[f-a]llo", "hello", true},
	{"range miss", "h[a-d]llo", "hello", false},
	{"range ends at bracket", "[a-]", "b", false},
	{"range a to bracket swallows it", "[a-]x]", "]", true},
	{"range then rest of class", "[a-]x]", "x", true},
	{"empty class", "[]a]", "a", false},
	{"escaped bracket in class", `[\]]`, "]", true},
	{"escape in class is literal", `[\a]`, "a", true},
	{"trailing backslash in class", `[\`, `\`, true},
	{"unterminated class", "[abc", "b", true},
	{"unterminated class miss", "[abc", "d", false},
	{"lone bracket", "[", "[", false},
	{"lone negated bracket matches any", "[^", "x", true},
	{"escaped star", `a\*`, "a*", true},
	{"escaped star is literal", `a\*`, "ab", false},
	{"escaped question", `\?`, "a", false},
	{"trailing backslash literal", `a\`, `a\`, true},
	{"trailing backslash needs a byte", `a\`, "a", false},
	{"signed range excludes high bytes", "[a-\xff]", "\x80", false},
	{"signed range includes ascii", "[a-\xff]", "A", true},
	{"high byte literal", "\xff?", "\xffz", true},
	{"nul byte", "a\x00*", "a\x00b", true},
	{"star before class", "*[0-9]", "key7", true},
	{"many stars", "*a*b*c*", "xxaxxbxxcxx", true},
	{"many stars miss", "*a*b*c*", "xxaxxcxxbxx", false},
}

func TestMatchGlob(t *testing.T) {
	for _, tc := range globCases {
		t.Run(tc.name, func(t *testing.T) {
			if got := MatchGlob(tc.pattern, tc.s, false); got != tc.want {
				t.Errorf("MatchGlob(%q, %q) = %v, want %v", tc.pattern, tc.s, got, tc.want)
			}
		})
	}
}

func TestMatchGlobNocase(t *testing.T) {
	cases := []struct {
		name, pattern, s string
		want             bool
	}{
		{"literal", "HeLLo", "hello", true},
		{"class", "[A-C]x", "bX", true},
		{"range folds ends", "[a-c]", "B", true},
		{"escape in class stays exact", `[\A]`, "a", false},
		{"non letters", "1?3", "1x3", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := MatchGlob(tc.pattern, tc.s, true); got != tc.want {
				t.Errorf("MatchGlob(%q, %q, nocase) = %v, want %v", tc.pattern, tc.s, got, tc.want)
			}
		})
	}
}

// TestMatchGlobHostile feeds patterns that take exponential time in a naive
// backtracking matcher (CVE-2022-36021) and patterns deep enough to exhaust
// an unbounded recursion: each must answer quickly.
func TestMatchGlobHostile(t *testing.T) {
	long := strings.Repeat("a", 1<<16)
	cases := []struct {
		name, pattern, s string
		want             bool
	}{
		{"stars then missing byte", strings.Repeat("a*", 64) + "b", long, false},
		{"many stars then missing byte", strings.Repeat("*a", 900) + "*b", long, false},
		{"stars beyond the nesting bound", strings.Repeat("*a", 20000) + "*b", long, false},
		{"matching stars within the bound", strings.Repeat("*a", 900), long, true},
		{"classes and stars", strings.Repeat("*[a-z]", 500) + "?b", long, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			if got := MatchGlob(tc.pattern, tc.s, false); got != tc.want {
				t.Errorf("got %v, want %v", got, tc.want)
			}
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
}

// TestMatchGlobNestingBound checks the recursion bound where redis-server
// 7.0.15 has it: 1000 "*a" match 2000 a's, 1001 do not.
func TestMatchGlobNestingBound(t *testing.T) {
	s := strings.Repeat("a", 2*GlobMaxNesting)
	within := strings.Repeat("*a", GlobMaxNesting)
	beyond := strings.Repeat("*a", GlobMaxNesting+1)
	if !MatchGlob(within, s, false) {
		t.Errorf("%d stars: no match", GlobMaxNesting)
	}
	if MatchGlob(beyond, s, false) {
		t.Errorf("%d stars: match", GlobMaxNesting+1)
	}
}

// globRegexp translates a pattern without '[' into an anchored regexp over
// latin1 runes (one rune per byte), the reference FuzzGlob compares with.
func globRegexp(pattern string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString(`^(?s:`)
	for i := 0; i < len(pattern); i++ {
		switch c := pattern[i]; {
		case c == '*':
			b.WriteString(`.*`)
		case c == '?':
			b.WriteString(`.`)
		case c == '\\' && i+1 < len(pattern):
			i++
			b.WriteString(regexp.QuoteMeta(string(rune(pattern[i]))))
		default:
			b.WriteString(regexp.QuoteMeta(string(rune(c))))
		}
	}
	b.WriteString(`)$`)
	return regexp.MustCompile(b.String())
}

func latin1(s string) string {
	r := make([]rune, len(s))
	for i := 0; i < len(s); i++ {
		r[i] = rune(s[i])
	}
	return string(r)
}

// FuzzGlob checks MatchGlob never panics and, for patterns without classes,
// agrees with a regexp (except that Redis never matches "" with a non-empty
// pattern).
func FuzzGlob(f *testing.F) {
	for _, tc := range globCases {
		f.Add(tc.pattern, tc.s)
	}
	f.Add("*a*a*a*b", "aaaaaaaaaaaaaaaaaaaa")
	f.Fuzz(func(t *testing.T, pattern, s string) {
		got := MatchGlob(pattern, s, false)
		MatchGlob(pattern, s, true)
		if strings.Contains(pattern, "[") || strings.Count(pattern, "*") > GlobMaxNesting/2 {
			return
		}
		want := globRegexp(pattern).MatchString(latin1(s))
		if s == "" {
			want = pattern == ""
		}
		if got != want {
			t.Errorf("MatchGlob(%q, %q) = %v, regexp says %v", pattern, s, got, want)
		}
	})
}
