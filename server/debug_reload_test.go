package server

import "testing"

// fakeFunctions is a FunctionCounter with a fixed count.
type fakeFunctions int

func (f fakeFunctions) FunctionCount() (int, int) { return int(f), int(f) }

// TestDebugReload: Redis 7.0.15's replies (as the suite's functions unit
// uses them): OK, except NOFLUSH without MERGE when keys or libraries are
// loaded, and unknown options.
func TestDebugReload(t *testing.T) {
	const loadErr = "-ERR Error trying to load the RDB dump\r\n"
	const optErr = "-ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.\r\n"
	r := dialRaw(t, startServer(t))
	runExchanges(t, r, []exchange{
		{"empty noflush", []string{"DEBUG", "RELOAD", "NOFLUSH"}, "+OK\r\n"},
		{"plain", []string{"DEBUG", "reload"}, "+OK\r\n"},
		{"bad option", []string{"DEBUG", "RELOAD", "bogus"}, optErr},
		{"set", []string{"SET", "k", "v"}, "+OK\r\n"},
		{"keys noflush", []string{"DEBUG", "RELOAD", "noflush"}, loadErr},
		{"keys noflush merge", []string{"DEBUG", "RELOAD", "NOSAVE", "NOFLUSH", "MERGE"}, "+OK\r\n"},
		{"kept", []string{"GET", "k"}, "$1\r\nv\r\n"},
	})
	withLibs := startServerWith(t, func(c *Config) { c.Functions = fakeFunctions(1) })
	runExchanges(t, dialRaw(t, withLibs.addr), []exchange{
		{"libraries noflush", []string{"DEBUG", "RELOAD", "NOFLUSH"}, loadErr},
		{"libraries nosave", []string{"DEBUG", "RELOAD", "NOSAVE"}, "+OK\r\n"},
	})
}
