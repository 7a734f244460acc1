package scripting

import (
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// functionFlags are the flags register_function takes, in the order
// Redis 7.0 lists them (FUNCTION LIST).
var functionFlags = []struct {
	name string
	flag ScriptFlags
}{{"no-writes", FlagNoWrites}, {"allow-oom", FlagAllowOOM}, {"allow-stale", FlagAllowStale},
	{"no-cluster", FlagNoCluster}, {"allow-cross-slot-keys", FlagAllowCrossSlot}}

// functionFlagNames returns the names of the function flags set in f.
func functionFlagNames(f ScriptFlags) []string {
	names := []string{}
	for _, ff := range functionFlags {
		if f&ff.flag != 0 {
			names = append(names, ff.name)
		}
	}
	return names
}

// functionFlag returns the flag named name (any case, as Redis's
// register_function reads them).
func functionFlag(name string) (ScriptFlags, bool) {
	for _, ff := range functionFlags {
		if strings.EqualFold(ff.name, name) {
			return ff.flag, true
		}
	}
	return 0, false
}

// Library is a loaded function library. It never changes once loaded: a
// FUNCTION LOAD REPLACE makes a new one. Its compiled code is shared,
// read-only, by every call to its functions.
type Library struct {
	Name      string
	Code      []byte      // the FUNCTION LOAD payload, shebang included
	Functions []*Function // in registration order
	proto     *lua.FunctionProto
	sum       string // SHA-1 of Code
}

// Engine is the library's engine name as FUNCTION LIST shows it.
func (l *Library) Engine() string { return "LUA" }

// Function is one function of a library.
type Function struct {
	Name    string // as registered; looked up in any case
	Desc    string
	HasDesc bool // a description was given (FUNCTION LIST shows null otherwise)
	Flags   ScriptFlags
	Lib     *Library
	index   int // position in Lib.Functions: the callback's registration order
}
