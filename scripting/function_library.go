package scripting

import (
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// FunctionFlags are the flags a function is registered with
// (redis.register_function{..., flags={...}}).
type FunctionFlags uint8

// The function flags, in the order Redis 7.0 lists them.
const (
	FnNoWrites FunctionFlags = 1 << iota
	FnAllowOOM
	FnAllowStale
	FnNoCluster
	FnAllowCrossSlotKeys
)

var functionFlagNames = []string{"no-writes", "allow-oom", "allow-stale", "no-cluster", "allow-cross-slot-keys"}

// Names returns the set flags' names, in Redis's order.
func (f FunctionFlags) Names() []string {
	names := []string{}
	for i, n := range functionFlagNames {
		if f&(1<<i) != 0 {
			names = append(names, n)
		}
	}
	return names
}

// functionFlag returns the flag named name (any case).
func functionFlag(name string) (FunctionFlags, bool) {
	for i, n := range functionFlagNames {
		if strings.EqualFold(n, name) {
			return 1 << i, true
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
}

// Engine is the library's engine name as FUNCTION LIST shows it.
func (l *Library) Engine() string { return "LUA" }

// Function is one function of a library.
type Function struct {
	Name    string // as registered; looked up in any case
	Desc    string
	HasDesc bool // a description was given (FUNCTION LIST shows null otherwise)
	Flags   FunctionFlags
	Lib     *Library
	index   int // position in Lib.Functions: the callback's registration order
}
