package geohash

import (
	"math"
	"testing"
)

// TestEncodeScores checks 52-bit scores against redis-server 7.0.15's
// (ZRANGE ... WITHSCORES after GEOADD), and the decoded points against its
// GEOPOS.
func TestEncodeScores(t *testing.T) {
	for _, tc := range []struct {
		lon, lat float64
		score    uint64
		pos      [2]float64
	}{
		{13.361389, 38.115556, 3479099956230698, [2]float64{13.361389338970184, 38.1155563954963}},
		{15.087269, 37.502669, 3479447370796909, [2]float64{15.087267458438873, 37.50266842333162}},
		{-180, -85.05112878, 0, [2]float64{-179.99999731779099, -85.05112751263943}},
		{180, 85.05112878, 13510798882111488, [2]float64{180, 85.05112878}},
		{0, 0, 3377699720527872, [2]float64{2.682209014892578e-06, 1.2673605809254695e-06}},
	} {
		h, ok := EncodeWGS84(tc.lon, tc.lat, StepMax)
		if !ok || Align52(h) != tc.score {
			t.Errorf("encode(%v, %v) = %d, %v; want %d", tc.lon, tc.lat, Align52(h), ok, tc.score)
		}
		lon, lat := DecodeScore(float64(tc.score))
		if lon != tc.pos[0] || lat != tc.pos[1] {
			t.Errorf("decode(%d) = %v, %v; want %v", tc.score, lon, lat, tc.pos)
		}
	}
	if _, ok := EncodeWGS84(0, 85.06, StepMax); ok {
		t.Error("latitude 85.06 encoded")
	}
}

// TestCUint64 checks the x86-64 C conversion Redis applies to scores.
func TestCUint64(t *testing.T) {
	for _, tc := range []struct {
		f    float64
		want uint64
	}{
		{1.9, 1},
		{-1.5, math.MaxUint64},
		{math.Inf(1), 0},
		{math.Inf(-1), 1 << 63},
		{math.NaN(), 1 << 63},
		{1e300, 0},
		{9223372036854775808.0, 1 << 63},
		{1e19, 10000000000000000000},
	} {
		if got := cUint64(tc.f); got != tc.want {
			t.Errorf("cUint64(%v) = %d, want %d", tc.f, got, tc.want)
		}
	}
}

// TestNeighborsWrap checks the eight neighbours of a corner cell at step
// 1 and 2: they wrap around in both directions.
func TestNeighborsWrap(t *testing.T) {
	for _, tc := range []struct {
		h    Bits
		want Neighbors
	}{
		// step 1: lat bit 0, lon bit 1; cell (lon 0, lat 0)
		{Bits{0, 1}, Neighbors{North: Bits{1, 1}, East: Bits{2, 1}, West: Bits{2, 1}, South: Bits{1, 1},
			NorthEast: Bits{3, 1}, SouthEast: Bits{3, 1}, NorthWest: Bits{3, 1}, SouthWest: Bits{3, 1}}},
		{Bits{0, 2}, Neighbors{North: Bits{1, 2}, East: Bits{2, 2}, West: Bits{10, 2}, South: Bits{5, 2},
			NorthEast: Bits{3, 2}, SouthEast: Bits{7, 2}, NorthWest: Bits{11, 2}, SouthWest: Bits{15, 2}}},
	} {
		if got := NeighborsOf(tc.h); got != tc.want {
			t.Errorf("NeighborsOf(%v) = %+v, want %+v", tc.h, got, tc.want)
		}
	}
}

// TestEstimateSteps checks the step chosen for a radius and latitude.
func TestEstimateSteps(t *testing.T) {
	for _, tc := range []struct {
		meters, lat float64
		want        int
	}{
		{0, 0, 26},
		{1, 0, 24},
		{1000, 0, 14},
		{1000, 70, 13},
		{1000, -85, 12},
		{5e6, 0, 2},
		{1e7, 0, 1},
		{math.Inf(1), 0, 1},
	} {
		if got := EstimateSteps(tc.meters, tc.lat); got != tc.want {
			t.Errorf("EstimateSteps(%v, %v) = %d, want %d", tc.meters, tc.lat, got, tc.want)
		}
	}
}
