package protocol

import (
	"math"
	"strconv"
	"strings"
	"testing"
)

// TestStringsCommandTable compares each command's row with Redis 7.0.15's
// COMMAND INFO (arity, flags, key positions) and COMMAND DOCS (group,
// since, summary).
func TestStringsCommandTable(t *testing.T) {
	want := []struct {
		name                  string
		arity                 int
		flags                 string
		first, last, step     int
		group, since, summary string
	}{
		{"get", 2, "readonly fast", 1, 1, 1, "string", "1.0.0", "Get the value of a key"},
		{"set", -3, "write denyoom", 1, 1, 1, "string", "1.0.0", "Set the string value of a key"},
		{"setnx", 3, "write denyoom fast", 1, 1, 1, "string", "1.0.0", "Set the value of a key, only if the key does not exist"},
		{"setex", 4, "write denyoom", 1, 1, 1, "string", "2.0.0", "Set the value and expiration of a key"},
		{"psetex", 4, "write denyoom", 1, 1, 1, "string", "2.6.0", "Set the value and expiration in milliseconds of a key"},
		{"mget", -2, "readonly fast", 1, -1, 1, "string", "1.0.0", "Get the values of all the given keys"},
		{"mset", -3, "write denyoom", 1, -1, 2, "string", "1.0.1", "Set multiple keys to multiple values"},
		{"msetnx", -3, "write denyoom", 1, -1, 2, "string", "1.0.1", "Set multiple keys to multiple values, only if none of the keys exist"},
		{"getset", 3, "write denyoom fast", 1, 1, 1, "string", "1.0.0", "Set the string value of a key and return its old value"},
		{"getdel", 2, "write fast", 1, 1, 1, "string", "6.2.0", "Get the value of a key and delete the key"},
		{"getex", -2, "write fast", 1, 1, 1, "string", "6.2.0", "Get the value of a key and optionally set its expiration"},
		{"append", 3, "write denyoom fast", 1, 1, 1, "string", "2.0.0", "Append a value to a key"},
		{"strlen", 2, "readonly fast", 1, 1, 1, "string", "2.2.0", "Get the length of the value stored in a key"},
		{"getrange", 4, "readonly", 1, 1, 1, "string", "2.4.0", "Get a substring of the string stored at a key"},
		{"substr", 4, "readonly", 1, 1, 1, "string", "1.0.0", "Get a substring of the string stored at a key"},
		{"setrange", 4, "write denyoom", 1, 1, 1, "string", "2.2.0", "Overwrite part of a string at key starting at the specified offset"},
		{"incr", 2, "write denyoom fast", 1, 1, 1, "string", "1.0.0", "Increment the integer value of a key by one"},
		{"decr", 2, "write denyoom fast", 1, 1, 1, "string", "1.0.0", "Decrement the integer value of a key by one"},
		{"incrby", 3, "write denyoom fast", 1, 1, 1, "string", "1.0.0", "Increment the integer value of a key by the given amount"},
		{"decrby", 3, "write denyoom fast", 1, 1, 1, "string", "1.0.0", "Decrement the integer value of a key by the given number"},
		{"incrbyfloat", 3, "write denyoom fast", 1, 1, 1, "string", "2.6.0", "Increment the float value of a key by the given amount"},
		{"lcs", -3, "readonly", 1, 2, 1, "string", "7.0.0", "Find longest common substring"},
	}
	table := DataTable()
	for _, w := range want {
		t.Run(w.name, func(t *testing.T) {
			c := table.Lookup([]byte(w.name))
			if c == nil {
				t.Fatal("not registered")
			}
			flags := strings.Join(c.Flags.Names(), " ")
			if c.Arity != w.arity || flags != w.flags || c.FirstKey != w.first || c.LastKey != w.last || c.Step != w.step {
				t.Errorf("got %d %q %d %d %d, want %d %q %d %d %d", c.Arity, flags, c.FirstKey, c.LastKey, c.Step,
					w.arity, w.flags, w.first, w.last, w.step)
			}
			if c.Group != w.group || c.Since != w.since || c.Summary != w.summary {
				t.Errorf("docs: got %q %q %q", c.Group, c.Since, c.Summary)
			}
		})
	}
}

// TestStringsCopyOnWrite checks that in-place edits never show through a
// frozen snapshot.
func TestStringsCopyOnWrite(t *testing.T) {
	tests := []struct {
		name, cmd, after string
	}{
		{"append", "APPEND k xyz", "abcxyz"},
		{"setrange", "SETRANGE k 1 Z", "aZc"},
		{"setrange grows", "SETRANGE k 4 Z", "abc\x00Z"},
		{"getex persist", "GETEX k PERSIST", "abc"},
		{"set", "SET k new", "new"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newStringsHarness(t)
			h.do("SET", "k", "abc", "EX", "100")
			frozen := h.ks.Freeze()
			h.do(splitQuoted(t, tc.cmd)...)
			e := frozen.Lookup("k", h.now)
			if got := string(e.Value.(interface{ Bytes() []byte }).Bytes()); got != "abc" || e.ExpireAt == 0 {
				t.Errorf("snapshot changed: %q, expire %d", got, e.ExpireAt)
			}
			if got := h.do("GET", "k"); got != "$"+strconv.Itoa(len(tc.after))+"\r\n"+tc.after+"\r\n" {
				t.Errorf("live value: %q", got)
			}
		})
	}
}

// TestStringsCopyArguments checks that stored values never alias the
// arguments, which alias the log entry's buffer.
func TestStringsCopyArguments(t *testing.T) {
	tests := []struct {
		name string
		args []string
		key  string
	}{
		{"set", []string{"SET", "k", "value"}, "k"},
		{"setnx", []string{"SETNX", "k", "value"}, "k"},
		{"setex", []string{"SETEX", "k", "10", "value"}, "k"},
		{"getset", []string{"GETSET", "k", "value"}, "k"},
		{"mset", []string{"MSET", "a", "x", "k", "value"}, "k"},
		{"msetnx", []string{"MSETNX", "a", "x", "k", "value"}, "k"},
		{"append new", []string{"APPEND", "k", "value"}, "k"},
		{"setrange new", []string{"SETRANGE", "k", "0", "value"}, "k"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newStringsHarness(t)
			argv := make([][]byte, len(tc.args))
			for i, a := range tc.args {
				argv[i] = []byte(a)
			}
			c := &Ctx{Args: argv, DB: h.ks, Now: h.now, Out: &Writer{}, Rand: fixedRand{}}
			h.table.Lookup(argv[0]).Handler.ServeRESP(c)
			for _, a := range argv {
				for i := range a {
					a[i] = '#'
				}
			}
			if got := h.do("GET", tc.key); got != "$5\r\nvalue\r\n" {
				t.Errorf("stored value changed with the arguments: %q", got)
			}
		})
	}
}

// TestStringsLCSBound checks that LCS refuses a table beyond maxLCSCells
// ((6000+1) × (5591+1) cells is just over 2^25) with Redis's
// allocation-failure error instead of allocating it.
func TestStringsLCSBound(t *testing.T) {
	h := newStringsHarness(t)
	h.check([][2]string{
		{"SETRANGE a 5999 x", ":6000|"},
		{"SETRANGE b 5590 x", ":5591|"},
		{"LCS a b LEN", "-" + ErrLCSMemory + "|"},
		{"LCS a a IDX", "-" + ErrLCSMemory + "|"},
		{"SETRANGE c 999 x", ":1000|"},
		{"LCS a c LEN", ":1000|"},
	})
}

type fixedRand struct{}

func (fixedRand) Int64N(n int64) int64 { return 0 }

func TestStringLenOK(t *testing.T) {
	tests := []struct {
		name      string
		size, add int64
		ok        bool
	}{
		{"empty", 0, 0, true},
		{"exactly 512MB", 512 << 20, 0, true},
		{"append to the limit", 512<<20 - 1, 1, true},
		{"one byte over", 512 << 20, 1, false},
		{"offset over", 0, 512<<20 + 1, false},
		{"overflow", math.MaxInt64, 1, false},
		{"huge both", 1 << 62, 1 << 62, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := stringLenOK(tc.size, tc.add); got != tc.ok {
				t.Errorf("stringLenOK(%d, %d) = %v", tc.size, tc.add, got)
			}
		})
	}
}
