package main

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
)

// diffTally counts Redis's replies per command name, to show how much of the
// stream exercised real work rather than error paths. A stream where most
// replies are WRONGTYPE tests little else: that is what the families'
// home keys are for.
type diffTally map[string]*diffCounts

type diffCounts struct{ replies, errors, wrongType int }

// add counts one reply, given as raw RESP (a SCAN walk's canonical form
// starts with '-' exactly when the walk failed).
func (t diffTally) add(name string, raw []byte) {
	name = strings.ToUpper(name)
	c := t[name]
	if c == nil {
		c = &diffCounts{}
		t[name] = c
	}
	c.replies++
	if raw[0] == '-' || raw[0] == '!' {
		c.errors++
		if strings.HasPrefix(string(raw[1:]), "WRONGTYPE") {
			c.wrongType++
		}
	}
}

// log writes the totals and, with GEETCACHE_DIFF_STATS=1, one line per
// command.
func (t diffTally) log(tb testing.TB) {
	var sum diffCounts
	var lines []string
	for name, c := range t {
		sum.replies += c.replies
		sum.errors += c.errors
		sum.wrongType += c.wrongType
		lines = append(lines, fmt.Sprintf("%-18q %6d replies %6d errors %6d WRONGTYPE", name, c.replies, c.errors, c.wrongType))
	}
	tb.Logf("replies: %d, errors: %d, WRONGTYPE: %d, distinct commands: %d",
		sum.replies, sum.errors, sum.wrongType, len(t))
	if os.Getenv("GEETCACHE_DIFF_STATS") != "" {
		slices.Sort(lines)
		tb.Logf("per command:\n%s", strings.Join(lines, "\n"))
	}
}
