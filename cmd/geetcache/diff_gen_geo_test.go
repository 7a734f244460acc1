package main

import "strconv"

// GEO commands for the differential test, over the sorted set keys (whose
// scores, from ZADD, decode to points GEOADD never writes). Everything is
// compared exactly, except the scores STOREDIST stores: a distance is a
// sin/cos/asin away from its points, and glibc rounds about 0.15% of those
// away from the nearest double where geetcache does not (see GEO in
// docs/compatibility.md), so STOREDIST goes to a key outside the pool
// (geoDistKey) that genGeoDistRead reads with cmpGeoDist.

var geoGens = []genFunc{
	genGeoAdd, genGeoAdd, genGeoAdd, genGeoPos, genGeoHash, genGeoDist,
	genGeoRadius, genGeoRadius, genGeoRadiusByMember, genGeoSearch, genGeoSearch,
	genGeoSearchStore, genGeoDistRead,
}

// geoDistKey holds STOREDIST results; the checkpoints do not read it.
const geoDistKey = "geodist"

// geoPlaces are a few points (several close together, one repeated) so
// searches find some and ties occur.
var geoPlaces = [][2]string{
	{"13.361389", "38.115556"}, {"15.087269", "37.502669"}, {"12.758489", "38.788135"},
	{"17.241510", "38.788135"}, {"15", "37"}, {"15", "37"}, {"-73.9454966", "40.747533"},
	{"-73.9733487", "40.7648057"}, {"179.5", "36"}, {"-179.5", "36"}, {"0", "0"},
	{"-180", "-85.05112878"}, {"180", "85.05112878"}, {"45", "65"}, {"-135", "85.05"},
}

// geoBadCoords are out of range or not numbers.
var geoBadCoords = [][2]string{{"181", "0"}, {"0", "85.06"}, {"abc", "1"}, {"1", "inf"}, {"-inf", "0"}, {"1", ""}}

var geoUnits = []string{"m", "km", "KM", "ft", "mi", "Mi", "yd"}

// point returns a longitude and a latitude: a place, a random point near
// Sicily or anywhere, now and then an invalid one.
func (g *diffGen) point() (string, string) {
	switch n := g.r.IntN(20); {
	case n < 8:
		p := geoPlaces[g.r.IntN(len(geoPlaces))]
		return p[0], p[1]
	case n < 14:
		return g.coord(12, 18, 4), g.coord(35, 40, 4)
	case n < 19:
		return g.coord(-180, 180, 1+g.r.IntN(6)), g.coord(-85, 85, 1+g.r.IntN(6))
	}
	p := geoBadCoords[g.r.IntN(len(geoBadCoords))]
	return p[0], p[1]
}

// coord returns a number in [lo, hi] with the given decimals.
func (g *diffGen) coord(lo, hi float64, decimals int) string {
	return strconv.FormatFloat(lo+g.r.Float64()*(hi-lo), 'f', decimals, 64)
}

func (g *diffGen) geoMember() string {
	if g.chance(0.5) {
		return "p" + g.num(0, 15)
	}
	return g.member()
}

// GEOADD key [NX|XX] [CH] lon lat member ...
func genGeoAdd(g *diffGen) diffCmd {
	args := []string{"GEOADD", g.own()}
	for _, o := range []string{"NX", "XX", "CH", "nx"} {
		if g.chance(0.1) {
			args = append(args, o)
		}
	}
	for range 1 + g.r.IntN(5) {
		lon, lat := g.point()
		args = append(args, lon, lat, g.geoMember())
	}
	if g.chance(0.02) {
		args = append(args, "1")
	}
	return cmdExact(args...)
}

// GEOPOS key member ...
func genGeoPos(g *diffGen) diffCmd {
	return cmdExact(append([]string{"GEOPOS", g.key()}, g.some(1, 4, g.geoMember)...)...)
}

// GEOHASH key member ...
func genGeoHash(g *diffGen) diffCmd {
	return cmdExact(append([]string{"GEOHASH", g.key()}, g.some(0, 4, g.geoMember)...)...)
}

// GEODIST key m1 m2 [unit]
func genGeoDist(g *diffGen) diffCmd {
	args := []string{"GEODIST", g.key(), g.geoMember(), g.geoMember()}
	if g.chance(0.5) {
		args = append(args, g.pick(geoUnits))
	}
	if g.chance(0.03) {
		args = append(args, "km")
	}
	return cmdExact(args...)
}

// radius returns a distance and its unit.
func (g *diffGen) radius() []string {
	r := g.pick([]string{"0", "1", "50", "200", "200", "500", "500", "1000", "5000", "20000", "0.5"})
	if g.chance(0.04) {
		r = g.pick([]string{"-1", "abc", ""})
	}
	if g.chance(0.6) {
		return []string{r, "km"}
	}
	unit := g.pick(geoUnits[:6])
	if g.chance(0.04) {
		unit = "yd"
	}
	return []string{r + g.pick([]string{"", "000"}), unit}
}

// geoOptions returns the reply options of a search: WITH*, COUNT [ANY],
// ASC|DESC, now and then a bad one.
func (g *diffGen) geoOptions(with bool) []string {
	var opts []string
	if with {
		for _, o := range []string{"WITHDIST", "WITHHASH", "WITHCOORD"} {
			if g.chance(0.3) {
				opts = append(opts, o)
			}
		}
	}
	if g.chance(0.4) {
		n := g.pick([]string{"1", "2", "3", "10"})
		if g.chance(0.04) {
			n = g.pick([]string{"0", "-1", "x"})
		}
		opts = append(opts, "COUNT", n)
		if g.chance(0.3) {
			opts = append(opts, "ANY")
		}
	} else if g.chance(0.03) {
		opts = append(opts, "ANY")
	}
	if g.chance(0.6) {
		opts = append(opts, g.pick([]string{"ASC", "DESC", "asc"}))
	}
	if g.chance(0.03) {
		opts = append(opts, g.pick([]string{"FOO", "COUNT", "STORE"}))
	}
	g.r.Shuffle(len(opts), func(i, j int) { opts[i], opts[j] = opts[j], opts[i] })
	return opts
}

// GEORADIUS[_RO] key lon lat radius unit [options] [STORE key|STOREDIST key]
func genGeoRadius(g *diffGen) diffCmd {
	lon, lat := g.point()
	if g.chance(0.2) {
		args := append([]string{"GEORADIUS_RO", g.key(), lon, lat}, g.radius()...)
		return cmdExact(append(args, g.geoOptions(true)...)...)
	}
	args := append([]string{"GEORADIUS", g.key(), lon, lat}, g.radius()...)
	return g.geoStoreOrReply(args, true)
}

// GEORADIUSBYMEMBER[_RO] key member radius unit [options] [STORE|STOREDIST key]
func genGeoRadiusByMember(g *diffGen) diffCmd {
	if g.chance(0.2) {
		args := append([]string{"GEORADIUSBYMEMBER_RO", g.key(), g.geoMember()}, g.radius()...)
		return cmdExact(append(args, g.geoOptions(true)...)...)
	}
	args := append([]string{"GEORADIUSBYMEMBER", g.key(), g.geoMember()}, g.radius()...)
	return g.geoStoreOrReply(args, true)
}

// geoStoreOrReply adds options and, now and then, STORE (to a pool key) or
// STOREDIST (to geoDistKey).
func (g *diffGen) geoStoreOrReply(args []string, radius bool) diffCmd {
	switch n := g.r.IntN(10); {
	case n == 0:
		return cmdExact(append(append(args, g.geoOptions(false)...), "STORE", g.own())...)
	case n == 1:
		return cmdExact(append(append(args, g.geoOptions(false)...), "STOREDIST", geoDistKey)...)
	}
	return cmdExact(append(args, g.geoOptions(true)...)...)
}

// geoFromBy returns GEOSEARCH's FROM and BY options, now and then both or
// neither of a pair.
func (g *diffGen) geoFromBy() []string {
	var args []string
	lon, lat := g.point()
	switch n := g.r.IntN(20); {
	case n < 8:
		args = append(args, "FROMMEMBER", g.geoMember())
	case n < 19:
		args = append(args, "FROMLONLAT", lon, lat)
	}
	switch n := g.r.IntN(20); {
	case n < 10:
		args = append(append(args, "BYRADIUS"), g.radius()...)
	case n < 19:
		r := g.radius()
		w := g.pick([]string{"1", "100", "400", "400", "3000"})
		if g.chance(0.04) {
			w = g.pick([]string{"-2", "x"})
		}
		args = append(args, "BYBOX", w, r[0], r[1])
	default:
		args = append(append(args, "BYRADIUS"), g.radius()...)
		args = append(args, "BYBOX", "10", "10", "km")
	}
	return args
}

// GEOSEARCH key FROM... BY... [options]
func genGeoSearch(g *diffGen) diffCmd {
	args := append([]string{"GEOSEARCH", g.key()}, g.geoFromBy()...)
	return cmdExact(append(args, g.geoOptions(true)...)...)
}

// GEOSEARCHSTORE dst src FROM... BY... [options] [STOREDIST]
func genGeoSearchStore(g *diffGen) diffCmd {
	if g.chance(0.3) {
		args := append([]string{"GEOSEARCHSTORE", geoDistKey, g.key()}, g.geoFromBy()...)
		return cmdExact(append(append(args, g.geoOptions(false)...), "STOREDIST")...)
	}
	args := append([]string{"GEOSEARCHSTORE", g.own(), g.key()}, g.geoFromBy()...)
	return cmdExact(append(args, g.geoOptions(g.chance(0.1))...)...)
}

// genGeoDistRead reads the STOREDIST results, scores compared to 14
// significant digits.
func genGeoDistRead(g *diffGen) diffCmd {
	return diffCmd{args: []string{"ZRANGE", geoDistKey, "0", "-1", "WITHSCORES"}, mode: cmpGeoDist}
}
