package scripting

import (
	"slices"
	"strings"

	lua "github.com/yuin/gopher-lua"

	"github.com/geetcache/geetcache/protocol"
)

// Libraries is the set of loaded function libraries: replicated state,
// changed only by log entries (FUNCTION LOAD, DELETE, FLUSH, RESTORE)
// applied in the state machine, and kept in snapshots. Its zero value is
// empty and ready to use.
//
// Every change is deterministic: a library's code runs at load with no
// clock, no randomness and an instruction budget, so every replica that
// applies the same entries holds the same libraries. A Libraries is not
// safe for concurrent use: the state machine changes it under its write
// lock and readers look at it under its read lock.
type Libraries struct {
	libs  map[string]*Library  // by name (case-sensitive, as Redis)
	funcs map[string]*Function // by lower-case function name
}

// Function returns the function named name (any case), or nil.
func (ls *Libraries) Function(name []byte) *Function {
	return ls.funcs[strings.ToLower(string(name))]
}

// Library returns the library named name, or nil.
func (ls *Libraries) Library(name string) *Library { return ls.libs[name] }

// Len returns the number of libraries and of functions.
func (ls *Libraries) Len() (libraries, functions int) { return len(ls.libs), len(ls.funcs) }

// Sorted returns the libraries sorted by name.
func (ls *Libraries) Sorted() []*Library {
	out := make([]*Library, 0, len(ls.libs))
	for _, l := range ls.libs {
		out = append(out, l)
	}
	slices.SortFunc(out, func(a, b *Library) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// clone returns a copy that later changes to ls do not affect (libraries
// themselves never change, so they are shared).
func (ls *Libraries) clone() *Libraries {
	c := &Libraries{}
	for _, l := range ls.libs {
		c.link(l)
	}
	return c
}

// Flush removes every library.
func (ls *Libraries) Flush() { ls.libs, ls.funcs = nil, nil }

// Delete removes the library named name.
func (ls *Libraries) Delete(name []byte) error {
	l := ls.libs[string(name)]
	if l == nil {
		return replyError(protocol.ErrFuncLibNotFound)
	}
	ls.unlink(l)
	return nil
}

// Load creates a library from a FUNCTION LOAD payload and adds it,
// replacing a library of the same name if replace is set. On any error
// ls is left as it was. It returns the library's name.
func (ls *Libraries) Load(code []byte, replace bool) (string, error) {
	md, err := parseLibMeta(code)
	if err != nil {
		return "", err
	}
	if !validName(md.name) {
		return "", replyError(protocol.ErrFuncBadName)
	}
	if !strings.EqualFold(md.engine, "lua") {
		return "", replyError(protocol.ErrFuncEngine([]byte(md.engine)))
	}
	old := ls.libs[md.name]
	if old != nil && !replace {
		return "", replyError(protocol.ErrFuncLibExists(md.name))
	}
	lib, err := newLibrary(md, code)
	if err != nil {
		return "", err
	}
	if old != nil {
		ls.unlink(old)
	}
	if f := ls.collision(lib); f != nil {
		if old != nil {
			ls.link(old)
		}
		return "", replyError(protocol.ErrFuncExists(f.Name))
	}
	ls.link(lib)
	return lib.Name, nil
}

// newLibrary compiles a library and runs its code once, with the load
// budget, to learn the functions it registers.
func newLibrary(md libMeta, code []byte) (*Library, error) {
	proto, err := compileLibrary(md.body)
	if err != nil {
		return nil, err
	}
	lib := &Library{Name: md.name, Code: slices.Clone(code), proto: proto, sum: SHA1Hex(code)}
	L := lua.NewState(lua.Options{SkipOpenLibs: true, CallStackSize: 64, RegistrySize: 1024})
	defer L.Close()
	r := &loadRun{lib: lib}
	if _, err := r.run(L, loadBudget); err != nil {
		return nil, err
	}
	if len(r.fns) == 0 {
		return nil, replyError(protocol.ErrFuncNoFunctions)
	}
	lib.Functions = r.fns
	return lib, nil
}

// collision returns the first of lib's functions whose name another
// library holds, or nil.
func (ls *Libraries) collision(lib *Library) *Function {
	for _, f := range lib.Functions {
		if ls.funcs[strings.ToLower(f.Name)] != nil {
			return f
		}
	}
	return nil
}

// link adds lib and its functions. Two functions of one library whose
// names differ only in case share an entry: the later one wins, as in
// Redis.
func (ls *Libraries) link(lib *Library) {
	if ls.libs == nil {
		ls.libs, ls.funcs = map[string]*Library{}, map[string]*Function{}
	}
	ls.libs[lib.Name] = lib
	for _, f := range lib.Functions {
		ls.funcs[strings.ToLower(f.Name)] = f
	}
}

// unlink removes lib and its functions.
func (ls *Libraries) unlink(lib *Library) {
	delete(ls.libs, lib.Name)
	for _, f := range lib.Functions {
		if ls.funcs[strings.ToLower(f.Name)].Lib == lib {
			delete(ls.funcs, strings.ToLower(f.Name))
		}
	}
}
