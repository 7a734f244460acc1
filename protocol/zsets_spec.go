package protocol

import "github.com/geetcache/geetcache/datatypes"

// Score and lex ranges, parsed as Redis's zslParseRange and
// zslParseLexRange do, and resolved to rank spans [start, end) of a set.

// scoreRange is min..max; an exclusive bound was written "(x".
type scoreRange struct {
	min, max     float64
	minEx, maxEx bool
}

// parseScoreRange parses a score range; ok is false for
// "ERR min or max is not a float".
func parseScoreRange(min, max []byte) (r scoreRange, ok bool) {
	var okMin, okMax bool
	r.min, r.minEx, okMin = parseScoreBound(min)
	r.max, r.maxEx, okMax = parseScoreBound(max)
	return r, okMin && okMax
}

func parseScoreBound(b []byte) (f float64, ex, ok bool) {
	if len(b) > 0 && b[0] == '(' {
		f, ok = parseRangeFloat(b[1:])
		return f, true, ok
	}
	f, ok = parseRangeFloat(b)
	return f, false, ok
}

// span returns the ranks of the members within r.
func (r scoreRange) span(z *datatypes.ZSet) (start, end int) {
	start = z.CountScoreBelow(r.min, r.minEx)
	end = z.CountScoreBelow(r.max, !r.maxEx)
	return start, max(start, end)
}

// lexBound is one end of a lex range: "-", "+", "[member" or "(member".
type lexBound struct {
	member  string
	ex      bool
	inf     int // -1 for "-", +1 for "+", 0 for a member
	present bool
}

// lexRange is min..max.
type lexRange struct{ min, max lexBound }

// parseLexRange parses a lex range; ok is false for
// "ERR min or max not valid string range item".
func parseLexRange(min, max []byte) (r lexRange, ok bool) {
	r.min, r.max = parseLexBound(min), parseLexBound(max)
	return r, r.min.present && r.max.present
}

// parseLexBound parses "-" or "+" (each read as a C string: "+\x00x" is
// "+"), or a member after '[' (inclusive) or '(' (exclusive).
func parseLexBound(b []byte) lexBound {
	if len(b) == 0 {
		return lexBound{}
	}
	switch b[0] {
	case '-', '+':
		if len(cString(b)) != 1 {
			return lexBound{}
		}
		inf := 1
		if b[0] == '-' {
			inf = -1
		}
		return lexBound{inf: inf, ex: true, present: true}
	case '[', '(':
		return lexBound{member: string(b[1:]), ex: b[0] == '(', present: true}
	}
	return lexBound{}
}

// rank returns how many members of z sort before the bound when it is a
// minimum (after it when a maximum: upper is set).
func (b lexBound) rank(z *datatypes.ZSet, upper bool) int {
	switch b.inf {
	case -1:
		return 0
	case 1:
		return z.Len()
	}
	return z.CountMemberBelow(b.member, b.ex != upper)
}

// span returns the ranks of the members within r. As in Redis, "+" as
// minimum or "-" as maximum selects nothing.
func (r lexRange) span(z *datatypes.ZSet) (start, end int) {
	start, end = r.min.rank(z, false), r.max.rank(z, true)
	return start, max(start, end)
}
