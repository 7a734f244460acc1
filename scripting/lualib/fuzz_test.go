package lualib

import (
	"errors"
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"
)

// callModule calls module.fn(arg) in L and returns its error, failing the
// test when the Go code panicked (a Lua error is fine).
func callModule(t *testing.T, L *lua.LState, module, fn string, arg string) {
	t.Helper()
	f := L.GetGlobal(module).(*lua.LTable).RawGetString(fn)
	L.Push(f)
	L.Push(lua.LString(arg))
	err := L.PCall(1, lua.MultRet, nil)
	L.SetTop(0)
	var apiErr *lua.ApiError
	if errors.As(err, &apiErr) && apiErr.Type == lua.ApiErrorPanic {
		t.Fatalf("%s.%s(%q) panicked: %v", module, fn, clip(arg), err)
	}
}

func newFuzzState() *lua.LState {
	L := lua.NewState(lua.Options{SkipOpenLibs: true, RegistrySize: 1024 * 20, RegistryMaxSize: 1024 * 1024, RegistryGrowStep: 1024 * 16})
	Open(L)
	return L
}

// FuzzCJSONDecode: any input gives a value or a Lua error, never a Go
// panic; hostile nesting stops at the depth limit (Redis's error).
func FuzzCJSONDecode(f *testing.F) {
	for _, s := range append(cjsonDecodeInputs,
		`[1,{"a":[true,false,null,"\ud83d\ude00"]}]`, "\"\\u", "-0x1p-1074", "1e-400") {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		L := newFuzzState()
		defer L.Close()
		callModule(t, L, "cjson", "decode", s)
		callModule(t, L, "cjson", "encode", s)
	})
}

// FuzzCMsgpackUnpack: any input gives values or a Lua error, never a Go
// panic; declared lengths only cost memory as far as the input goes.
func FuzzCMsgpackUnpack(f *testing.F) {
	for _, s := range append(msgpackInputs,
		"\xdd\xff\xff\xff\xff", "\xdf\xff\xff\xff\xff\x01", "\xdb\xff\xff\xff\xff") {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		L := newFuzzState()
		defer L.Close()
		callModule(t, L, "cmsgpack", "unpack", s)
		callModule(t, L, "cmsgpack", "unpack_one", s)
	})
}

// TestHostileInputs: deep nesting and huge declared lengths end in Redis's
// errors (texts checked against redis-server 7.0.15 by the differential
// tests), without a Go stack overflow or a large allocation.
func TestHostileInputs(t *testing.T) {
	for _, c := range []struct{ module, fn, in, want string }{
		{"cjson", "decode", strings.Repeat("[", 1<<20), "Found too many nested data structures (1001) at character 1001"},
		{"cjson", "decode", strings.Repeat(`{"a":`, 1<<18), "Found too many nested data structures (1001) at character 5001"},
		{"cmsgpack", "unpack", strings.Repeat("\x91", 1<<20), "stack overflow (in function mp_decode_to_lua_array)"},
		{"cmsgpack", "unpack", strings.Repeat("\x81\x01", 1<<19), "stack overflow (too many return values at once; use unpack_one or unpack_limit instead.)"},
		{"cmsgpack", "unpack", "\xdd\xff\xff\xff\xff", "Missing bytes in input."},
		{"cmsgpack", "unpack", "\xdb\xff\xff\xff\xffabc", "Missing bytes in input."},
		{"cmsgpack", "unpack", "\xdf\xff\xff\xff\xff\x01\x02", "Missing bytes in input."},
		{"cmsgpack", "unpack", "\x81\xce\x03\x90\x00\x00\x01", "Integer map key 59768832 too sparse to unpack."},
		{"cmsgpack", "unpack", strings.Repeat("\x81\xce\x00\x10\x00\x00\x01", 3), "Integer map key 1048576 too sparse to unpack."},
	} {
		L := newFuzzState()
		f := L.GetGlobal(c.module).(*lua.LTable).RawGetString(c.fn)
		L.Push(f)
		L.Push(lua.LString(c.in))
		err := L.PCall(1, lua.MultRet, nil)
		var apiErr *lua.ApiError
		if !errors.As(err, &apiErr) || apiErr.Object.String() != c.want {
			t.Errorf("%s.%s(%q): %v, want %q", c.module, c.fn, clip(c.in), err, c.want)
		}
		L.Close()
	}
}

// TestCJSONConfigHook: OpenWith's CJSONConfig runs for every configuration
// function (also of tables from cjson.new) and for nothing else.
func TestCJSONConfigHook(t *testing.T) {
	L := lua.NewState()
	defer L.Close()
	calls := 0
	OpenWith(L, Hooks{CJSONConfig: func() { calls++ }})
	for _, c := range []struct {
		script string
		want   int
	}{
		{`cjson.encode({1}) cjson.decode("[1]")`, 0},
		{`cjson.encode_max_depth(5)`, 1},
		{`cjson.encode_keep_buffer()`, 1},
		{`pcall(cjson.encode_sparse_array, "bad")`, 1},
		{`cjson.new().decode_invalid_numbers(false)`, 1},
	} {
		calls = 0
		if err := L.DoString(c.script); err != nil {
			t.Fatalf("%s: %v", c.script, err)
		}
		if calls != c.want {
			t.Errorf("%s: hook ran %d times, want %d", c.script, calls, c.want)
		}
	}
}

// TestReadTableHook: with OpenWith's ReadTable, encoding a proxy (an empty
// table standing for another) encodes the table it stands for.
func TestReadTableHook(t *testing.T) {
	L := lua.NewState()
	defer L.Close()
	real, proxy := L.NewTable(), L.NewTable()
	real.RawSetInt(1, lua.LString("a"))
	real.RawSetInt(2, lua.LString("b"))
	inner := L.NewTable()
	inner.RawSetString("k", lua.LNumber(1))
	real.RawSetInt(3, inner)
	OpenWith(L, Hooks{ReadTable: func(t *lua.LTable) *lua.LTable {
		if t == proxy {
			return real
		}
		return nil
	}})
	L.SetGlobal("p", proxy)
	for script, want := range map[string]string{
		`return cjson.encode(p)`:                                 `["a","b",{"k":1}]`,
		`return cjson.encode({p})`:                               `[["a","b",{"k":1}]]`,
		`return cjson.encode(cmsgpack.unpack(cmsgpack.pack(p)))`: `["a","b",{"k":1}]`,
	} {
		if err := L.DoString(script); err != nil {
			t.Fatalf("%s: %v", script, err)
		}
		if got := L.Get(-1).String(); got != want {
			t.Errorf("%s = %s, want %s", script, got, want)
		}
		L.Pop(1)
	}
}

// TestCJSONOutputBound: a sparse array with the sparseness check turned
// off stops at the output bound (512 MiB; 1 MiB here) instead of growing
// to ~10 GB.
func TestCJSONOutputBound(t *testing.T) {
	defer func(old int) { maxJSONOutput = old }(maxJSONOutput)
	maxJSONOutput = 1 << 20
	L := newFuzzState()
	defer L.Close()
	err := L.DoString(`cjson.encode_sparse_array(true, 0) return cjson.encode({[2^31 - 1] = 1})`)
	const want = "Cannot serialise, output exceeds 1048576 bytes"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("got %v, want %q", err, want)
	}
}
