package scripting

import (
	"math"
	"strconv"
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// rand48 is Redis's redisLrand48 (rand.c): the 48-bit linear congruential
// generator of POSIX lrand48, so math.random gives the numbers Redis's
// does for the same seed. Each run starts from a seed of its own (see
// runSeed); math.randomseed(n) then gives Redis's sequence for n.
type rand48 struct{ x uint64 }

const (
	rand48A    = 0x5DEECE66D
	rand48C    = 0xB
	rand48Mask = 1<<48 - 1
	rand48Max  = math.MaxInt32 // REDIS_LRAND48_MAX
)

func (r *rand48) seed(s int32) { r.x = (uint64(uint32(s))<<16 | 0x330E) & rand48Mask }

func (r *rand48) next() int32 {
	r.x = (rand48A*r.x + rand48C) & rand48Mask
	return int32(r.x >> 17)
}

// openMath replaces math.random and math.randomseed with Redis's.
func (sb *Sandbox) openMath() {
	m := sb.L.GetGlobal("math").(*lua.LTable)
	m.RawSetString("random", sb.L.NewFunction(sb.mathRandom))
	m.RawSetString("randomseed", sb.L.NewFunction(sb.mathRandomSeed))
}

// mathRandom is Lua 5.1's math_random over Redis's generator.
func (sb *Sandbox) mathRandom(L *lua.LState) int {
	r := float64(sb.rand.next()%rand48Max) / float64(rand48Max)
	switch L.GetTop() {
	case 0:
		L.Push(lua.LNumber(r))
	case 1:
		u := checkInt(L, 1)
		if u < 1 {
			L.ArgError(1, "interval is empty")
		}
		L.Push(lua.LNumber(math.Floor(r*float64(u)) + 1))
	case 2:
		l, u := checkInt(L, 1), L.CheckInt(2)
		if l > u {
			L.ArgError(2, "interval is empty")
		}
		L.Push(lua.LNumber(math.Floor(r*float64(u-l+1)) + float64(l)))
	default:
		L.RaiseError("wrong number of arguments")
	}
	return 1
}

func (sb *Sandbox) mathRandomSeed(L *lua.LState) int {
	sb.rand.seed(int32(checkInt(L, 1)))
	return 0
}

// checkInt is Lua 5.1's luaL_checkint: a number, or a string that reads
// as one (math.randomseed(ARGV[1])), truncated.
func checkInt(L *lua.LState, n int) int {
	switch v := L.Get(n).(type) {
	case lua.LNumber:
		return int(v)
	case lua.LString:
		if f, err := strconv.ParseFloat(strings.TrimSpace(string(v)), 64); err == nil {
			return int(f)
		}
		if i, err := strconv.ParseInt(strings.TrimSpace(string(v)), 0, 64); err == nil {
			return int(i)
		}
	}
	L.TypeError(n, lua.LTNumber)
	return 0
}
