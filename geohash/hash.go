// Package geohash is Redis 7.0's geohash arithmetic (geohash.c and
// geohash_helper.c), reimplemented so that every result is the same double
// Redis computes: coordinates interleaved into 52-bit sorted set scores,
// the nine cells that cover a search area, and the haversine distance.
//
// Everything here is pure and deterministic: no state, no clock, no
// randomness. Every floating-point expression is written so that no step
// can be fused into a multiply-add (see protocol's TestNoFusedMultiplyAdd),
// rounding each operation as Redis's x86-64 build does.
package geohash

// Redis's limits: 26 steps (52 bits), and the latitudes of EPSG:900913.
const (
	StepMax = 26
	LatMin  = -85.05112878
	LatMax  = 85.05112878
	LonMin  = -180
	LonMax  = 180
)

// Bits is a geohash of Step steps: 2*Step interleaved bits, longitude in
// the odd positions. The zero Bits is "no cell".
type Bits struct {
	Bits uint64
	Step uint8
}

// IsZero reports whether h is the zero ("no cell") hash.
func (h Bits) IsZero() bool { return h.Bits == 0 && h.Step == 0 }

// Range is a closed interval of degrees.
type Range struct{ Min, Max float64 }

func (r Range) isZero() bool { return r.Min == 0 && r.Max == 0 }

// Area is the cell a hash names.
type Area struct {
	Hash     Bits
	Lon, Lat Range
}

// WGS84 are Redis's coordinate ranges for scores.
var (
	LonRange = Range{LonMin, LonMax}
	LatRange = Range{LatMin, LatMax}
	// StdLatRange is the latitude range of standard geohash strings.
	StdLatRange = Range{-90, 90}
)

// interleave spreads the low 32 bits of x into the even bit positions and
// those of y into the odd ones.
func interleave(x, y uint32) uint64 { return spread(uint64(x)) | spread(uint64(y))<<1 }

// spread moves bit i of v to bit 2i.
func spread(v uint64) uint64 {
	v = (v | v<<16) & 0x0000FFFF0000FFFF
	v = (v | v<<8) & 0x00FF00FF00FF00FF
	v = (v | v<<4) & 0x0F0F0F0F0F0F0F0F
	v = (v | v<<2) & 0x3333333333333333
	return (v | v<<1) & 0x5555555555555555
}

// squash is spread's inverse: bit 2i of v to bit i, odd bits dropped.
func squash(v uint64) uint64 {
	v &= 0x5555555555555555
	v = (v | v>>1) & 0x3333333333333333
	v = (v | v>>2) & 0x0F0F0F0F0F0F0F0F
	v = (v | v>>4) & 0x00FF00FF00FF00FF
	v = (v | v>>8) & 0x0000FFFF0000FFFF
	return (v | v>>16) & 0x00000000FFFFFFFF
}

// Encode returns the cell of step steps holding (lon, lat) in the given
// ranges; ok is false for a step outside 1..32, a zero range, or a point
// outside Redis's limits or the ranges.
func Encode(lonR, latR Range, lon, lat float64, step uint8) (h Bits, ok bool) {
	if step > 32 || step == 0 || latR.isZero() || lonR.isZero() {
		return Bits{}, false
	}
	if lon > LonMax || lon < LonMin || lat > LatMax || lat < LatMin {
		return Bits{}, false
	}
	h.Step = step
	if lat < latR.Min || lat > latR.Max || lon < lonR.Min || lon > lonR.Max {
		return h, false
	}
	latOff := float64(lat-latR.Min) / float64(latR.Max-latR.Min)
	lonOff := float64(lon-lonR.Min) / float64(lonR.Max-lonR.Min)
	scale := float64(uint64(1) << step)
	latOff = float64(latOff * scale)
	lonOff = float64(lonOff * scale)
	h.Bits = interleave(uint32(latOff), uint32(lonOff))
	return h, true
}

// EncodeWGS84 is Encode in Redis's score ranges.
func EncodeWGS84(lon, lat float64, step uint8) (Bits, bool) {
	return Encode(LonRange, LatRange, lon, lat, step)
}

// Decode returns the area of h in the given ranges; ok is false for the
// zero hash or a zero range.
func Decode(lonR, latR Range, h Bits) (a Area, ok bool) {
	if h.IsZero() || latR.isZero() || lonR.isZero() {
		return Area{}, false
	}
	a.Hash = h
	latScale := float64(latR.Max - latR.Min)
	lonScale := float64(lonR.Max - lonR.Min)
	ilat := uint32(squash(h.Bits))
	ilon := uint32(squash(h.Bits >> 1))
	div := float64(uint64(1) << h.Step)
	a.Lat.Min = latR.Min + float64(float64(float64(ilat)/div)*latScale)
	a.Lat.Max = latR.Min + float64(float64(float64(ilat+1)/div)*latScale)
	a.Lon.Min = lonR.Min + float64(float64(float64(ilon)/div)*lonScale)
	a.Lon.Max = lonR.Min + float64(float64(float64(ilon+1)/div)*lonScale)
	return a, true
}

// Center returns the middle of a, clamped to Redis's limits.
func (a Area) Center() (lon, lat float64) {
	lon = float64(a.Lon.Min+a.Lon.Max) / 2
	lon = min(max(lon, LonMin), LonMax)
	lat = float64(a.Lat.Min+a.Lat.Max) / 2
	lat = min(max(lat, LatMin), LatMax)
	return lon, lat
}

// DecodeScore returns the point a sorted set score stands for, as Redis's
// decodeGeohash: the score converted to an unsigned 64-bit integer as
// x86-64 C does it, read as a 26-step hash, and the cell's center.
func DecodeScore(score float64) (lon, lat float64) {
	a, ok := Decode(LonRange, LatRange, Bits{Bits: cUint64(score), Step: StepMax})
	if !ok {
		// Only the zero hash fails; Redis then reports the member as
		// undecodable, which cannot happen for a 26-step hash.
		a, _ = Decode(LonRange, LatRange, Bits{Step: StepMax})
	}
	return a.Center()
}

// cUint64 converts f as gcc's (uint64_t) cast does on x86-64: below 2^63
// through a signed conversion (truncation; NaN and values below -2^63 give
// 2^63), from 2^63 on by subtracting 2^63 first (so 2^64 and beyond wrap
// to 0).
func cUint64(f float64) uint64 {
	const two63 = 9223372036854775808.0
	if !(f >= two63) { // NaN too: comisd reports it below
		return uint64(cInt64(f))
	}
	return uint64(cInt64(f-two63)) ^ 1<<63
}

// cInt64 is x86-64's cvttsd2si: truncation, and 1<<63 (the "integer
// indefinite") for NaN and out-of-range values.
func cInt64(f float64) int64 {
	const two63 = 9223372036854775808.0
	if f != f || f >= two63 || f < -two63 {
		return -1 << 63
	}
	return int64(f)
}

// Align52 returns h's bits shifted to the top of a 52-bit score.
func Align52(h Bits) uint64 { return h.Bits << (52 - 2*uint(h.Step)) }

// Neighbors are the eight cells around one, in Redis's field order.
type Neighbors struct {
	North, East, West, South                   Bits
	NorthEast, SouthEast, NorthWest, SouthWest Bits
}

const (
	evenBits = 0x5555555555555555 // latitude positions
	oddBits  = 0xaaaaaaaaaaaaaaaa // longitude positions
)

// moveX moves h one cell east (d > 0) or west (d < 0), wrapping around.
func moveX(h Bits, d int) Bits { return move(h, d, oddBits, evenBits) }

// moveY moves h one cell north (d > 0) or south (d < 0), wrapping around.
func moveY(h Bits, d int) Bits { return move(h, d, evenBits, oddBits) }

// move adds d's sign to the coordinate interleaved at the axis bit
// positions of h, leaving the other positions as they are (Redis's
// geohash_move_x and geohash_move_y).
func move(h Bits, d int, axis, other uint64) Bits {
	if d == 0 {
		return h
	}
	a := h.Bits & axis
	o := h.Bits & other
	zz := other >> (64 - 2*uint(h.Step))
	if d > 0 {
		a += zz + 1
	} else {
		a = (a | zz) - (zz + 1)
	}
	a &= axis >> (64 - 2*uint(h.Step))
	h.Bits = a | o
	return h
}

// NeighborsOf returns the eight cells around h.
func NeighborsOf(h Bits) Neighbors {
	at := func(dx, dy int) Bits { return moveY(moveX(h, dx), dy) }
	return Neighbors{
		North: at(0, 1), East: at(1, 0), West: at(-1, 0), South: at(0, -1),
		NorthEast: at(1, 1), SouthEast: at(1, -1), NorthWest: at(-1, 1), SouthWest: at(-1, -1),
	}
}
