package scripting

import (
	"bytes"
	"strconv"

	lua "github.com/yuin/gopher-lua"
)

// respToLua converts one RESP reply (written by a command handler, so
// well formed) into a Lua value as Redis 7.0's redisProtocolToLuaType
// does. isErr reports an error reply ({err=...}).
//
// RESP2: integer -> number, bulk -> string, null -> false, status ->
// {ok=s}, error -> {err=s}, array -> table. RESP3 (redis.setresp(3)) adds:
// map -> {map={...}}, set -> {set={m=true}}, null -> nil, double ->
// {double=n}, boolean -> true/false, big number -> {big_number=s},
// verbatim -> {verbatim_string={format=f, string=s}}.
func respToLua(L *lua.LState, b []byte, resp int) (lua.LValue, bool) {
	p := respParser{L: L, b: b}
	v := p.value()
	return v, p.isErr
}

type respParser struct {
	L     *lua.LState
	b     []byte
	isErr bool
}

// line returns the text after the type byte up to CRLF and advances.
func (p *respParser) line() []byte {
	i := bytes.Index(p.b, []byte("\r\n"))
	if i < 0 {
		l := p.b[1:]
		p.b = nil
		return l
	}
	l := p.b[1:i]
	p.b = p.b[i+2:]
	return l
}

func (p *respParser) count() int {
	n, _ := strconv.Atoi(string(p.line()))
	return n
}

func (p *respParser) value() lua.LValue {
	if len(p.b) == 0 {
		return lua.LNil
	}
	L := p.L
	switch p.b[0] {
	case ':':
		n, _ := strconv.ParseInt(string(p.line()), 10, 64)
		return lua.LNumber(n)
	case '$':
		return p.bulk()
	case '+':
		return field(L, "ok", lua.LString(p.line()))
	case '-':
		p.isErr = true
		return field(L, "err", lua.LString(p.line()))
	case '*':
		return p.array()
	case '%':
		return p.resp3Map()
	case '~':
		return p.resp3Set()
	case '_':
		p.line()
		return lua.LNil
	case ',':
		f, _ := strconv.ParseFloat(string(p.line()), 64)
		return field(L, "double", lua.LNumber(f))
	case '#':
		return lua.LBool(string(p.line()) == "t")
	case '(':
		return field(L, "big_number", lua.LString(p.line()))
	case '=':
		return p.verbatim()
	case '|':
		n := p.count()
		for range 2 * n {
			p.value()
		}
		return p.value()
	}
	p.b = nil
	return lua.LNil
}

func field(L *lua.LState, name string, v lua.LValue) *lua.LTable {
	t := L.CreateTable(0, 1)
	t.RawSetString(name, v)
	return t
}

func (p *respParser) bulk() lua.LValue {
	n := p.count()
	if n < 0 {
		return lua.LFalse
	}
	s := lua.LString(p.b[:n])
	p.b = p.b[n+2:]
	return s
}

func (p *respParser) array() lua.LValue {
	n := p.count()
	if n < 0 {
		return lua.LFalse
	}
	t := p.L.CreateTable(n, 0)
	for i := 1; i <= n; i++ {
		t.RawSetInt(i, p.value())
	}
	p.isErr = false
	return t
}

func (p *respParser) resp3Map() lua.LValue {
	n := p.count()
	m := p.L.CreateTable(0, n)
	for range n {
		k := p.value()
		v := p.value()
		m.RawSet(k, v)
	}
	p.isErr = false
	return field(p.L, "map", m)
}

func (p *respParser) resp3Set() lua.LValue {
	n := p.count()
	s := p.L.CreateTable(0, n)
	for range n {
		s.RawSet(p.value(), lua.LTrue)
	}
	p.isErr = false
	return field(p.L, "set", s)
}

func (p *respParser) verbatim() lua.LValue {
	n := p.count()
	body := p.b[:n]
	p.b = p.b[n+2:]
	t := p.L.CreateTable(0, 2)
	if len(body) >= 4 {
		t.RawSetString("format", lua.LString(body[:3]))
		t.RawSetString("string", lua.LString(body[4:]))
	}
	return field(p.L, "verbatim_string", t)
}
