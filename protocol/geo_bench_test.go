package protocol

import (
	"math/rand/v2"
	"strconv"
	"testing"
)

// BenchmarkGeoSearch searches 20,000 random points (Redis's unit/geo fuzz
// test's size) with a radius that takes them all.
func BenchmarkGeoSearch(b *testing.B) {
	h := newHarness(b)
	r := rand.New(rand.NewPCG(1, 2))
	args := []string{"GEOADD", "pts"}
	for i := range 20000 {
		args = append(args, strconv.FormatFloat(r.Float64()*360-180, 'f', 6, 64),
			strconv.FormatFloat(r.Float64()*140-70, 'f', 6, 64), "place:"+strconv.Itoa(i))
	}
	h.do(args...)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		h.do("GEOSEARCH", "pts", "FROMLONLAT", "10", "10", "BYRADIUS", "20000", "km", "COUNT", "1")
	}
}
