package scripting

import (
	"strings"

	lua "github.com/yuin/gopher-lua"

	"github.com/geetcache/geetcache/protocol"
)

// register is redis.register_function: positional (name, callback) or a
// table of named arguments (function_name, callback, description, flags),
// checked as Redis 7.0's luaRegisterFunction does. It may only be called
// while the library's code runs.
func (api *libraryAPI) register(L *lua.LState) int {
	r := api.current
	if r == nil {
		raiseRedis(L, protocol.ErrFuncRegisterOnlyLoad)
	}
	var fn *Function
	var cb *lua.LFunction
	switch L.GetTop() {
	case 1:
		fn, cb = namedRegisterArgs(L)
	case 2:
		fn, cb = positionalRegisterArgs(L)
	default:
		raiseRedis(L, protocol.ErrFuncRegisterArgc)
	}
	if !validName(fn.Name) {
		raiseRedis(L, protocol.ErrFuncBadName)
	}
	for _, other := range r.fns {
		if other.Name == fn.Name {
			raiseRedis(L, protocol.ErrFuncDupInLibrary)
		}
	}
	fn.Lib, fn.index = r.lib, len(r.fns)
	r.fns, r.cbs = append(r.fns, fn), append(r.cbs, cb)
	return 0
}

// positionalRegisterArgs reads register_function(name, callback).
func positionalRegisterArgs(L *lua.LState) (*Function, *lua.LFunction) {
	name, ok := luaString(L.Get(1))
	if !ok {
		raiseRedis(L, protocol.ErrFuncRegisterNameType)
	}
	cb, ok := L.Get(2).(*lua.LFunction)
	if !ok {
		raiseRedis(L, protocol.ErrFuncRegisterFnType)
	}
	return &Function{Name: name}, cb
}

// namedRegisterArgs reads register_function{function_name=..., callback=...,
// description=..., flags={...}}; the keys are read in any case.
func namedRegisterArgs(L *lua.LState) (*Function, *lua.LFunction) {
	t, ok := L.Get(1).(*lua.LTable)
	if !ok {
		raiseRedis(L, protocol.ErrFuncRegisterSingleArg)
	}
	fn := &Function{}
	var cb *lua.LFunction
	named := false
	// Next walks the table in insertion order (ForEach would walk Go maps
	// in random order, and the first bad argument names the error).
	for k, v := t.Next(lua.LNil); k != lua.LNil; k, v = t.Next(k) {
		key, ok := luaString(k)
		if !ok {
			raiseRedis(L, protocol.ErrFuncRegisterKeyType)
		}
		switch strings.ToLower(key) {
		case "function_name":
			if fn.Name, ok = luaString(v); !ok {
				raiseRedis(L, protocol.ErrFuncRegisterNameArg)
			}
			named = true
		case "description":
			if fn.Desc, ok = luaString(v); !ok {
				raiseRedis(L, protocol.ErrFuncRegisterDescArg)
			}
			fn.HasDesc = true
		case "callback":
			if cb, ok = v.(*lua.LFunction); !ok {
				raiseRedis(L, protocol.ErrFuncRegisterFnArg)
			}
		case "flags":
			fn.Flags = registerFlags(L, v)
		default:
			raiseRedis(L, protocol.ErrFuncRegisterUnknown)
		}
	}
	if !named {
		raiseRedis(L, protocol.ErrFuncRegisterNoName)
	}
	if cb == nil {
		raiseRedis(L, protocol.ErrFuncRegisterNoFn)
	}
	return fn, cb
}

// registerFlags reads a flags table: the strings at 1, 2, ... up to the
// first nil, each a flag name in any case.
func registerFlags(L *lua.LState, v lua.LValue) ScriptFlags {
	t, ok := v.(*lua.LTable)
	if !ok {
		raiseRedis(L, protocol.ErrFuncRegisterFlagsArg)
	}
	var flags ScriptFlags
	for i := 1; ; i++ {
		item := t.RawGetInt(i)
		if item == lua.LNil {
			return flags
		}
		name, ok := luaString(item)
		f, known := functionFlag(name)
		if !ok || !known {
			raiseRedis(L, protocol.ErrFuncRegisterFlag)
		}
		flags |= f
	}
}

// luaString converts v as Lua's lua_tostring does: strings as they are,
// numbers formatted; anything else is not a string.
func luaString(v lua.LValue) (string, bool) {
	switch v := v.(type) {
	case lua.LString:
		return string(v), true
	case lua.LNumber:
		return v.String(), true
	}
	return "", false
}
