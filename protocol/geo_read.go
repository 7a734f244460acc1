package protocol

import (
	"math"
	"strconv"
	"strings"

	"github.com/geetcache/geetcache/datatypes"
	"github.com/geetcache/geetcache/geohash"
)

// GEOPOS key [member ...]
func geopos(c *Ctx) {
	z, ok := lookupZSet(c, c.Args[1])
	if !ok {
		return
	}
	c.Out.Array(len(c.Args) - 2)
	for _, m := range c.Args[2:] {
		score, found := geoScore(z, m)
		if !found {
			c.Out.NullArray()
			continue
		}
		lon, lat := geohash.DecodeScore(score)
		c.Out.Array(2)
		replyCoord(c, lon)
		replyCoord(c, lat)
	}
}

// geoScore returns member's score in z (nil for a missing key).
func geoScore(z *datatypes.ZSet, member []byte) (float64, bool) {
	if z == nil {
		return 0, false
	}
	return z.Score(view(member))
}

// replyCoord replies with a coordinate as Redis's addReplyHumanLongDouble:
// "%.17Lf" without trailing zeros, a bulk string in RESP2, a double in
// RESP3.
func replyCoord(c *Ctx, f float64) {
	s := humanDouble(f)
	if c.Out.resp3() {
		c.Out.Raw([]byte("," + s + "\r\n"))
		return
	}
	c.Out.BulkString(s)
}

// humanDouble is ld2string(LD_STR_HUMAN) of a double (exact in a long
// double), as formatLongDouble prints a long double.
func humanDouble(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	}
	return string(trimHuman(strconv.AppendFloat(nil, f, 'f', 17, 64)))
}

// GEODIST key member1 member2 [M|KM|FT|MI]
func geodist(c *Ctx) {
	toMeters := 1.0
	switch {
	case len(c.Args) == 5:
		var ok bool
		if toMeters, ok = parseGeoUnit(c, c.Args[4]); !ok {
			return
		}
	case len(c.Args) > 5:
		c.Out.Error(ErrSyntax)
		return
	}
	z, ok := lookupZSet(c, c.Args[1])
	if !ok {
		return
	}
	s1, found1 := geoScore(z, c.Args[2])
	s2, found2 := geoScore(z, c.Args[3])
	if !found1 || !found2 {
		c.Out.Null()
		return
	}
	lon1, lat1 := geohash.DecodeScore(s1)
	lon2, lat2 := geohash.DecodeScore(s2)
	c.Out.BulkString(geoDistance(geohash.Distance(lon1, lat1, lon2, lat2) / toMeters))
}

// parseGeoUnit returns the size in meters of the unit unit (any case); on
// an unknown unit it replies.
func parseGeoUnit(c *Ctx, unit []byte) (float64, bool) {
	switch {
	case optionIs(unit, "m"):
		return 1, true
	case optionIs(unit, "km"):
		return 1000, true
	case optionIs(unit, "ft"):
		return 0.3048, true
	case optionIs(unit, "mi"):
		return 1609.34, true
	}
	c.Out.Error(ErrGeoUnit)
	return 0, false
}

// geoDistance formats a distance as Redis's addReplyDoubleDistance
// (fixedpoint_d2string with four decimals): the value times 10^4 rounded
// to an integer (llrint: to nearest even, NaN and overflow giving -2^63),
// then written with the point before its last four digits.
func geoDistance(d float64) string {
	if d == 0 {
		return "0.0000"
	}
	v := llrint(float64(d * 10000))
	neg := v < 0
	u := uint64(v)
	if neg {
		u = -u
	}
	digits := strconv.FormatUint(u, 10)
	if len(digits) < 5 {
		digits = strings.Repeat("0", 5-len(digits)) + digits
	}
	s := digits[:len(digits)-4] + "." + digits[len(digits)-4:]
	if neg {
		s = "-" + s
	}
	return s
}

// llrint is C's llrint in the default rounding mode on x86-64.
func llrint(f float64) int64 {
	r := math.RoundToEven(f)
	if r != r || r >= 9223372036854775808.0 || r < -9223372036854775808.0 {
		return math.MinInt64
	}
	return int64(r)
}

const geoAlphabet = "0123456789bcdefghjkmnpqrstuvwxyz"

// GEOHASH key [member ...]
func geohashCmd(c *Ctx) {
	z, ok := lookupZSet(c, c.Args[1])
	if !ok {
		return
	}
	c.Out.Array(len(c.Args) - 2)
	for _, m := range c.Args[2:] {
		score, found := geoScore(z, m)
		if !found {
			c.Out.Null()
			continue
		}
		c.Out.BulkString(standardGeohash(score))
	}
}

// standardGeohash is the 11-character geohash string of a score's point:
// the point re-encoded in the standard -90..90 latitude range, 52 bits in
// ten characters, and a final '0'.
func standardGeohash(score float64) string {
	lon, lat := geohash.DecodeScore(score)
	h, _ := geohash.Encode(geohash.LonRange, geohash.StdLatRange, lon, lat, 26)
	var buf [11]byte
	for i := range 10 {
		buf[i] = geoAlphabet[(h.Bits>>(52-(i+1)*5))&0x1f]
	}
	buf[10] = geoAlphabet[0]
	return string(buf[:])
}
