package lualib

import (
	"fmt"
	"testing"

	lua "github.com/yuin/gopher-lua"
)

// BenchmarkEncodeObject: cjson.encode and cmsgpack.pack of an object of
// n string keys (the key-order replay is part of the cost).
func BenchmarkEncodeObject(b *testing.B) {
	for _, n := range []int{10, 1000, 100000} {
		for _, fn := range []string{"cjson.encode", "cmsgpack.pack"} {
			b.Run(fmt.Sprintf("fn=%s/keys=%d", fn, n), func(b *testing.B) {
				L := lua.NewState()
				defer L.Close()
				Open(L)
				if err := L.DoString(fmt.Sprintf(`m = {} for i = 1, %d do m["k" .. i] = i end f = %s`, n, fn)); err != nil {
					b.Fatal(err)
				}
				f, m := L.GetGlobal("f"), L.GetGlobal("m")
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					L.Push(f)
					L.Push(m)
					L.Call(1, 1)
					L.Pop(1)
				}
			})
		}
	}
}
