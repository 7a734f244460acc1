package main

// RESP plumbing for the differential test: a reader that keeps every reply's
// exact bytes and its tree, and the canonical forms replies are compared in.

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// respReply is one RESP2 or RESP3 reply: its exact bytes, its type byte, and
// for aggregates its elements (a map's keys and values alternate).
type respReply struct {
	raw   []byte
	kind  byte
	null  bool
	elems []respReply
	start int // offsets into the reader's buffer while the reply is read
	end   int
}

// respReader reads whole replies from a connection.
type respReader struct {
	r   *bufio.Reader
	buf []byte
}

// maxDiffReply bounds one reply's declared length: the test never asks for
// anything near it, so a bigger one is a protocol error.
const maxDiffReply = 64 << 20

var errBadReply = errors.New("malformed RESP reply")

// read returns the next complete reply.
func (rr *respReader) read() (respReply, error) {
	rr.buf = nil
	rep, err := rr.node()
	if err != nil {
		return respReply{}, err
	}
	fillRaw(&rep, rr.buf)
	return rep, nil
}

func fillRaw(rep *respReply, buf []byte) {
	rep.raw = buf[rep.start:rep.end]
	for i := range rep.elems {
		fillRaw(&rep.elems[i], buf)
	}
}

func (rr *respReader) node() (respReply, error) {
	start := len(rr.buf)
	line, err := rr.line()
	if err != nil {
		return respReply{}, err
	}
	rep := respReply{kind: line[0], start: start}
	switch rep.kind {
	case '+', '-', ':', ',', '#', '(':
	case '_':
		rep.null = true
	case '$', '!', '=':
		err = rr.bulk(&rep, line)
	case '*', '~', '%', '>':
		err = rr.aggregate(&rep, line)
	default:
		err = fmt.Errorf("%w: type byte %q", errBadReply, rep.kind)
	}
	rep.end = len(rr.buf)
	return rep, err
}

// line reads one CRLF-terminated line into the buffer and returns it
// without the CRLF.
func (rr *respReader) line() ([]byte, error) {
	l, err := rr.r.ReadSlice('\n')
	if err != nil {
		return nil, err
	}
	if len(l) < 3 || l[len(l)-2] != '\r' {
		return nil, fmt.Errorf("%w: line %q", errBadReply, l)
	}
	rr.buf = append(rr.buf, l...)
	return rr.buf[len(rr.buf)-len(l) : len(rr.buf)-2], nil
}

func respLength(line []byte) (int, error) {
	n, err := strconv.Atoi(string(line[1:]))
	if err != nil || n > maxDiffReply {
		return 0, fmt.Errorf("%w: length in %q", errBadReply, line)
	}
	return n, nil
}

func (rr *respReader) bulk(rep *respReply, line []byte) error {
	n, err := respLength(line)
	if err != nil || n < 0 {
		rep.null = n < 0
		return err
	}
	at := len(rr.buf)
	rr.buf = append(rr.buf, make([]byte, n+2)...)
	if _, err := io.ReadFull(rr.r, rr.buf[at:]); err != nil {
		return err
	}
	if !bytes.HasSuffix(rr.buf, []byte("\r\n")) {
		return fmt.Errorf("%w: bulk not terminated by CRLF", errBadReply)
	}
	return nil
}

func (rr *respReader) aggregate(rep *respReply, line []byte) error {
	n, err := respLength(line)
	if err != nil || n < 0 {
		rep.null = n < 0
		return err
	}
	if rep.kind == '%' {
		n *= 2
	}
	rep.elems = make([]respReply, 0, min(n, 1024))
	for range n {
		el, err := rr.node()
		if err != nil {
			return err
		}
		rep.elems = append(rep.elems, el)
	}
	return nil
}

// diffMode says how the two replies to one command are compared.
type diffMode int

const (
	cmpExact  diffMode = iota // byte for byte
	cmpSorted                 // an aggregate whose order Redis leaves unspecified
	cmpPairs                  // field/value (or member/score) pairs in unspecified order
	cmpSign                   // TTL-like: -2, -1, or some non-negative number
	cmpShape                  // random by design: type, nullness and length only
	cmpScan                   // a full SCAN-family walk: the union of what it returned
	// cmpSortNum: a numeric SORT, exact, except that Redis's "One or more
	// scores can't be converted into double" matches any reply: Redis
	// tests a stale errno after strtod (sort.c), so a float error of an
	// earlier command in the same pipeline can fail a SORT of numbers.
	cmpSortNum
	// cmpGeoDist: STOREDIST's distances, every number in the reply compared
	// to 14 significant digits (glibc's sin, cos and asin are off by an ulp
	// where geetcache's are correctly rounded; docs/compatibility.md, GEO).
	cmpGeoDist
)

// sameReply reports whether got (geetcache's) matches want (Redis's) for c.
func sameReply(c diffCmd, want, got respReply) bool {
	if c.mode == cmpSortNum && string(want.raw) == "-ERR One or more scores can't be converted into double\r\n" {
		return true
	}
	return diffCanonical(want, c.mode) == diffCanonical(got, c.mode)
}

// diffCanonical is the form of rep that two servers must agree on under mode.
// Errors are always compared exactly.
func diffCanonical(rep respReply, mode diffMode) string {
	if rep.kind == '-' || rep.kind == '!' {
		return string(rep.raw)
	}
	switch mode {
	case cmpSorted:
		return sortedForm(rep, false)
	case cmpPairs:
		return sortedForm(rep, true)
	case cmpSign:
		return signForm(rep)
	case cmpShape:
		return fmt.Sprintf("%c null=%v len=%d", rep.kind, rep.null, len(rep.elems))
	case cmpGeoDist:
		return roundedForm(rep)
	}
	return string(rep.raw)
}

// sortedForm sorts an aggregate's elements; with pairs, flat elements are
// grouped two by two first (HGETALL in RESP2) while nested ones (RESP3's
// HRANDFIELD WITHVALUES) are already pairs.
func sortedForm(rep respReply, pairs bool) string {
	if rep.null || rep.elems == nil {
		return string(rep.raw)
	}
	step := 1
	if (pairs || rep.kind == '%') && !nestedPairs(rep) {
		step = 2
	}
	var items []string
	for i := 0; i+step <= len(rep.elems); i += step {
		var item []byte
		for _, el := range rep.elems[i : i+step] {
			item = append(item, el.raw...)
		}
		items = append(items, string(item))
	}
	slices.Sort(items)
	return fmt.Sprintf("%c%d\n%s", rep.kind, len(rep.elems), strings.Join(items, ""))
}

// roundedForm writes rep's elements with every number rounded to 14
// significant digits.
func roundedForm(rep respReply) string {
	if rep.elems == nil {
		return string(rep.raw)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%c%d\n", rep.kind, len(rep.elems))
	for _, el := range rep.elems {
		if el.elems != nil {
			b.WriteString(roundedForm(el))
			continue
		}
		s := string(el.raw)
		if i := strings.Index(s, "\r\n"); i >= 0 && (s[0] == '$' || s[0] == ',') {
			text := strings.TrimSuffix(s[i+2:], "\r\n")
			if s[0] == ',' {
				text = s[1:i]
			}
			if f, err := strconv.ParseFloat(text, 64); err == nil {
				s = strconv.FormatFloat(f, 'g', 14, 64)
			}
		}
		b.WriteString(s + "\n")
	}
	return b.String()
}

func nestedPairs(rep respReply) bool {
	return len(rep.elems) > 0 && rep.elems[0].elems != nil
}

// signForm keeps -1 (no TTL) and -2 (no key) and folds every non-negative
// number into one: the two servers' clocks differ.
func signForm(rep respReply) string {
	if rep.kind != ':' {
		return string(rep.raw)
	}
	n, err := strconv.ParseInt(string(rep.raw[1:len(rep.raw)-2]), 10, 64)
	switch {
	case err != nil:
		return string(rep.raw)
	case n < 0:
		return string(rep.raw)
	}
	return ":non-negative"
}

// clipQuote quotes b, cut to n bytes, for a log line.
func clipQuote(b []byte, n int) string {
	if len(b) <= n {
		return strconv.Quote(string(b))
	}
	return strconv.Quote(string(b[:n])) + fmt.Sprintf("...(%d bytes)", len(b))
}
