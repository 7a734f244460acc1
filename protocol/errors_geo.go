package protocol

import (
	"math"
	"strconv"
)

// GEO errors, part of the one catalog of errors.go, word for word as
// Redis 7.0's geo.c.
const (
	ErrGeoUnit         = "ERR unsupported unit provided. please use M, KM, FT, MI"
	ErrGeoRadius       = "ERR need numeric radius"
	ErrGeoWidth        = "ERR need numeric width"
	ErrGeoHeight       = "ERR need numeric height"
	ErrGeoNegRadius    = "ERR radius cannot be negative"
	ErrGeoNegBox       = "ERR height or width cannot be negative"
	ErrGeoMember       = "ERR could not decode requested zset member"
	ErrGeoCount        = "ERR COUNT must be > 0"
	ErrGeoAnyCount     = "ERR the ANY argument requires COUNT argument"
	ErrGeoStoreRadius  = "ERR STORE option in GEORADIUS is not compatible with WITHDIST, WITHHASH and WITHCOORD options"
	ErrGeoStoreSearch  = "ERR GEOSEARCHSTORE is not compatible with WITHDIST, WITHHASH and WITHCOORD options"
	errGeoFromPrefix   = "ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for "
	errGeoByPrefix     = "ERR exactly one of BYRADIUS and BYBOX can be specified for "
	errGeoLonLatPrefix = "ERR invalid longitude,latitude pair "
)

// ErrGeoFrom is GEOSEARCH's error for a missing FROMMEMBER or FROMLONLAT;
// cmd is the command name as the client sent it.
func ErrGeoFrom(cmd []byte) string { return errGeoFromPrefix + string(cmd) }

// ErrGeoBy is GEOSEARCH's error for a missing BYRADIUS or BYBOX.
func ErrGeoBy(cmd []byte) string { return errGeoByPrefix + string(cmd) }

// ErrGeoLonLat refuses a point outside Redis's limits, printed with C's
// "%f".
func ErrGeoLonLat(lon, lat float64) string {
	return errGeoLonLatPrefix + cFixed6(lon) + "," + cFixed6(lat)
}

// cFixed6 is printf's "%f" of a double that is not NaN.
func cFixed6(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	}
	return strconv.FormatFloat(f, 'f', 6, 64)
}
