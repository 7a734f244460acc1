package scripting

import lua "github.com/yuin/gopher-lua"

// BudgetCoroutines makes coroutine.create and coroutine.wrap in L give the
// thread they make the context of the state that runs them (the script's
// Budget), so that the instructions a coroutine runs are counted, and
// stopped, with the script's own. Without it, gopher-lua gives a thread a
// child context of its own that never counts. Call it once, after the
// coroutine library is opened; a state without one is left alone.
func BudgetCoroutines(L *lua.LState) {
	co, ok := L.GetGlobal(lua.CoroutineLibName).(*lua.LTable)
	if !ok {
		return
	}
	for _, name := range []string{"create", "wrap"} {
		orig, ok := co.RawGetString(name).(*lua.LFunction)
		if !ok || !orig.IsG {
			continue
		}
		co.RawSetString(name, L.NewFunction(withCallerContext(orig.GFunction)))
	}
}

// withCallerContext runs make (coroutine.create or wrap, which leave a
// thread, or a closure over one, on top of the stack) and hands the new
// thread the caller's context.
func withCallerContext(make lua.LGFunction) lua.LGFunction {
	return func(L *lua.LState) int {
		n := make(L)
		ctx := L.Context()
		if ctx == nil {
			return n
		}
		switch v := L.Get(-1).(type) {
		case *lua.LState:
			v.SetContext(ctx)
		case *lua.LFunction:
			if len(v.Upvalues) == 1 {
				if th, ok := v.Upvalues[0].Value().(*lua.LState); ok {
					th.SetContext(ctx)
				}
			}
		}
		return n
	}
}
