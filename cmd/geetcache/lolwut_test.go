package main

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestLolwutMatchesRedis: LOLWUT beside redis-server 7.0.15, in RESP2 and
// RESP3. Pictures without random parts (a Schotter of at most two rows of
// squares), the version line and the errors are Redis's to the byte; the
// random ones have Redis's size, footer and first rows; a picture whose
// canvas Redis would make hundreds of MB is cut to a bounded one.
func TestLolwutMatchesRedis(t *testing.T) {
	redisAddr, gcAddr := startRedisServer(t), startNode(t).addr()
	exact := [][]string{{"LOLWUT"}, {"LOLWUT", "VERSION", "7"}, {"LOLWUT", "VERSION", "-1"}, {"LOLWUT", "foo", "bar"},
		{"LOLWUT", "VERSION"}, {"LOLWUT", "VERSION", "x"}, {"LOLWUT", "VERSION", "5", "x"}, {"LOLWUT", "VERSION", "6", "1", "x"},
		{"LOLWUT", "VERSION", "4294967301", "20", "3", "2"}, {"lolwut", "version", "5", "40", "4", "2"},
		{"LOLWUT", "VERSION", "5", "0", "0", "1"}, {"LOLWUT", "VERSION", "5", "1000", "200", "2"},
		{"LOLWUT", "VERSION", "5", "-5", "-5", "-5"}, {"LOLWUT", "VERSION", "5", "3", "7", "1"}}
	random := [][]string{{"LOLWUT", "VERSION", "5"}, {"LOLWUT", "VERSION", "6"}, {"LOLWUT", "VERSION", "6", "33", "7"},
		{"LOLWUT", "VERSION", "5", "50", "3", "9"}}
	for _, proto := range []int{2, 3} {
		p := newDiffPair(t, proto, redisAddr, gcAddr)
		p.requireSame(t, fmt.Sprintf("RESP%d", proto), exact)
		fromRedis, fromGC := p.batch(t, random)
		for i, cmd := range random {
			if !sameLolwutShape(fromGC[i], fromRedis[i], cmd[2] == "5") {
				t.Errorf("RESP%d %q: not Redis's shape:\n geetcache %q\n     redis %q", proto, cmd, fromGC[i].raw, fromRedis[i].raw)
			}
		}
	}
	c := newDiffPair(t, 2, redisAddr, gcAddr).gc
	rep, err := c.roundTrip([]string{"LOLWUT", "VERSION", "5", "1000", "1", "200"})
	if err != nil || len(rep.raw) > 4<<20 || !bytes.HasSuffix(rep.raw, []byte("Redis ver. 7.0.15\n\r\n")) {
		t.Errorf("LOLWUT VERSION 5 1000 1 200 (an 800 MB canvas in Redis): %d bytes ending %q (%v)",
			len(rep.raw), rep.raw[max(len(rep.raw)-40, 0):], err)
	}
}

// sameLolwutShape: as many rows, each as many cells wide (Braille
// characters, or colour escapes around a space), the same footer, and for a
// Schotter the same first rows (its first two rows of squares never move).
func sameLolwutShape(gc, redis respReply, schotter bool) bool {
	text := func(r respReply) []string {
		return strings.Split(strings.TrimPrefix(bulkText(r), "txt:"), "\n")
	}
	got, want := text(gc), text(redis)
	footer := 3 // two lines of text, then the last newline's empty string
	if schotter {
		footer = 2
	}
	if len(got) != len(want) || len(got) < footer+4 || !slices.Equal(got[len(got)-footer:], want[len(want)-footer:]) {
		return false
	}
	cells := func(line string) int {
		if schotter {
			return utf8.RuneCountInString(line)
		}
		return strings.Count(line, "\033[0m")
	}
	for j := range len(got) - footer {
		if cells(got[j]) != cells(want[j]) {
			return false
		}
	}
	return !schotter || slices.Equal(got[:4], want[:4])
}
