package protocol

import (
	"math"
	"strconv"

	"github.com/geetcache/geetcache/datatypes"
)

// scanCommands list keys by pattern.
var scanCommands = []*Command{
	{Name: "keys", Arity: 2, Flags: Readonly,
		Group: "generic", Since: "1.0.0", Summary: "Find all keys matching the given pattern",
		Handler: HandlerFunc(keysCmd)},
	{Name: "scan", Arity: -2, Flags: Readonly,
		Group: "generic", Since: "2.8.0", Summary: "Incrementally iterate the keys space",
		Handler: HandlerFunc(scanCmd)},
}

// KEYS pattern: keys in keyspace order (Redis leaves the order unspecified;
// this one is the same on every replica).
func keysCmd(c *Ctx) {
	m := newKeyMatcher(c.Args[1])
	var keys []string
	c.DB.Ascend(0, func(e *datatypes.Entry) bool {
		if !e.Expired(c.Now) && m.match(e.Key) {
			keys = append(keys, e.Key)
		}
		return true
	})
	replyKeys(c, keys)
}

func replyKeys(c *Ctx, keys []string) {
	c.Out.Array(len(keys))
	for _, k := range keys {
		c.Out.BulkString(k)
	}
}

// keyMatcher is a KEYS or SCAN MATCH pattern. The pattern "*" matches every
// key, the empty key included, without calling the matcher (which never
// matches "" with a non-empty pattern), as Redis does.
type keyMatcher struct {
	pattern string
	all     bool
}

func newKeyMatcher(pattern []byte) keyMatcher {
	return keyMatcher{pattern: string(pattern), all: len(pattern) == 1 && pattern[0] == '*'}
}

func (m keyMatcher) match(key string) bool {
	return m.all || datatypes.MatchGlob(m.pattern, key, false)
}

// scanOptions are SCAN's MATCH, COUNT and TYPE.
type scanOptions struct {
	match   keyMatcher
	count   int64
	typ     []byte // nil: any type
	hasType bool
}

// SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]
//
// The cursor is the key hash to resume from: keys are ordered by
// (hash, key), so a scan visits hashes in increasing order and returns the
// hash of the first entry it did not visit. Every key present for the whole
// scan is returned at least once, whatever is added or removed meanwhile.
func scanCmd(c *Ctx) {
	cursor, ok := parseScanCursor(c.Args[1])
	if !ok {
		c.Out.Error(ErrInvalidCursor)
		return
	}
	opt, ok := parseScanOptions(c, c.Args[2:])
	if !ok {
		return
	}
	keys, next := scanKeys(c, cursor, opt)
	c.Out.Array(2)
	c.Out.BulkString(strconv.FormatUint(next, 10))
	replyKeys(c, keys)
}

// scanKeys examines about opt.count entries from cursor on, never stopping
// inside a run of equal hashes, and returns the live ones that pass the
// filters with the next cursor (0 when the keyspace is exhausted).
func scanKeys(c *Ctx, cursor uint64, opt scanOptions) (keys []string, next uint64) {
	var examined int64
	var last uint64
	c.DB.Ascend(cursor, func(e *datatypes.Entry) bool {
		if examined >= opt.count && e.Hash() != last {
			next = e.Hash()
			return false
		}
		examined, last = examined+1, e.Hash()
		if opt.wants(e, c.Now) {
			keys = append(keys, e.Key)
		}
		return true
	})
	return keys, next
}

func (o *scanOptions) wants(e *datatypes.Entry, now int64) bool {
	if e.Expired(now) || !o.match.match(e.Key) {
		return false
	}
	return !o.hasType || EqualFold(o.typ, e.Value.Kind().String())
}

// parseScanOptions parses SCAN's options in order; the last of each wins.
func parseScanOptions(c *Ctx, args [][]byte) (scanOptions, bool) {
	opt := scanOptions{match: keyMatcher{all: true}, count: 10}
	for i := 0; i < len(args); i += 2 {
		if i+1 >= len(args) {
			c.Out.Error(ErrSyntax)
			return opt, false
		}
		switch val := args[i+1]; {
		case optionIs(args[i], "count"):
			n, ok := ParseInt(val)
			if !ok {
				c.Out.Error(ErrNotInteger)
				return opt, false
			}
			if n < 1 {
				c.Out.Error(ErrSyntax)
				return opt, false
			}
			opt.count = n
		case optionIs(args[i], "match"):
			opt.match = newKeyMatcher(val)
		case optionIs(args[i], "type"):
			// Redis compares the type name as a C string, case-insensitively;
			// an unknown name is no error, it just matches nothing.
			opt.typ, opt.hasType = cString(val), true
		default:
			c.Out.Error(ErrSyntax)
			return opt, false
		}
	}
	return opt, true
}

// parseScanCursor parses a cursor as Redis does with strtoul: the argument
// read as a C string (up to a NUL byte), no leading space, an optional sign
// ("-n" wraps around), decimal digits, within 64 bits; "" is 0.
func parseScanCursor(arg []byte) (uint64, bool) {
	s := cString(arg)
	if len(s) == 0 {
		return 0, true
	}
	neg := s[0] == '-'
	if neg || s[0] == '+' {
		s = s[1:]
	}
	if len(s) == 0 {
		return 0, false
	}
	var v uint64
	for _, ch := range s {
		if ch < '0' || ch > '9' || v > (math.MaxUint64-uint64(ch-'0'))/10 {
			return 0, false
		}
		v = v*10 + uint64(ch-'0')
	}
	if neg {
		v = -v
	}
	return v, true
}
