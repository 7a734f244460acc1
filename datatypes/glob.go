package datatypes

// GlobMaxNesting bounds how many '*' a match may recurse through; deeper, the
// match fails. This is the CVE-2024-31228 fix that redis-server 7.0.15 as
// packaged carries (the 7.0.15 tag's source has no bound and can exhaust its
// stack): a pattern of 1000 "*a" matches 2000 a's there, 1001 does not.
const GlobMaxNesting = 1000

// MatchGlob reports whether s matches the glob pattern exactly as Redis
// 7.0.15's stringmatchlen does, quirks included:
//
//   - '*' matches any run of bytes, '?' any one byte; a non-empty pattern
//     never matches the empty string (so "*" does not match "", which is why
//     KEYS and SCAN treat the pattern "*" as "everything" before matching);
//   - "[abc]", "[^abc]", ranges "[a-z]" (reversed ranges "[z-a]" too, bytes
//     compared as signed chars), "\x" inside a class; an unterminated class
//     ends with the pattern;
//   - "\x" matches x literally; a trailing '\' matches a '\';
//   - nocase folds ASCII letters (not inside "\x" in a class).
//
// Matching is bounded: Redis's skip-longer-matches rule (the CVE-2022-36021
// fix) keeps it to about len(pattern)*len(s) steps, and recursion stops at
// GlobMaxNesting.
func MatchGlob(pattern, s string, nocase bool) bool {
	g := globber{pat: pattern, str: s, nocase: nocase}
	return g.match(0, 0, 0)
}

// globber holds one match's inputs and the shared skipLongerMatches flag: once
// the pattern after some '*' failed to match at every remaining position, no
// earlier '*' can help by matching more, so every level gives up.
type globber struct {
	pat, str   string
	nocase     bool
	skipLonger bool
}

// at returns pat[i], or 0 past the end, as reading Redis's NUL-terminated
// pattern does.
func (g *globber) at(i int) byte {
	if i < len(g.pat) {
		return g.pat[i]
	}
	return 0
}

// match matches pat[p:] against str[s:]; nesting counts the '*' recursed
// through.
func (g *globber) match(p, s, nesting int) bool {
	if nesting > GlobMaxNesting {
		return false
	}
	for p < len(g.pat) && s < len(g.str) {
		switch g.pat[p] {
		case '*':
			return g.star(p, s, nesting)
		case '?':
		case '[':
			var ok bool
			if p, ok = g.class(p+1, g.str[s]); !ok {
				return false
			}
		case '\\':
			if len(g.pat)-p >= 2 {
				p++
			}
			fallthrough
		default:
			if !g.equal(g.pat[p], g.str[s]) {
				return false
			}
		}
		p++
		s++
		if s == len(g.str) {
			for g.at(p) == '*' {
				p++
			}
		}
	}
	return p == len(g.pat) && s == len(g.str)
}

// star matches a '*' at pat[p] (s < len(str)): the rest of the pattern is
// tried at every later position, never at the end of the string.
func (g *globber) star(p, s, nesting int) bool {
	for g.at(p+1) == '*' {
		p++
	}
	if p == len(g.pat)-1 {
		return true
	}
	for ; s < len(g.str); s++ {
		if g.match(p+1, s, nesting+1) {
			return true
		}
		if g.skipLonger {
			return false
		}
	}
	g.skipLonger = true
	return false
}

// class matches c against the class that starts at pat[p] (just after '[')
// and returns the index of its last byte: the ']' or, unterminated, the
// pattern's last byte.
func (g *globber) class(p int, c byte) (int, bool) {
	not := g.at(p) == '^'
	if not {
		p++
	}
	match := false
	for {
		left := len(g.pat) - p
		switch {
		case g.at(p) == '\\' && left >= 2:
			p++
			match = match || g.pat[p] == c
		case g.at(p) == ']':
			return p, match != not
		case left == 0:
			return p - 1, match != not
		case left >= 3 && g.pat[p+1] == '-':
			match = match || g.inRange(g.pat[p], g.pat[p+2], c)
			p += 2
		default:
			match = match || g.equal(g.pat[p], c)
		}
		p++
	}
}

// inRange reports whether c lies between the range ends (either order),
// comparing as C's signed char does.
func (g *globber) inRange(start, end, c byte) bool {
	lo, hi, v := int(int8(start)), int(int8(end)), int(int8(c))
	if lo > hi {
		lo, hi = hi, lo
	}
	if g.nocase {
		lo, hi, v = lowerSigned(lo), lowerSigned(hi), lowerSigned(v)
	}
	return lo <= v && v <= hi
}

func (g *globber) equal(a, b byte) bool {
	if g.nocase {
		return lowerByte(a) == lowerByte(b)
	}
	return a == b
}

// lowerByte is C's tolower in the "C" locale: ASCII letters only.
func lowerByte(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func lowerSigned(v int) int {
	if 'A' <= v && v <= 'Z' {
		return v + 'a' - 'A'
	}
	return v
}
