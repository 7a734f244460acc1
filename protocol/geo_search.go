package protocol

import (
	"github.com/geetcache/geetcache/datatypes"
	"github.com/geetcache/geetcache/geohash"
)

// The search commands, as Redis 7.0's georadiusGeneric: GEORADIUS,
// GEORADIUSBYMEMBER, their _RO forms, GEOSEARCH and GEOSEARCHSTORE.

// geoSearchKind is which command family parses the arguments.
type geoSearchKind uint8

const (
	geoRadiusCoords geoSearchKind = 1 << iota // GEORADIUS: key lon lat radius unit
	geoRadiusMember                           // GEORADIUSBYMEMBER: key member radius unit
	geoNoStore                                // the _RO forms: no STORE or STOREDIST
	geoSearch                                 // GEOSEARCH: FROM... and BY... options
	geoSearchStore                            // GEOSEARCHSTORE: dst src, STOREDIST flag
)

// geoSort is the requested order of the results.
type geoSort uint8

const (
	geoSortNone geoSort = iota
	geoSortAsc
	geoSortDesc
)

// geoQuery is a parsed search.
type geoQuery struct {
	shape                          geohash.Shape
	store                          []byte // destination, nil: reply
	storeDist                      bool
	storeEvent                     string // the keyspace event of a store
	withDist, withHash, withCoords bool
	fromMember, fromLonLat         bool
	byRadius, byBox                bool
	sort                           geoSort
	any                            bool
	count                          int64 // 0: unlimited
}

// GEORADIUS key longitude latitude radius M|KM|FT|MI [WITHCOORD] [WITHDIST] [WITHHASH] [COUNT count [ANY]] [ASC|DESC] [STORE key] [STOREDIST key]
func georadius(c *Ctx) { geoSearchGeneric(c, 1, geoRadiusCoords) }

// GEORADIUSBYMEMBER key member radius M|KM|FT|MI [WITHCOORD] [WITHDIST] [WITHHASH] [COUNT count [ANY]] [ASC|DESC] [STORE key] [STOREDIST key]
func georadiusbymember(c *Ctx) { geoSearchGeneric(c, 1, geoRadiusMember) }

// GEORADIUS_RO key longitude latitude radius M|KM|FT|MI [WITHCOORD] [WITHDIST] [WITHHASH] [COUNT count [ANY]] [ASC|DESC]
func georadiusRO(c *Ctx) { geoSearchGeneric(c, 1, geoRadiusCoords|geoNoStore) }

// GEORADIUSBYMEMBER_RO key member radius M|KM|FT|MI [WITHCOORD] [WITHDIST] [WITHHASH] [COUNT count [ANY]] [ASC|DESC]
func georadiusbymemberRO(c *Ctx) { geoSearchGeneric(c, 1, geoRadiusMember|geoNoStore) }

// GEOSEARCH key FROMMEMBER member|FROMLONLAT longitude latitude BYRADIUS radius M|KM|FT|MI|BYBOX width height M|KM|FT|MI [ASC|DESC] [COUNT count [ANY]] [WITHCOORD] [WITHDIST] [WITHHASH]
func geosearch(c *Ctx) { geoSearchGeneric(c, 1, geoSearch) }

// GEOSEARCHSTORE destination source FROMMEMBER member|FROMLONLAT longitude latitude BYRADIUS radius M|KM|FT|MI|BYBOX width height M|KM|FT|MI [ASC|DESC] [COUNT count [ANY]] [STOREDIST]
func geosearchstore(c *Ctx) { geoSearchGeneric(c, 2, geoSearch|geoSearchStore) }

// geoSearchGeneric runs a search on the sorted set at c.Args[src]. Its
// checks come in Redis's order: the key's type, the fixed arguments, the
// options one by one, then their combination.
func geoSearchGeneric(c *Ctx, src int, kind geoSearchKind) {
	z, ok := lookupTypedRead[*datatypes.ZSet](c, c.Args[src])
	if !ok {
		return
	}
	q, ok := parseGeoQuery(c, z, kind)
	if !ok {
		return
	}
	q.storeEvent = "georadiusstore"
	if kind&geoSearch != 0 {
		q.storeEvent = "geosearchstore"
	}
	if z == nil {
		q.finish(c, nil)
		return
	}
	if q.count != 0 && q.sort == geoSortNone && !q.any {
		q.sort = geoSortAsc
	}
	limit := 0
	if q.any {
		limit = int(min(q.count, int64(z.Len())))
	}
	points := geoCollect(z, &q.shape, limit)
	q.finish(c, points)
}

// parseGeoQuery parses everything after the key; on an error it replies.
// z is the source (nil when missing: a member to search from is then not
// looked up).
func parseGeoQuery(c *Ctx, z *datatypes.ZSet, kind geoSearchKind) (q geoQuery, ok bool) {
	base := 2
	switch {
	case kind&geoRadiusCoords != 0:
		base = 6
		if q.shape.Lon, q.shape.Lat, ok = parseLonLat(c, c.Args[2:]); !ok {
			return q, false
		}
		if !parseGeoRadius(c, c.Args[4:], &q.shape) {
			return q, false
		}
	case kind&geoRadiusMember != 0:
		base = 5
		if z != nil {
			if !geoFromMember(c, z, c.Args[2], &q.shape) || !parseGeoRadius(c, c.Args[3:], &q.shape) {
				return q, false
			}
		}
	case kind&geoSearchStore != 0:
		base = 3
		q.store = c.Args[1]
	}
	if !q.parseOptions(c, z, kind, c.Args[base:]) {
		return q, false
	}
	return q, q.check(c, kind)
}

// parseGeoRadius parses "radius unit" into s as a circle.
func parseGeoRadius(c *Ctx, args [][]byte, s *geohash.Shape) bool {
	r, ok := parseScore(args[0])
	switch {
	case !ok:
		c.Out.Error(ErrGeoRadius)
		return false
	case r < 0:
		c.Out.Error(ErrGeoNegRadius)
		return false
	}
	conv, ok := parseGeoUnit(c, args[1])
	s.Box, s.Radius, s.Conversion = false, r, conv
	return ok
}

// parseGeoBox parses "width height unit" into s as a box.
func parseGeoBox(c *Ctx, args [][]byte, s *geohash.Shape) bool {
	w, ok := parseScore(args[0])
	if !ok {
		c.Out.Error(ErrGeoWidth)
		return false
	}
	h, ok := parseScore(args[1])
	switch {
	case !ok:
		c.Out.Error(ErrGeoHeight)
		return false
	case h < 0 || w < 0:
		c.Out.Error(ErrGeoNegBox)
		return false
	}
	conv, ok := parseGeoUnit(c, args[2])
	s.Box, s.Width, s.Height, s.Conversion = true, w, h, conv
	return ok
}

// geoFromMember centers s on member's point.
func geoFromMember(c *Ctx, z *datatypes.ZSet, member []byte, s *geohash.Shape) bool {
	score, found := z.Score(view(member))
	if !found {
		c.Out.Error(ErrGeoMember)
		return false
	}
	s.Lon, s.Lat = geohash.DecodeScore(score)
	return true
}

// parseOptions parses the options after the fixed arguments.
func (q *geoQuery) parseOptions(c *Ctx, z *datatypes.ZSet, kind geoSearchKind, opts [][]byte) bool {
	search := kind&geoSearch != 0
	storeOK := kind&(geoNoStore|geoSearch) == 0
	for i := 0; i < len(opts); i++ {
		left := len(opts) - i - 1
		switch a := opts[i]; {
		case optionIs(a, "withdist"):
			q.withDist = true
		case optionIs(a, "withhash"):
			q.withHash = true
		case optionIs(a, "withcoord"):
			q.withCoords = true
		case optionIs(a, "any"):
			q.any = true
		case optionIs(a, "asc"):
			q.sort = geoSortAsc
		case optionIs(a, "desc"):
			q.sort = geoSortDesc
		case optionIs(a, "count") && left >= 1:
			n, ok := ParseInt(opts[i+1])
			if !ok {
				c.Out.Error(ErrNotInteger)
				return false
			}
			if n <= 0 {
				c.Out.Error(ErrGeoCount)
				return false
			}
			q.count = n
			i++
		case (optionIs(a, "store") || optionIs(a, "storedist")) && left >= 1 && storeOK:
			q.store, q.storeDist = opts[i+1], optionIs(a, "storedist")
			i++
		case optionIs(a, "storedist") && kind&geoSearchStore != 0:
			q.storeDist = true
		case optionIs(a, "frommember") && left >= 1 && search && !q.fromLonLat:
			if z != nil && !geoFromMember(c, z, opts[i+1], &q.shape) {
				return false
			}
			q.fromMember = true
			i++
		case optionIs(a, "fromlonlat") && left >= 2 && search && !q.fromMember:
			var ok bool
			if q.shape.Lon, q.shape.Lat, ok = parseLonLat(c, opts[i+1:]); !ok {
				return false
			}
			q.fromLonLat = true
			i += 2
		case optionIs(a, "byradius") && left >= 2 && search && !q.byBox:
			if !parseGeoRadius(c, opts[i+1:], &q.shape) {
				return false
			}
			q.byRadius = true
			i += 2
		case optionIs(a, "bybox") && left >= 3 && search && !q.byRadius:
			if !parseGeoBox(c, opts[i+1:], &q.shape) {
				return false
			}
			q.byBox = true
			i += 3
		default:
			c.Out.Error(ErrSyntax)
			return false
		}
	}
	return true
}

// check refuses the combinations Redis refuses once the options are read.
func (q *geoQuery) check(c *Ctx, kind geoSearchKind) bool {
	switch {
	case q.store != nil && (q.withDist || q.withHash || q.withCoords):
		if kind&geoSearchStore != 0 {
			c.Out.Error(ErrGeoStoreSearch)
		} else {
			c.Out.Error(ErrGeoStoreRadius)
		}
	case kind&geoSearch != 0 && !q.fromMember && !q.fromLonLat:
		c.Out.Error(ErrGeoFrom(c.Args[0]))
	case kind&geoSearch != 0 && !q.byRadius && !q.byBox:
		c.Out.Error(ErrGeoBy(c.Args[0]))
	case q.any && q.count == 0:
		c.Out.Error(ErrGeoAnyCount)
	default:
		return true
	}
	return false
}
