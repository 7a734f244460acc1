package lualib

import (
	"math"

	lua "github.com/yuin/gopher-lua"
)

// Lua 5.1's traversal order (what next/pairs/lua_next give in Redis), so
// cjson.encode objects and cmsgpack.pack maps list their keys as Redis
// does. gopher-lua keeps no Lua 5.1 hash layout, so NextOrder rebuilds
// it: it replays Redis's ltable.c (array part, node vector, main
// positions, collision chains, lastfree, rehash) inserting the table's
// keys into a table created empty, in gopher-lua's order (integer keys of
// the array part, then the other keys in the order they were first set).
// That is exactly the layout of a table built by successive assignments
// or by cjson.decode/cmsgpack.unpack; a table built by a constructor with
// colliding keys, or one that had keys deleted, may still differ.

// luaMaxBits is ltable.c's MAXBITS.
const luaMaxBits = 26

type luaNode struct {
	key  lua.LValue // nil: free
	live bool       // value not nil
	next int        // -1: end of chain
	idx  int        // the key's index in the caller's list
}

// luaTableSim is the part of a Lua 5.1 Table that decides traversal order.
type luaTableSim struct {
	array    []int // array part: slot i holds key i+1 as its list index + 1, 0 if empty
	nodes    []luaNode
	dummy    bool // node vector is the shared dummynode
	lastfree int
}

// NextOrder returns t's keys and values in Lua 5.1's traversal order,
// or in gopher-lua's order when a key's position depends on a memory
// address (tables, functions, userdata as keys). The result depends only
// on t's keys and gopher-lua's order of them, so it is the same on every
// replica when the table was built the same way.
func NextOrder(t *lua.LTable) ([]lua.LValue, []lua.LValue) {
	return NextOrderSized(t, 0, 0)
}

// NextOrderSized is NextOrder for a table Lua created with room for
// narray array items and nhash other keys (lua_createtable(L, narray,
// nhash), as luaL_register does for a library with nhash functions, or a
// constructor with narray list items and nhash keyed fields), then
// filled in gopher-lua's key order.
func NextOrderSized(t *lua.LTable, narray, nhash int) ([]lua.LValue, []lua.LValue) {
	var keys, values []lua.LValue
	simulable := true
	for k, v := t.Next(lua.LNil); k != lua.LNil; k, v = t.Next(k) {
		keys = append(keys, k)
		values = append(values, v)
		switch k.(type) {
		case lua.LNumber, lua.LString, lua.LBool:
		default:
			simulable = false
		}
	}
	if !simulable || len(keys) < 2 {
		return keys, values
	}
	s := newLuaTableSim()
	s.array = make([]int, narray)
	s.setNodeVector(nhash)
	for i, k := range keys {
		s.set(k, i)
	}
	order := s.order()
	k2, v2 := make([]lua.LValue, len(order)), make([]lua.LValue, len(order))
	for i, j := range order {
		k2[i], v2[i] = keys[j], values[j]
	}
	return k2, v2
}

func newLuaTableSim() *luaTableSim {
	s := &luaTableSim{}
	s.setNodeVector(0)
	return s
}

// order is luaH_next's: the array part, then the node vector, as list
// indexes.
func (s *luaTableSim) order() []int {
	var out []int
	for _, idx := range s.array {
		if idx > 0 {
			out = append(out, idx-1)
		}
	}
	if !s.dummy {
		for _, n := range s.nodes {
			if n.live {
				out = append(out, n.idx)
			}
		}
	}
	return out
}

// arrayIndex is ltable.c's arrayindex: the key as a C int, or -1.
func arrayIndex(k lua.LValue) int {
	n, ok := k.(lua.LNumber)
	if !ok {
		return -1
	}
	i := toInt32(float64(n))
	if float64(i) != float64(n) {
		return -1
	}
	return int(i)
}

func ceilLog2(x int) int {
	l := 0
	for (1 << l) < x {
		l++
	}
	return l
}

// luaStringHash is Redis's luaS_newlstr hash (every byte, seeded with the length).
func luaStringHash(s string) uint32 {
	h := uint32(len(s))
	for i := len(s); i >= 1; i-- {
		h ^= (h << 5) + (h >> 2) + uint32(s[i-1])
	}
	return h
}

func (s *luaTableSim) sizeNode() int {
	if s.dummy {
		return 1
	}
	return len(s.nodes)
}

// mainPosition is ltable.c's mainposition for numbers, strings and booleans.
func (s *luaTableSim) mainPosition(k lua.LValue) int {
	size := s.sizeNode()
	switch x := k.(type) {
	case lua.LNumber:
		if x == 0 {
			return 0
		}
		b := math.Float64bits(float64(x))
		a := uint32(b) + uint32(b>>32)
		return int(a % uint32((size-1)|1))
	case lua.LString:
		return int(luaStringHash(string(x)) & uint32(size-1))
	case lua.LBool:
		if x {
			return 1 & (size - 1)
		}
		return 0
	}
	return 0
}

func (s *luaTableSim) setNodeVector(size int) {
	if size == 0 {
		s.nodes, s.dummy, s.lastfree = nil, true, 0
		return
	}
	size = 1 << ceilLog2(size)
	s.nodes = make([]luaNode, size)
	for i := range s.nodes {
		s.nodes[i].next = -1
	}
	s.dummy, s.lastfree = false, size
}

// find returns the node holding k, or -1.
func (s *luaTableSim) find(k lua.LValue) int {
	if s.dummy {
		return -1
	}
	for n := s.mainPosition(k); n >= 0; n = s.nodes[n].next {
		if s.nodes[n].key == k {
			return n
		}
	}
	return -1
}

// set is luaH_set followed by storing a non-nil value; idx is the key's
// index in the caller's list.
func (s *luaTableSim) set(k lua.LValue, idx int) {
	if i := arrayIndex(k); i >= 1 && i <= len(s.array) {
		s.array[i-1] = idx + 1
		return
	}
	if n := s.find(k); n >= 0 {
		s.nodes[n].live, s.nodes[n].idx = true, idx
		return
	}
	s.newKey(k, idx)
}

func (s *luaTableSim) freePos() int {
	for s.lastfree > 0 {
		s.lastfree--
		if s.nodes[s.lastfree].key == nil {
			return s.lastfree
		}
	}
	return -1
}

// newKey is ltable.c's newkey.
func (s *luaTableSim) newKey(k lua.LValue, idx int) {
	mp := s.mainPosition(k)
	if s.dummy || s.nodes[mp].live {
		n := -1
		if !s.dummy {
			n = s.freePos()
		}
		if n < 0 {
			s.rehash(k)
			s.set(k, idx)
			return
		}
		other := s.mainPosition(s.nodes[mp].key)
		if other != mp {
			for s.nodes[other].next != mp {
				other = s.nodes[other].next
			}
			s.nodes[other].next = n
			s.nodes[n] = s.nodes[mp]
			s.nodes[mp].next = -1
			s.nodes[mp].live = false
		} else {
			s.nodes[n].next = s.nodes[mp].next
			s.nodes[mp].next = n
			mp = n
		}
	}
	s.nodes[mp].key = k
	s.nodes[mp].live = true
	s.nodes[mp].idx = idx
}

// countInt is ltable.c's countint.
func countInt(k lua.LValue, nums []int) int {
	i := arrayIndex(k)
	if i > 0 && i <= 1<<luaMaxBits {
		nums[ceilLog2(i)]++
		return 1
	}
	return 0
}

// rehash is ltable.c's rehash with extra key ek.
func (s *luaTableSim) rehash(ek lua.LValue) {
	nums := make([]int, luaMaxBits+1)
	nasize := s.numUseArray(nums)
	total := nasize
	if !s.dummy {
		for i := len(s.nodes) - 1; i >= 0; i-- {
			if s.nodes[i].live {
				nasize += countInt(s.nodes[i].key, nums)
				total++
			}
		}
	}
	nasize += countInt(ek, nums)
	total++
	na := computeSizes(nums, &nasize)
	s.resize(nasize, total-na)
}

func (s *luaTableSim) numUseArray(nums []int) int {
	ause, i := 0, 1
	for lg, ttlg := 0, 1; lg <= luaMaxBits; lg, ttlg = lg+1, ttlg*2 {
		lc, lim := 0, ttlg
		if lim > len(s.array) {
			lim = len(s.array)
			if i > lim {
				break
			}
		}
		for ; i <= lim; i++ {
			if s.array[i-1] > 0 {
				lc++
			}
		}
		nums[lg] += lc
		ause += lc
	}
	return ause
}

// computeSizes is ltable.c's computesizes.
func computeSizes(nums []int, narray *int) int {
	a, na, n := 0, 0, 0
	for i, twotoi := 0, 1; twotoi/2 < *narray; i, twotoi = i+1, twotoi*2 {
		if nums[i] > 0 {
			a += nums[i]
			if a > twotoi/2 {
				n, na = twotoi, a
			}
		}
		if a == *narray {
			break
		}
	}
	*narray = n
	return na
}

// resize is ltable.c's resize.
func (s *luaTableSim) resize(nasize, nhsize int) {
	oldArray := s.array
	oldNodes, oldDummy := s.nodes, s.dummy
	if nasize > len(s.array) {
		s.array = append(s.array, make([]int, nasize-len(s.array))...)
	}
	s.setNodeVector(nhsize)
	if nasize < len(oldArray) {
		s.array = s.array[:nasize:nasize]
		for i := nasize; i < len(oldArray); i++ {
			if oldArray[i] > 0 {
				s.set(lua.LNumber(i+1), oldArray[i]-1)
			}
		}
	}
	if oldDummy {
		return
	}
	for i := len(oldNodes) - 1; i >= 0; i-- {
		if oldNodes[i].live {
			s.set(oldNodes[i].key, oldNodes[i].idx)
		}
	}
}
