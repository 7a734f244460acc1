package lualib

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"
)

// orderCases build tables by assignment and by decoding, and encode them
// whole, so the key order itself is compared with Redis.
func orderCases(seed int64) []string {
	r := rand.New(rand.NewSource(seed))
	// No positive integer keys: gopher-lua keeps them in its array part
	// and forgets when they were set (see docs/compatibility.md).
	key := func() string {
		switch r.Intn(6) {
		case 0:
			return "[true]"
		case 1:
			return fmt.Sprintf("[%d.5]", r.Intn(40)-20)
		case 2:
			return fmt.Sprintf("[%d]", -r.Intn(1000))
		case 3:
			return fmt.Sprintf("['%s']", strings.Repeat(string(rune('a'+r.Intn(26))), r.Intn(3)+1))
		default:
			b := make([]byte, r.Intn(12)+1)
			for i := range b {
				b[i] = byte('a' + r.Intn(26))
			}
			return "['" + string(b) + "']"
		}
	}
	var cases []string
	for i := 0; i < 150; i++ {
		n := r.Intn(30) + 2
		var sets []string
		for j := 0; j < n; j++ {
			sets = append(sets, fmt.Sprintf("t%s = %d", key(), j))
		}
		body := "local t = {} " + strings.Join(sets, " ")
		cases = append(cases,
			body+" cjson.encode_sparse_array(true) return cjson.encode(t)",
			body+" return hex(cmsgpack.pack(t))")
	}
	for i := 0; i < 50; i++ {
		n := r.Intn(20) + 2
		var fields []string
		for j := 0; j < n; j++ {
			b := make([]byte, r.Intn(8)+1)
			for i := range b {
				b[i] = byte('a' + r.Intn(26))
			}
			fields = append(fields, fmt.Sprintf(`"%s":%d`, b, j))
		}
		doc := "{" + strings.Join(fields, ",") + "}"
		cases = append(cases,
			fmt.Sprintf("return cjson.encode(cjson.decode('%s'))", doc),
			fmt.Sprintf("return hex(cmsgpack.pack(cjson.decode('%s')))", doc),
			fmt.Sprintf("return cjson.encode(cmsgpack.unpack(cmsgpack.pack(cjson.decode('%s'))))", doc))
	}
	return append(cases,
		`return cjson.encode({a=1,b=2,c=3,d=4,e=5})`,
		`return cjson.encode({name='x', id=1, tags={}})`,
		`local t = {} t.a = 1 t[1] = 2 t.b = 3 t[2] = 4 return hex(cmsgpack.pack(t))`,
		`return cjson.encode({[true]='x', [false]='y'})`,
		`return hex(cmsgpack.pack({[true]='x', [false]='y', [0]=1, [-1]=2}))`,
	)
}

func TestKeyOrderMatchesRedis(t *testing.T) {
	seed := int64(20261204)
	t.Logf("seed %d", seed)
	diffCases(t, orderCases(seed))
}
