package protocol

import (
	"strconv"

	"github.com/geetcache/geetcache/geohash"
)

// GEOADD key [NX|XX] [CH] longitude latitude member [longitude latitude member ...]
//
// As Redis, GEOADD checks its own options and coordinates, then runs ZADD
// with each point's 52-bit geohash as its score, so ZADD's replies,
// encodings and WRONGTYPE apply.
func geoadd(c *Ctx) {
	first := 2
	var nx, xx bool
	for ; first < len(c.Args); first++ {
		a := c.Args[first]
		if optionIs(a, "nx") {
			nx = true
		} else if optionIs(a, "xx") {
			xx = true
		} else if !optionIs(a, "ch") {
			break
		}
	}
	if (len(c.Args)-first)%3 != 0 || nx && xx {
		c.Out.Error(ErrSyntax)
		return
	}
	argv := append(make([][]byte, 0, first+2*(len(c.Args)-first)/3), c.Args[:first]...)
	for i := first; i < len(c.Args); i += 3 {
		lon, lat, ok := parseLonLat(c, c.Args[i:])
		if !ok {
			return
		}
		h, _ := geohash.EncodeWGS84(lon, lat, geohash.StepMax)
		score := strconv.AppendUint(nil, geohash.Align52(h), 10)
		argv = append(argv, score, c.Args[i+2])
	}
	args := c.Args
	c.Args = argv
	defer func() { c.Args = args }()
	zaddGeneric(c, false)
}

// parseLonLat parses a longitude and a latitude (args[0], args[1]) as
// Redis's extractLongLatOrReply; on an error it replies.
func parseLonLat(c *Ctx, args [][]byte) (lon, lat float64, ok bool) {
	if lon, ok = parseScore(args[0]); ok {
		lat, ok = parseScore(args[1])
	}
	if !ok {
		c.Out.Error(ErrNotFloat)
		return 0, 0, false
	}
	if lon < geohash.LonMin || lon > geohash.LonMax || lat < geohash.LatMin || lat > geohash.LatMax {
		c.Out.Error(ErrGeoLonLat(lon, lat))
		return 0, 0, false
	}
	return lon, lat, true
}
