package scripting

import (
	lua "github.com/yuin/gopher-lua"
	"github.com/yuin/gopher-lua/ast"
)

// Concatenation is bounded: a write script runs on every replica, so
// `s = s .. s` in a loop would exhaust every node's memory at once.
// guardConcat rewrites each `a .. b` of a compiled chunk into a call of
// __redis__concat(a, b), which concatenates as Lua 5.1 does (numbers as
// "%.14g", the __concat metamethod) but refuses a result over
// maxStringResult, and a run whose concatenations and string.rep built
// more than maxRunStrings bytes in all. Both limits count bytes, so every
// replica stops the same script at the same point.

// concatFunc is the global the rewritten chunks call; pairs(_G) hides it.
const concatFunc = "__redis__concat"

// maxRunStrings bounds the bytes one run may build by concatenation and
// string.rep. A variable for tests only.
var maxRunStrings int64 = 1 << 30

const errStringTooLarge = "string length overflow"

// guardConcat rewrites the concatenations in chunk.
func guardConcat(chunk []ast.Stmt) {
	for _, s := range chunk {
		guardStmt(s)
	}
}

func guardStmts(ss []ast.Stmt) {
	for _, s := range ss {
		guardStmt(s)
	}
}

func guardExprs(es []ast.Expr) {
	for i := range es {
		es[i] = guardExpr(es[i])
	}
}

func guardStmt(s ast.Stmt) {
	switch s := s.(type) {
	case *ast.AssignStmt:
		guardExprs(s.Lhs)
		guardExprs(s.Rhs)
	case *ast.LocalAssignStmt:
		guardExprs(s.Exprs)
	case *ast.FuncCallStmt:
		s.Expr = guardExpr(s.Expr)
	case *ast.DoBlockStmt:
		guardStmts(s.Stmts)
	case *ast.WhileStmt:
		s.Condition = guardExpr(s.Condition)
		guardStmts(s.Stmts)
	case *ast.RepeatStmt:
		s.Condition = guardExpr(s.Condition)
		guardStmts(s.Stmts)
	case *ast.IfStmt:
		s.Condition = guardExpr(s.Condition)
		guardStmts(s.Then)
		guardStmts(s.Else)
	case *ast.NumberForStmt:
		s.Init, s.Limit = guardExpr(s.Init), guardExpr(s.Limit)
		if s.Step != nil {
			s.Step = guardExpr(s.Step)
		}
		guardStmts(s.Stmts)
	case *ast.GenericForStmt:
		guardExprs(s.Exprs)
		guardStmts(s.Stmts)
	case *ast.FuncDefStmt:
		guardStmts(s.Func.Stmts)
	case *ast.ReturnStmt:
		guardExprs(s.Exprs)
	}
}

func guardExpr(e ast.Expr) ast.Expr {
	switch e := e.(type) {
	case *ast.StringConcatOpExpr:
		fn := &ast.IdentExpr{Value: concatFunc}
		fn.SetLine(e.Line())
		fn.SetLastLine(e.LastLine())
		call := &ast.FuncCallExpr{Func: fn, Args: []ast.Expr{guardExpr(e.Lhs), guardExpr(e.Rhs)}}
		call.SetLine(e.Line())
		call.SetLastLine(e.LastLine())
		return call
	case *ast.AttrGetExpr:
		e.Object, e.Key = guardExpr(e.Object), guardExpr(e.Key)
	case *ast.TableExpr:
		for _, f := range e.Fields {
			if f.Key != nil {
				f.Key = guardExpr(f.Key)
			}
			f.Value = guardExpr(f.Value)
		}
	case *ast.FuncCallExpr:
		if e.Func != nil {
			e.Func = guardExpr(e.Func)
		}
		if e.Receiver != nil {
			e.Receiver = guardExpr(e.Receiver)
		}
		guardExprs(e.Args)
	case *ast.LogicalOpExpr:
		e.Lhs, e.Rhs = guardExpr(e.Lhs), guardExpr(e.Rhs)
	case *ast.RelationalOpExpr:
		e.Lhs, e.Rhs = guardExpr(e.Lhs), guardExpr(e.Rhs)
	case *ast.ArithmeticOpExpr:
		e.Lhs, e.Rhs = guardExpr(e.Lhs), guardExpr(e.Rhs)
	case *ast.UnaryMinusOpExpr:
		e.Expr = guardExpr(e.Expr)
	case *ast.UnaryNotOpExpr:
		e.Expr = guardExpr(e.Expr)
	case *ast.UnaryLenOpExpr:
		e.Expr = guardExpr(e.Expr)
	case *ast.FunctionExpr:
		guardStmts(e.Stmts)
	}
	return e
}

// luaConcat is __redis__concat: Lua 5.1's a .. b, bounded.
func (sb *Sandbox) luaConcat(L *lua.LState) int {
	a, b := L.Get(1), L.Get(2)
	as, aok := concatOperand(a)
	bs, bok := concatOperand(b)
	if !aok || !bok {
		mm := L.GetMetaField(a, "__concat")
		if mm == lua.LNil {
			mm = L.GetMetaField(b, "__concat")
		}
		if mm == lua.LNil {
			bad := a
			if aok {
				bad = b
			}
			L.RaiseError("attempt to concatenate a %s value", bad.Type().String())
		}
		L.Push(mm)
		L.Push(a)
		L.Push(b)
		L.Call(2, 1)
		return 1
	}
	sb.chargeString(L, len(as)+len(bs))
	L.Push(lua.LString(as + bs))
	return 1
}

// chargeString counts n bytes a run is about to build, and refuses a
// string over maxStringResult or a run past maxRunStrings.
func (sb *Sandbox) chargeString(L *lua.LState, n int) {
	if n > maxStringResult {
		L.RaiseError(errStringTooLarge)
	}
	if sb.run == nil {
		return
	}
	sb.run.strBytes += int64(n)
	if sb.run.strBytes > maxRunStrings {
		L.RaiseError("%s (the script built more than %d bytes of strings)", errStringTooLarge, maxRunStrings)
	}
}

func concatOperand(v lua.LValue) (string, bool) {
	switch v := v.(type) {
	case lua.LString:
		return string(v), true
	case lua.LNumber:
		return formatLua14(float64(v)), true
	}
	return "", false
}
