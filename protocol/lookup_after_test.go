package protocol

import (
	"strings"
	"testing"
)

// TestLookupAfter: LookupAfter answers what Lookup does, whatever the
// command before was.
func TestLookupAfter(t *testing.T) {
	table := DataTable()
	set, get := table.Lookup([]byte("set")), table.Lookup([]byte("get"))
	for _, tc := range []struct {
		prev *Command
		name string
		want *Command
	}{
		{nil, "SET", set},
		{set, "set", set},
		{set, "SeT", set},
		{set, "get", get},
		{get, "GETSET", table.Lookup([]byte("getset"))},
		{set, "SETX", nil},
		{set, "se", nil},
		{set, "", nil},
		{set, strings.Repeat("s", 40), nil},
		{nil, "nosuchcommand", nil},
	} {
		if got := table.LookupAfter(tc.prev, []byte(tc.name)); got != tc.want {
			t.Errorf("LookupAfter(%v, %q) = %v, want %v", name(tc.prev), tc.name, name(got), name(tc.want))
		}
	}
}

func name(c *Command) string {
	if c == nil {
		return "nil"
	}
	return c.Name
}

// BenchmarkLookup: a run of one command, looked up by name each time
// (map) or after the one before (after).
func BenchmarkLookup(b *testing.B) {
	table := DataTable()
	name := []byte("SET")
	b.Run("map", func(b *testing.B) {
		for b.Loop() {
			table.Lookup(name)
		}
	})
	b.Run("after", func(b *testing.B) {
		prev := table.Lookup(name)
		for b.Loop() {
			prev = table.LookupAfter(prev, name)
		}
	})
}
