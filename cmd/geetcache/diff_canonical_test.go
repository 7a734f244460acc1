package main

import (
	"bufio"
	"strings"
	"testing"
	"testing/iotest"
)

// Unit tests of the differential test's own plumbing: a reader that split
// replies wrongly or a canonical form that hid differences would make
// every run pass.

func TestRESPReaderKeepsExactBytes(t *testing.T) {
	cases := []struct {
		name, in string
		kind     byte
		null     bool
		elems    int
	}{
		{"simple", "+OK\r\n", '+', false, 0},
		{"error", "-ERR x\r\n", '-', false, 0},
		{"integer", ":-2\r\n", ':', false, 0},
		{"bulk with CRLF inside", "$4\r\na\r\nb\r\n", '$', false, 0},
		{"empty bulk", "$0\r\n\r\n", '$', false, 0},
		{"null bulk", "$-1\r\n", '$', true, 0},
		{"null array", "*-1\r\n", '*', true, 0},
		{"nested array", "*2\r\n*1\r\n:1\r\n$1\r\nx\r\n", '*', false, 2},
		{"resp3 map", "%2\r\n$1\r\na\r\n,1.5\r\n+b\r\n_\r\n", '%', false, 4},
		{"resp3 set", "~1\r\n#t\r\n", '~', false, 1},
		{"resp3 null", "_\r\n", '_', true, 0},
		{"resp3 verbatim", "=7\r\ntxt:abc\r\n", '=', false, 0},
		{"resp3 big number", "(123\r\n", '(', false, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// Two copies, read byte at a time: each reply ends where it should.
			r := &respReader{r: bufio.NewReader(iotest.OneByteReader(strings.NewReader(c.in + c.in)))}
			for range 2 {
				rep, err := r.read()
				if err != nil {
					t.Fatal(err)
				}
				if string(rep.raw) != c.in || rep.kind != c.kind || rep.null != c.null || len(rep.elems) != c.elems {
					t.Fatalf("read %q kind %c null %v elems %d", rep.raw, rep.kind, rep.null, len(rep.elems))
				}
			}
		})
	}
}

func TestRESPReaderRejectsMalformed(t *testing.T) {
	for _, in := range []string{"?x\r\n", "$3\r\nabcde\r\n", "+OK\n", "*x\r\n", "$99999999999\r\n"} {
		t.Run(strings.TrimSpace(in), func(t *testing.T) {
			r := &respReader{r: bufio.NewReader(strings.NewReader(in))}
			if rep, err := r.read(); err == nil {
				t.Fatalf("read %q without error", rep.raw)
			}
		})
	}
}

func TestCanonicalForms(t *testing.T) {
	cases := []struct {
		name  string
		mode  diffMode
		a, b  string
		equal bool
	}{
		{"exact differs", cmpExact, ":1\r\n", ":2\r\n", false},
		{"sorted ignores order", cmpSorted, "*2\r\n$1\r\na\r\n$1\r\nb\r\n", "*2\r\n$1\r\nb\r\n$1\r\na\r\n", true},
		{"sorted keeps members", cmpSorted, "*2\r\n$1\r\na\r\n$1\r\nb\r\n", "*2\r\n$1\r\na\r\n$1\r\nc\r\n", false},
		{"sorted keeps type", cmpSorted, "*1\r\n$1\r\na\r\n", "~1\r\n$1\r\na\r\n", false},
		{"sorted keeps length", cmpSorted, "*1\r\n$1\r\na\r\n", "*2\r\n$1\r\na\r\n$1\r\na\r\n", false},
		{"pairs ignore pair order", cmpPairs, "*4\r\n+f\r\n+1\r\n+g\r\n+2\r\n", "*4\r\n+g\r\n+2\r\n+f\r\n+1\r\n", true},
		{"pairs keep pairing", cmpPairs, "*4\r\n+f\r\n+1\r\n+g\r\n+2\r\n", "*4\r\n+f\r\n+2\r\n+g\r\n+1\r\n", false},
		{"resp3 map as pairs", cmpSorted, "%2\r\n+f\r\n+1\r\n+g\r\n+2\r\n", "%2\r\n+g\r\n+2\r\n+f\r\n+1\r\n", true},
		{"nested pairs", cmpPairs, "*2\r\n*2\r\n+f\r\n,1\r\n*2\r\n+g\r\n,2\r\n", "*2\r\n*2\r\n+g\r\n,2\r\n*2\r\n+f\r\n,1\r\n", true},
		{"sign folds positives", cmpSign, ":100\r\n", ":99\r\n", true},
		{"sign keeps -1", cmpSign, ":-1\r\n", ":5\r\n", false},
		{"sign keeps -2", cmpSign, ":-1\r\n", ":-2\r\n", false},
		{"shape ignores values", cmpShape, "$1\r\na\r\n", "$2\r\nbc\r\n", true},
		{"shape keeps null", cmpShape, "$1\r\na\r\n", "$-1\r\n", false},
		{"shape keeps length", cmpShape, "*1\r\n:1\r\n", "*2\r\n:1\r\n:2\r\n", false},
		{"errors always exact", cmpShape, "-ERR a\r\n", "-ERR b\r\n", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a, b := parseOne(t, c.a), parseOne(t, c.b)
			if got := diffCanonical(a, c.mode) == diffCanonical(b, c.mode); got != c.equal {
				t.Fatalf("%q and %q equal under mode %d: %v, want %v", c.a, c.b, c.mode, got, c.equal)
			}
		})
	}
}

func parseOne(t *testing.T, s string) respReply {
	t.Helper()
	rep, err := (&respReader{r: bufio.NewReader(strings.NewReader(s))}).read()
	if err != nil {
		t.Fatalf("parse %q: %v", s, err)
	}
	return rep
}
