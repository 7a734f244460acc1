package scripting

import (
	"strings"
	"testing"
)

func mustLoad(t testing.TB, ls *Libraries, code string) {
	t.Helper()
	if _, err := ls.Load([]byte(code), false); err != nil {
		t.Fatalf("load %q: %v", code, err)
	}
}

func lib(name, body string) string { return "#!lua name=" + name + "\n" + body }

const reg1 = "redis.register_function('f1', function() return 1 end)"

// TestLoadErrors: each bad FUNCTION LOAD payload gets redis-server
// 7.0.15's reply, word for word.
func TestLoadErrors(t *testing.T) {
	for _, tc := range []struct {
		name, code, want string
	}{
		{"no shebang", "return 1", "ERR Missing library metadata"},
		{"no newline", "#!lua name=x", "ERR Invalid library metadata"},
		{"unbalanced quote", "#!lua name=\"x\nreturn", "ERR Invalid library metadata"},
		{"unknown meta", "#!lua name=a b=c\nx", "ERR Invalid metadata value given: b=c"},
		{"no name", "#!lua\n" + reg1, "ERR Library name was not given"},
		{"two names", "#!lua name=foo name=bar\n" + reg1, "ERR Invalid metadata value, name argument was given multiple times"},
		{"bad lib name", lib("a-b", reg1), "ERR Library names can only contain letters, numbers, or underscores(_) and must be at least one character long"},
		{"empty lib name", lib("", reg1), "ERR Library names can only contain letters, numbers, or underscores(_) and must be at least one character long"},
		{"empty engine", "#! name=test\n" + reg1, "ERR Engine '' not found"},
		{"unknown engine", "#!bad_engine name=test\n" + reg1, "ERR Engine 'bad_engine' not found"},
		{"no functions", lib("l", "return 1"), "ERR No functions registered"},
		{"bad fn name", lib("l", "redis.register_function('a-b', function() return 1 end)"), "ERR Error registering functions: ERR Library names can only contain letters, numbers, or underscores(_) and must be at least one character long"},
		{"empty fn name", lib("l", "redis.register_function('', function() return 1 end)"), "ERR Error registering functions: ERR Library names can only contain letters, numbers, or underscores(_) and must be at least one character long"},
		{"number fn name", lib("l", "redis.register_function(1.5, function() return 1 end)"), "ERR Error registering functions: ERR Library names can only contain letters, numbers, or underscores(_) and must be at least one character long"},
		{"unknown flag", lib("l", "redis.register_function{function_name='f', callback=function() return 1 end, flags={'no-writes', 'bad'}}"), "ERR Error registering functions: ERR unknown flag given"},
		{"flags not table", lib("l", "redis.register_function{function_name='f', callback=function() return 1 end, flags='x'}"), "ERR Error registering functions: ERR flags argument to redis.register_function must be a table representing function flags"},
		{"flag not string", lib("l", "redis.register_function{function_name='f', callback=function() return 1 end, flags={function() end}}"), "ERR Error registering functions: ERR unknown flag given"},
		{"dup in library", lib("l", reg1+"\n"+reg1), "ERR Error registering functions: ERR Function already exists in the library"},
		{"callback not function", lib("l", "redis.register_function('x', 1)"), "ERR Error registering functions: ERR second argument to redis.register_function must be a function"},
		{"no args", lib("l", "redis.register_function()"), "ERR Error registering functions: ERR wrong number of arguments to redis.register_function"},
		{"three args", lib("l", "redis.register_function('x', function() end, 1)"), "ERR Error registering functions: ERR wrong number of arguments to redis.register_function"},
		{"single non-table", lib("l", "redis.register_function('x')"), "ERR Error registering functions: ERR calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments)."},
		{"name not string", lib("l", "redis.register_function({}, 1)"), "ERR Error registering functions: ERR first argument to redis.register_function must be a string"},
		{"named no name", lib("l", "redis.register_function({callback=function() end})"), "ERR Error registering functions: ERR redis.register_function must get a function name argument"},
		{"named no callback", lib("l", "redis.register_function({function_name='f'})"), "ERR Error registering functions: ERR redis.register_function must get a callback argument"},
		{"named unknown", lib("l", "redis.register_function({function_name='x', callback=function() end, extra=1})"), "ERR Error registering functions: ERR unknown argument given to redis.register_function"},
		{"named numeric key", lib("l", "redis.register_function({[1]='x', callback=function() end})"), "ERR Error registering functions: ERR unknown argument given to redis.register_function"},
		{"named bad name", lib("l", "redis.register_function{function_name=function() end, callback=function() end}"), "ERR Error registering functions: ERR function_name argument given to redis.register_function must be a string"},
		{"named bad callback", lib("l", "redis.register_function{function_name='f', callback='bad'}"), "ERR Error registering functions: ERR callback argument given to redis.register_function must be a function"},
		{"named bad desc", lib("l", "redis.register_function{function_name='f', callback=function() end, description=function() end}"), "ERR Error registering functions: ERR description argument given to redis.register_function must be a string"},
		{"global string", lib("l", "local a = string.len('x')"), "ERR Error registering functions: ERR user_function:2: Script attempted to access nonexistent global variable 'string'"},
		{"global math", lib("l", "return math.random()"), "ERR Error registering functions: ERR user_function:2: Script attempted to access nonexistent global variable 'math'"},
		{"redis.call", lib("l", "return redis.call('ping')"), "ERR Error registering functions: ERR user_function:2: Script attempted to access nonexistent global variable 'call'"},
		{"redis.setresp", lib("l", "return redis.setresp(3)"), "ERR Error registering functions: ERR user_function:2: Script attempted to access nonexistent global variable 'setresp'"},
		{"redis.redis", lib("l", "redis.redis.call('ping')"), "ERR Error registering functions: ERR user_function:2: Script attempted to access nonexistent global variable 'redis'"},
		{"getmetatable", lib("l", "mt = getmetatable(_G)"), "ERR Error registering functions: ERR user_function:2: Script attempted to access nonexistent global variable 'getmetatable'"},
		{"set global", lib("l", "a = 1"), "ERR Error registering functions: ERR user_function:2: Attempt to modify a readonly table"},
		{"set redis field", lib("l", "local t = redis\nt.foo = 1"), "ERR Error registering functions: ERR user_function:3: Attempt to modify a readonly table"},
		{"log no args", lib("l", "redis.log()"), "ERR Error registering functions: ERR redis.log() requires two arguments or more."},
		{"timeout", lib("l", "local a = 1\nwhile 1 do a = a + 1 end"), "ERR Error registering functions: ERR FUNCTION LOAD timeout"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var ls Libraries
			_, err := ls.Load([]byte(tc.code), false)
			if err == nil {
				t.Fatalf("loaded")
			}
			if got := errorReply(err); got != tc.want {
				t.Fatalf("got  %q\nwant %q", got, tc.want)
			}
			if libs, fns := ls.Len(); libs != 0 || fns != 0 {
				t.Fatalf("left %d libraries %d functions", libs, fns)
			}
		})
	}
}

func TestLoadRegisters(t *testing.T) {
	var ls Libraries
	name, err := ls.Load([]byte(`#!LUA name="foo"
redis.log(redis.LOG_WARNING, 'loading', redis.REDIS_VERSION, redis.REDIS_VERSION_NUM)
redis.register_function('f1', function() return 1 end)
redis.register_function{FUNCTION_NAME='f2', CallBack=function() return 2 end, description='some desc', flags={'NO-WRITES', 'allow-stale'}}
redis.register_function{function_name=3, callback=function() return 3 end, description=4}`), false)
	if err != nil || name != "foo" {
		t.Fatalf("load: %q %v", name, err)
	}
	f2 := ls.Function([]byte("F2"))
	if f2 == nil || f2.Name != "f2" || f2.Desc != "some desc" || !f2.HasDesc || f2.Flags != FlagNoWrites|FlagAllowStale {
		t.Fatalf("f2 = %+v", f2)
	}
	if f3 := ls.Function([]byte("3")); f3 == nil || f3.Desc != "4" || f3.index != 2 {
		t.Fatalf("f3 = %+v", f3)
	}
	if f1 := ls.Function([]byte("f1")); f1.HasDesc || f1.Flags != 0 || f1.Lib.Name != "foo" {
		t.Fatalf("f1 = %+v", f1)
	}
	if got := strings.Join(functionFlagNames(FlagNoWrites|FlagAllowOOM|FlagAllowStale|FlagNoCluster|FlagAllowCrossSlot), ","); got != "no-writes,allow-oom,allow-stale,no-cluster,allow-cross-slot-keys" {
		t.Fatal(got)
	}
}

// TestLoadReplaceAndCollisions follows Redis's functionsCreateWithLibraryCtx:
// a library exists unless REPLACE; a function name is global (any case);
// a failed load or replace leaves the old library in place.
func TestLoadReplaceAndCollisions(t *testing.T) {
	var ls Libraries
	mustLoad(t, &ls, lib("t1", reg1))
	steps := []struct {
		code    string
		replace bool
		want    string // "" when it loads
	}{
		{lib("t1", reg1), false, "ERR Library 't1' already exists"},
		{lib("T1", reg1), false, "ERR Function f1 already exists"},
		{lib("t2", "redis.register_function('F1', function() return 1 end)"), false, "ERR Function F1 already exists"},
		{lib("t1", "bad script"), true, "ERR Error compiling function: "},
		{lib("t1", "redis.register_function('g', function() return 1 end)"), true, ""},
		{lib("t2", reg1), false, ""},
		{lib("t2", "redis.register_function('g', function() return 1 end)"), true, "ERR Function g already exists"},
	}
	for i, s := range steps {
		_, err := ls.Load([]byte(s.code), s.replace)
		switch {
		case s.want == "" && err != nil:
			t.Fatalf("step %d: %v", i, err)
		case s.want != "" && (err == nil || !strings.HasPrefix(errorReply(err), s.want)):
			t.Fatalf("step %d: got %v, want %q", i, err, s.want)
		}
	}
	if ls.Function([]byte("g")).Lib.Name != "t1" || ls.Function([]byte("f1")).Lib.Name != "t2" {
		t.Fatal("wrong owners after replaces")
	}
	if libs, fns := ls.Len(); libs != 2 || fns != 2 {
		t.Fatalf("%d libraries %d functions", libs, fns)
	}
	if err := ls.Delete([]byte("t3")); err == nil || errorReply(err) != "ERR Library not found" {
		t.Fatalf("delete missing: %v", err)
	}
	if err := ls.Delete([]byte("t2")); err != nil || ls.Function([]byte("f1")) != nil {
		t.Fatalf("delete: %v", err)
	}
}

// TestRestorePolicies follows the suite's "function restore with function
// name collision" test and Redis's libraryJoin.
func TestRestorePolicies(t *testing.T) {
	var ls Libraries
	mustLoad(t, &ls, lib("lib1", "redis.register_function('f1', function() return 1 end) redis.register_function('f3', function() return 3 end)"))
	payload := ls.Dump()
	ls.Flush()
	mustLoad(t, &ls, lib("lib1", "redis.register_function('f6', function() return 7 end)"))
	mustLoad(t, &ls, lib("lib2", "redis.register_function('f3', function() return 4 end)"))
	for _, tc := range []struct {
		policy RestorePolicy
		want   string
	}{
		{RestoreAppend, "ERR Library lib1 already exists"},
		{RestoreReplace, "ERR Function f3 already exists"},
	} {
		if err := ls.Restore(payload, tc.policy); err == nil || errorReply(err) != tc.want {
			t.Fatalf("policy %d: got %v, want %q", tc.policy, err, tc.want)
		}
		if ls.Function([]byte("f6")) == nil || ls.Function([]byte("f3")).Lib.Name != "lib2" {
			t.Fatalf("policy %d changed the libraries", tc.policy)
		}
	}
	if err := ls.Restore(payload, RestoreFlush); err != nil {
		t.Fatal(err)
	}
	if libs, fns := ls.Len(); libs != 1 || fns != 2 || ls.Function([]byte("f6")) != nil {
		t.Fatalf("after FLUSH restore: %d libraries %d functions", libs, fns)
	}
	mustLoad(t, &ls, lib("other", "redis.register_function('o', function() return 1 end)"))
	if err := ls.Restore(payload, RestoreReplace); err != nil {
		t.Fatalf("replace onto itself: %v", err)
	}
	if libs, fns := ls.Len(); libs != 2 || fns != 3 {
		t.Fatalf("after REPLACE restore: %d libraries %d functions", libs, fns)
	}
}

func TestSnapshotRoundTrip(t *testing.T) {
	var ls Libraries
	mustLoad(t, &ls, lib("b", "redis.register_function('fb', function() return 1 end)"))
	mustLoad(t, &ls, lib("a", "redis.register_function{function_name='fa', callback=function() return 1 end, flags={'no-writes'}}"))
	snap := ls.AppendSnapshot(nil)
	if again := ls.clone().AppendSnapshot(nil); string(again) != string(snap) {
		t.Fatal("snapshot bytes depend on more than the libraries")
	}
	back, err := ReadLibrariesSnapshot(strings.NewReader(string(snap)))
	if err != nil {
		t.Fatal(err)
	}
	if string(back.Dump()) != string(ls.Dump()) || back.Function([]byte("fa")).Flags != FlagNoWrites {
		t.Fatal("snapshot round trip changed the libraries")
	}
	if _, err := ReadLibrariesSnapshot(strings.NewReader(string(snap[:len(snap)-3]))); err == nil {
		t.Fatal("truncated snapshot read")
	}
}

// TestRegisterErrorIsDeterministic: with several bad named arguments, the
// error names the first in the table's order, every time (the load runs on
// every replica; Go map order would pick one at random).
func TestRegisterErrorIsDeterministic(t *testing.T) {
	code := lib("l", "redis.register_function{callback='bad', a=1, b=2, c=3, d=4, e=5, f=6, g=7, h=8, function_name='f'}")
	for range 50 {
		var ls Libraries
		_, err := ls.Load([]byte(code), false)
		if got := errorReply(err); got != "ERR Error registering functions: ERR callback argument given to redis.register_function must be a function" {
			t.Fatalf("got %q", got)
		}
	}
}
