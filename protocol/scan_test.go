package protocol

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

var scanScripts = []keyScript{
	{"scan errors", [][2]string{
		{"SCAN abc", "-ERR invalid cursor|"},
		{"SCAN 1x", "-ERR invalid cursor|"},
		{"SCAN 0x10", "-ERR invalid cursor|"},
		{"SCAN 18446744073709551616", "-ERR invalid cursor|"},
		{"SCAN -18446744073709551616", "-ERR invalid cursor|"},
		{"SCAN +", "-ERR invalid cursor|"},
		{"SCAN abc COUNT 0", "-ERR invalid cursor|"},
		{"SCAN 0 COUNT 0", "-ERR syntax error|"},
		{"SCAN 0 COUNT -1", "-ERR syntax error|"},
		{"SCAN 0 COUNT x", "-ERR value is not an integer or out of range|"},
		{"SCAN 0 COUNT 9223372036854775808", "-ERR value is not an integer or out of range|"},
		{"SCAN 0 COUNT", "-ERR syntax error|"},
		{"SCAN 0 MATCH", "-ERR syntax error|"},
		{"SCAN 0 TYPE", "-ERR syntax error|"},
		{"SCAN 0 foo", "-ERR syntax error|"},
		{"SCAN 0 foo bar", "-ERR syntax error|"},
		{"SCAN 0 COUNT 1 MATCH", "-ERR syntax error|"},
		{"SCAN 0 COUNT x MATCH", "-ERR value is not an integer or out of range|"},
		{"SCAN", "-ERR wrong number of arguments for 'scan' command|"},
	}},
	{"scan one key", [][2]string{
		{"SCAN 0", "*2|$1|0|*0|"},
		{"SET a 1", "+OK|"},
		{"SCAN 0", "*2|$1|0|*1|$1|a|"},
		{"SCAN 00", "*2|$1|0|*1|$1|a|"},
		{"SCAN +0", "*2|$1|0|*1|$1|a|"},
		{"SCAN -0", "*2|$1|0|*1|$1|a|"},
		{"SCAN 0 count 1", "!*2|$1|0|*1|$1|a|"},
		{"SCAN 0 MATCH a* COUNT 100", "*2|$1|0|*1|$1|a|"},
		{"SCAN 0 MATCH b*", "*2|$1|0|*0|"},
		{"SCAN 0 MATCH b* MATCH a", "*2|$1|0|*1|$1|a|"},
		{"SCAN 0 TYPE string", "*2|$1|0|*1|$1|a|"},
		{"SCAN 0 type STRING", "*2|$1|0|*1|$1|a|"},
		{"SCAN 0 TYPE none", "*2|$1|0|*0|"},
		{"SCAN 0 TYPE hash", "*2|$1|0|*0|"},
		{"SCAN 0 TYPE foo", "*2|$1|0|*0|"},
		{"SCAN 0 TYPE foo TYPE string", "*2|$1|0|*1|$1|a|"},
		{"SCAN -18446744073709551615", "!*2|$1|0|*1|$1|a|"},
	}},
	{"keys", [][2]string{
		{"KEYS *", "*0|"},
		{"SET a 1", "+OK|"},
		{"KEYS *", "*1|$1|a|"},
		{"KEYS a", "*1|$1|a|"},
		{"KEYS ?", "*1|$1|a|"},
		{"KEYS [a-c]", "*1|$1|a|"},
		{"KEYS [^a]", "*0|"},
		{"KEYS b*", "*0|"},
		{"SET b 1", "+OK|"},
		{"SET abc 1", "+OK|"},
		{"KEYS a*", "!*2|$3|abc|$1|a|"},
		{"KEYS ?", "!*2|$1|b|$1|a|"},
		{"KEYS", "-ERR wrong number of arguments for 'keys' command|"},
		{"KEYS a b", "-ERR wrong number of arguments for 'keys' command|"},
	}},
}

func TestScanScripts(t *testing.T) { runKeyScripts(t, scanScripts) }

func TestParseScanCursor(t *testing.T) {
	cases := []struct {
		name string
		in   string
		want uint64
		ok   bool
	}{
		{"zero", "0", 0, true},
		{"empty is zero", "", 0, true},
		{"leading zeros", "007", 7, true},
		{"plus sign", "+5", 5, true},
		{"minus zero", "-0", 0, true},
		{"minus wraps", "-1", 1<<64 - 1, true},
		{"max", "18446744073709551615", 1<<64 - 1, true},
		{"minus max", "-18446744073709551615", 1, true},
		{"ends at NUL", "5\x00x", 5, true},
		{"NUL first", "\x00", 0, true},
		{"too big", "18446744073709551616", 0, false},
		{"far too big", "99999999999999999999999", 0, false},
		{"leading space", " 1", 0, false},
		{"leading tab", "\t1", 0, false},
		{"trailing space", "1 ", 0, false},
		{"sign only", "-", 0, false},
		{"sign and space", "+ 1", 0, false},
		{"two signs", "--1", 0, false},
		{"hex", "0x1", 0, false},
		{"letters", "abc", 0, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := parseScanCursor([]byte(tc.in))
			if got != tc.want || ok != tc.ok {
				t.Errorf("parseScanCursor(%q) = %d, %v; want %d, %v", tc.in, got, ok, tc.want, tc.ok)
			}
		})
	}
}

// TestScanArgumentBytes checks arguments Redis reads as C strings and the
// empty key, which only the pattern "*" matches.
func TestScanArgumentBytes(t *testing.T) {
	h := newHarness(t)
	h.do("SET", "", "v")
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"empty cursor", []string{"SCAN", ""}, "*2\r\n$1\r\n0\r\n*1\r\n$0\r\n\r\n"},
		{"cursor ends at NUL", []string{"SCAN", "0\x00junk"}, "*2\r\n$1\r\n0\r\n*1\r\n$0\r\n\r\n"},
		{"option ends at NUL", []string{"SCAN", "0", "count\x00", "5"}, "*2\r\n$1\r\n0\r\n*1\r\n$0\r\n\r\n"},
		{"NUL option", []string{"SCAN", "0", "\x00", "5"}, "-ERR syntax error\r\n"},
		{"type ends at NUL", []string{"SCAN", "0", "TYPE", "string\x00x"}, "*2\r\n$1\r\n0\r\n*1\r\n$0\r\n\r\n"},
		{"match star takes empty key", []string{"SCAN", "0", "MATCH", "*"}, "*2\r\n$1\r\n0\r\n*1\r\n$0\r\n\r\n"},
		{"match stars miss empty key", []string{"SCAN", "0", "MATCH", "**"}, "*2\r\n$1\r\n0\r\n*0\r\n"},
		{"keys star takes empty key", []string{"KEYS", "*"}, "*1\r\n$0\r\n\r\n"},
		{"keys stars miss empty key", []string{"KEYS", "**"}, "*0\r\n"},
		{"keys empty pattern", []string{"KEYS", ""}, "*1\r\n$0\r\n\r\n"},
		{"keys pattern with NUL", []string{"KEYS", "\x00"}, "*0\r\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := h.do(tc.args...); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// parseScanReply splits a SCAN reply into its cursor and keys (keys must
// not hold CR or LF).
func parseScanReply(t testing.TB, reply string) (uint64, []string) {
	t.Helper()
	parts := strings.Split(reply, "\r\n")
	if len(parts) < 5 || parts[0] != "*2" {
		t.Fatalf("bad SCAN reply %q", reply)
	}
	cursor, err := strconv.ParseUint(parts[2], 10, 64)
	if err != nil {
		t.Fatalf("bad cursor in %q", reply)
	}
	var keys []string
	for i := 5; i+1 < len(parts); i += 2 {
		keys = append(keys, parts[i])
	}
	return cursor, keys
}

// scanAll runs a full SCAN with the given options and returns the keys of
// each call.
func scanAll(h *harness, opts ...string) [][]string {
	var calls [][]string
	cursor := uint64(0)
	for {
		next, keys := parseScanReply(h.t, h.do(append([]string{"SCAN", strconv.FormatUint(cursor, 10)}, opts...)...))
		calls = append(calls, keys)
		if next == 0 {
			return calls
		}
		if next <= cursor {
			h.t.Fatalf("cursor went from %d to %d", cursor, next)
		}
		cursor = next
	}
}

func fillKeys(h *harness, n int) []string {
	keys := make([]string, n)
	for i := range keys {
		keys[i] = "key:" + decimal(i)
		h.do("SET", keys[i], "v")
	}
	return keys
}

// TestScanPages checks COUNT bounds each page, cursors increase, and a full
// scan of a keyspace that does not change returns each key exactly once, in
// the same order as KEYS.
func TestScanPages(t *testing.T) {
	h := newHarness(t)
	keys := fillKeys(h, 1000)
	for _, count := range []int{1, 7, 10, 1000, 5000} {
		t.Run("count="+decimal(count), func(t *testing.T) {
			calls := scanAll(h, "COUNT", decimal(count))
			var all []string
			for i, page := range calls {
				if len(page) > count || (len(page) < count && i < len(calls)-1) {
					t.Fatalf("call %d returned %d keys with COUNT %d", i, len(page), count)
				}
				all = append(all, page...)
			}
			if want := keysReply(all); h.do("KEYS", "*") != want {
				t.Error("SCAN order differs from KEYS order")
			}
			slices.Sort(all)
			if !slices.Equal(all, sortedCopy(keys)) {
				t.Errorf("scan returned %d keys, want the %d set", len(all), len(keys))
			}
		})
	}
}

func keysReply(keys []string) string {
	w := &Writer{}
	w.Array(len(keys))
	for _, k := range keys {
		w.BulkString(k)
	}
	return string(w.B)
}

func sortedCopy(s []string) []string {
	c := slices.Clone(s)
	slices.Sort(c)
	return c
}

// TestScanFilters checks MATCH and TYPE filter after examining (a page may
// come back empty with a non-zero cursor) and expired keys are skipped.
func TestScanFilters(t *testing.T) {
	h := newHarness(t)
	fillKeys(h, 100)
	h.do("SET", "other", "v", "PX", "5")
	calls := scanAll(h, "MATCH", "nomatch*", "COUNT", "10")
	if len(calls) < 10 {
		t.Errorf("MATCH nothing over 101 keys, COUNT 10: %d calls, want >= 10", len(calls))
	}
	for _, page := range calls {
		if len(page) != 0 {
			t.Errorf("MATCH nomatch* returned %q", page)
		}
	}
	got := slices.Concat(scanAll(h, "MATCH", "key:1?", "TYPE", "string")...)
	if len(got) != 10 {
		t.Errorf("MATCH key:1? returned %q", got)
	}
	h.advance(6)
	if all := slices.Concat(scanAll(h, "COUNT", "1000")...); slices.Contains(all, "other") || len(all) != 100 {
		t.Errorf("scan after expiry: %d keys, other included: %v", len(all), slices.Contains(all, "other"))
	}
	if got := h.do("KEYS", "o*"); got != "*0\r\n" {
		t.Errorf("KEYS o* after expiry: %q", got)
	}
}

// TestScanUnderChurn is the SCAN guarantee as a property: with keys added
// and removed between calls, every key present from the first call to the
// last is returned at least once.
func TestScanUnderChurn(t *testing.T) {
	for seed := range uint64(20) {
		t.Run("seed="+strconv.FormatUint(seed, 10), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 7))
			h := newHarness(t)
			present := map[string]bool{}
			for i := range 300 {
				k := "k" + decimal(i)
				h.do("SET", k, "v")
				present[k] = true
			}
			stable := map[string]bool{}
			for k := range present {
				stable[k] = true
			}
			seen := map[string]bool{}
			cursor := uint64(0)
			for {
				next, keys := parseScanReply(t, h.do("SCAN", strconv.FormatUint(cursor, 10), "COUNT", decimal(1+rng.IntN(20))))
				for _, k := range keys {
					if !present[k] {
						t.Fatalf("SCAN returned %q, which is not present", k)
					}
					seen[k] = true
				}
				churn(h, rng, present, stable)
				if next == 0 {
					break
				}
				cursor = next
			}
			for k := range stable {
				if !seen[k] {
					t.Errorf("key %q present throughout was never returned", k)
				}
			}
		})
	}
}

// churn adds and deletes a few random keys; a deleted key is no longer
// stable (present for the whole scan).
func churn(h *harness, rng *rand.Rand, present, stable map[string]bool) {
	for range rng.IntN(10) {
		k := "k" + decimal(rng.IntN(600))
		if rng.IntN(2) == 0 {
			h.do("SET", k, "v")
			present[k] = true
			continue
		}
		h.do("DEL", k)
		delete(present, k)
		delete(stable, k)
	}
}

// TestKeysHostilePattern runs KEYS and SCAN MATCH with patterns that take
// exponential time in a naive matcher, over long keys.
func TestKeysHostilePattern(t *testing.T) {
	h := newHarness(t)
	long := strings.Repeat("a", 30000)
	for i := range 5 {
		h.do("SET", long+decimal(i), "v")
	}
	patterns := []string{
		strings.Repeat("a*", 100) + "b",
		strings.Repeat("*a", 5000) + "*b",
		strings.Repeat("*?", 2000) + "[b]",
	}
	for i, p := range patterns {
		start := time.Now()
		if got := h.do("KEYS", p); got != "*0\r\n" {
			t.Errorf("pattern %d: KEYS matched: %.40q", i, got)
		}
		if _, keys := parseScanReply(t, h.do("SCAN", "0", "MATCH", p, "COUNT", "100")); len(keys) != 0 {
			t.Errorf("pattern %d: SCAN matched %d keys", i, len(keys))
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("pattern %d took %v", i, d)
		}
	}
}
