package main

import (
	"fmt"
	"testing"
)

// TestModuleMatchesRedis: MODULE beside redis-server 7.0.15 given the same
// enable-module-command, in RESP2 and RESP3. By default (Redis's no) LOAD,
// LOADEX and UNLOAD are refused once their arity is right, inside MULTI
// too (EXECABORT); LIST answers that no module is loaded; with yes loading
// one fails with Redis's error and unloading finds none; a script may not
// call MODULE.
func TestModuleMatchesRedis(t *testing.T) {
	cmds := [][]string{{"MODULE", "LIST"}, {"MODULE", "HELP"}, {"MODULE", "LOAD", "/nonexistent/m.so"},
		{"MODULE", "LOAD", "/nonexistent/m.so", "a", "b"},
		{"MODULE", "LOADEX", "/nonexistent/m.so", "CONFIG", "name", "value", "ARGS", "1"},
		{"MODULE", "LOADEX", "/nonexistent/m.so", "CONFIG", "name"}, {"MODULE", "UNLOAD", "search"},
		{"MODULE", "LIST", "x"}, {"MODULE", "UNLOAD"}, {"MODULE", "LOAD"}, {"MODULE", "foo"}, {"MODULE"},
		{"module", "list"}, {"EVAL", "return redis.pcall('module', 'list')", "0"},
		{"MULTI"}, {"MODULE", "LIST"}, {"MODULE", "UNLOAD", "search"}, {"EXEC"}}
	for _, setting := range []string{"", "yes", "no"} {
		var args []string
		if setting != "" {
			args = []string{"--enable-module-command", setting}
		}
		redisAddr, gcAddr := startRedisServer(t, args...), startNode(t, args...).addr()
		for _, proto := range []int{2, 3} {
			p := newDiffPair(t, proto, redisAddr, gcAddr)
			p.requireSame(t, fmt.Sprintf("enable-module-command %q, RESP%d", setting, proto), cmds)
		}
	}
}
