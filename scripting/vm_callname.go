package scripting

import (
	lua "github.com/yuin/gopher-lua"
)

// gopher-lua reports a call of a value that is not a function as "attempt
// to call a non-function object"; Lua 5.1 names what was called, as in
// "attempt to call field 'register_function' (a nil value)". failedCallName
// recovers that name from the failing function's debug information while
// the error handler runs (the frames are still in place): the one call
// instruction on the line the error was raised at, the name gopher-lua's
// compiler recorded for it, and the instruction that loaded the called
// register for its kind. It returns "" when it cannot tell (no call or
// several calls on that line, an expression with no name). The value's
// type is not known here: the caller says "a nil value", the usual case.
func failedCallName(L *lua.LState) string {
	for level := 1; ; level++ {
		dbg, ok := L.GetStack(level)
		if !ok {
			return ""
		}
		fn, err := L.GetInfo("Slf", dbg, lua.LNil)
		if err != nil || dbg.What == "G" || dbg.CurrentLine <= 0 {
			continue
		}
		if f, ok := fn.(*lua.LFunction); ok && f.Proto != nil {
			return callName(f.Proto, dbg.CurrentLine)
		}
		return ""
	}
}

// Instruction fields, as gopher-lua lays them out (opcode.go).
func opCode(inst uint32) int { return int(inst >> 26) }
func opA(inst uint32) int    { return int(inst>>18) & 0xff }

// callName names the callee of p's one call instruction on line, in Lua
// 5.1's words ("global 'f'", "field 'x'", "method 'm'", "upvalue 'u'",
// "local 'f'"), or returns "".
func callName(p *lua.FunctionProto, line int) string {
	pc := -1
	for i, inst := range p.Code {
		if op := opCode(inst); (op == lua.OP_CALL || op == lua.OP_TAILCALL) &&
			i < len(p.DbgSourcePositions) && p.DbgSourcePositions[i] == line {
			if pc >= 0 {
				return ""
			}
			pc = i
		}
	}
	if pc < 0 {
		return ""
	}
	name := ""
	for _, c := range p.DbgCalls {
		if c.Pc == pc {
			name = c.Name
		}
	}
	kind := calleeKind(p.Code, pc)
	if name == "" || name == "?" && kind != "field" { // Lua 5.1 says field '?' for t[k]()
		return ""
	}
	return kind + " '" + name + "'"
}

// calleeKind is the kind of what the call at pc calls, from the last
// instruction before it that wrote the call's register; a register that
// nothing wrote holds a local variable.
func calleeKind(code []uint32, pc int) string {
	a := opA(code[pc])
	for i := pc - 1; i >= 0; i-- {
		if opA(code[i]) != a {
			continue
		}
		switch opCode(code[i]) {
		case lua.OP_GETGLOBAL:
			return "global"
		case lua.OP_GETTABLEKS, lua.OP_GETTABLE:
			return "field"
		case lua.OP_SELF:
			return "method"
		case lua.OP_GETUPVAL:
			return "upvalue"
		case lua.OP_MOVE:
			return "local"
		}
		return "local"
	}
	return "local"
}
