package server

import (
	"strings"
	"testing"
)

// TestParseShutdown: SHUTDOWN's flags as redis-server 7.0.15 reads them
// (any order, repeats allowed, SAVE with NOSAVE or ABORT with another
// flag a syntax error).
func TestParseShutdown(t *testing.T) {
	for _, tc := range []struct {
		args      string
		req       ShutdownRequest
		abort, ok bool
	}{
		{"", ShutdownRequest{}, false, true},
		{"nosave", ShutdownRequest{NoSave: true}, false, true},
		{"SAVE now FORCE", ShutdownRequest{Save: true, Now: true, Force: true}, false, true},
		{"nosave nosave", ShutdownRequest{NoSave: true}, false, true},
		{"abort", ShutdownRequest{}, true, true},
		{"abort ABORT", ShutdownRequest{}, true, true},
		{"save nosave", ShutdownRequest{}, false, false},
		{"abort now", ShutdownRequest{}, false, false},
		{"now abort", ShutdownRequest{}, false, false},
		{"foo", ShutdownRequest{}, false, false},
	} {
		t.Run(tc.args, func(t *testing.T) {
			var args [][]byte
			for _, f := range strings.Fields(tc.args) {
				args = append(args, []byte(f))
			}
			req, abort, ok := parseShutdown(args)
			if ok != tc.ok || (ok && (req != tc.req || abort != tc.abort)) {
				t.Fatalf("parseShutdown(%q) = %+v, %v, %v; want %+v, %v, %v", tc.args, req, abort, ok, tc.req, tc.abort, tc.ok)
			}
		})
	}
}
