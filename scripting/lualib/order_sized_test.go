package lualib

import (
	"context"
	"fmt"
	"math/rand"
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"
)

// luaFB is luaO_fb2int(luaO_int2fb(n)): the hash size a constructor with
// n keyed fields asks for.
func luaFB(n int) int {
	e := 0
	for n >= 16 {
		n = (n + 1) >> 1
		e++
	}
	if n < 8 {
		return n << e
	}
	return n << e
}

// TestNextOrderSizedMath: luaL_register's presized math table, filled in
// lmathlib.c's order, traverses as redis-server 7.0.15's pairs(math) does.
func TestNextOrderSizedMath(t *testing.T) {
	L := lua.NewState()
	defer L.Close()
	tb := L.NewTable()
	for _, k := range strings.Split("abs,acos,asin,atan2,atan,ceil,cosh,cos,deg,exp,floor,fmod,frexp,ldexp,log10,log,max,min,modf,pow,rad,random,randomseed,sinh,sin,sqrt,tanh,tan,pi,huge,mod", ",") {
		tb.RawSetString(k, lua.LTrue)
	}
	keys, _ := NextOrderSized(tb, 0, 28)
	var got []string
	for _, k := range keys {
		got = append(got, k.String())
	}
	const want = "log,max,acos,huge,ldexp,pi,cos,tanh,pow,deg,tan,cosh,sinh,random,randomseed,frexp,ceil,floor,rad,abs,sqrt,modf,asin,min,mod,fmod,log10,atan2,exp,sin,atan"
	if strings.Join(got, ",") != want {
		t.Errorf("order %s\nwant  %s", strings.Join(got, ","), want)
	}
}

// TestNextOrderSizedMatchesRedisConstructors: for table constructors with
// keyed fields, NextOrderSized with the constructor's size gives the order
// redis-server 7.0.15's pairs() gives.
func TestNextOrderSizedMatchesRedisConstructors(t *testing.T) {
	ref := startRefRedis(t)
	seed := int64(7)
	t.Logf("seed %d", seed)
	r := rand.New(rand.NewSource(seed))
	match, total := 0, 0
	for i := 0; i < 150; i++ {
		n := r.Intn(40) + 2
		seen := map[string]bool{}
		var fields []string
		for len(fields) < n {
			b := make([]byte, r.Intn(8)+1)
			for j := range b {
				b[j] = byte('a' + r.Intn(26))
			}
			if !seen[string(b)] {
				seen[string(b)] = true
				fields = append(fields, fmt.Sprintf("[\"%s\"]=%d", b, len(fields)))
			}
		}
		ctor := "{" + strings.Join(fields, ", ") + "}"
		script := "local t = " + ctor + " local o = {} for k in pairs(t) do o[#o+1] = k end return table.concat(o, ',')"
		want, err := ref.c.Eval(context.Background(), script, nil).Text()
		if err != nil {
			t.Fatal(err)
		}
		L := lua.NewState()
		if err := L.DoString("t = " + ctor); err != nil {
			t.Fatal(err)
		}
		keys, _ := NextOrderSized(L.GetGlobal("t").(*lua.LTable), 0, luaFB(n))
		L.Close()
		var got []string
		for _, k := range keys {
			got = append(got, k.String())
		}
		total++
		if strings.Join(got, ",") == want {
			match++
		} else {
			t.Errorf("%s\n redis: %s\n   got: %s", ctor, want, strings.Join(got, ","))
		}
	}
	t.Logf("%d of %d constructors in Redis's order", match, total)
}
