package protocol

import (
	"strings"
	"testing"
)

// FuzzGeoCommands runs GEO commands with fuzzed arguments (words of the
// input, after a command name chosen by its first byte) on a small set of
// points and on a key of another type: every call must reply with one
// well-formed RESP value, never panic, and give the same reply twice (a
// read changes nothing; a write is replayed on a copy of the same state).
func FuzzGeoCommands(f *testing.F) {
	for _, seed := range []string{
		"\x00 1 2 m NX 3 4 n",
		"\x04 15 37 200 km WITHDIST WITHCOORD WITHHASH COUNT 2 ASC",
		"\x06 Palermo 300 km STOREDIST dst COUNT 1 ANY",
		"\x08 FROMLONLAT 15 37 BYBOX 400 400 km DESC",
		"\x09 FROMMEMBER Catania BYRADIUS 1e300 mi STOREDIST",
		"\x02 Palermo Catania ft",
		"\x04 -180 85.05112878 0 m COUNT 9223372036854775807",
	} {
		f.Add([]byte(seed))
	}
	names := []string{"geoadd", "geopos", "geodist", "geohash", "georadius", "georadius_ro",
		"georadiusbymember", "georadiusbymember_ro", "geosearch", "geosearchstore"}
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) == 0 || len(in) > 512 {
			return
		}
		name := names[int(in[0])%len(names)]
		key := "Sicily"
		if in[0]&0x80 != 0 {
			key = "str"
		}
		args := []string{name, key}
		if name == "geosearchstore" {
			args = []string{name, "dst", key}
		}
		args = append(args, strings.Fields(string(in[1:]))...)
		var replies [2]string
		for i := range replies {
			h := newHarness(t)
			h.do("GEOADD", "Sicily", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania")
			h.do("ZADD", "Sicily", "-1.5", "neg", "inf", "big", "4503599627370496", "top")
			h.do("SET", "str", "x")
			replies[i] = h.do(args...)
		}
		if replies[0] != replies[1] {
			t.Fatalf("%q: two replies %q and %q", args, replies[0], replies[1])
		}
		if n := respValueLen(replies[0]); n != len(replies[0]) {
			t.Fatalf("%q: reply %q is not one RESP value (%d of %d bytes)", args, replies[0], n, len(replies[0]))
		}
	})
}

// respValueLen returns the length of the RESP value at the start of s, or
// -1 when it is malformed.
func respValueLen(s string) int {
	end := strings.Index(s, "\r\n")
	if end < 1 {
		return -1
	}
	head, rest := s[:end], end+2
	switch head[0] {
	case '+', '-', ':', ',', '_', '#':
		return rest
	case '$':
		n := atoiOr(head[1:])
		if n < 0 {
			return rest
		}
		if rest+n+2 > len(s) || s[rest+n:rest+n+2] != "\r\n" {
			return -1
		}
		return rest + n + 2
	case '*', '~', '%':
		n := atoiOr(head[1:])
		if head[0] == '%' {
			n *= 2
		}
		for range max(n, 0) {
			l := respValueLen(s[rest:])
			if l < 0 {
				return -1
			}
			rest += l
		}
		return rest
	}
	return -1
}

func atoiOr(s string) int {
	n, ok := ParseInt([]byte(s))
	if !ok {
		return -1 << 30
	}
	return int(n)
}
