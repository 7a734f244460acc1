package protocol

// GEO commands, as Redis 7.0's geo.c: points are sorted set members whose
// score is their 52-bit geohash (package geohash), so every sorted set
// command works on them too. GEOADD, GEOSEARCHSTORE, and GEORADIUS and
// GEORADIUSBYMEMBER with STORE or STOREDIST are writes (log entries); the
// rest are reads.

// geoLevel is the command level of the GEO write commands (see
// Table.Level).
const geoLevel = 5

var geoCommands = []*Command{
	{Name: "geoadd", Arity: -5, Flags: Write | DenyOOM, FirstKey: 1, LastKey: 1, Step: 1, Level: geoLevel,
		Group: "geo", Since: "3.2.0", Summary: "Add one or more geospatial items in the geospatial index represented using a sorted set",
		Handler: HandlerFunc(geoadd)},
	{Name: "geodist", Arity: -4, Flags: Readonly, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "geo", Since: "3.2.0", Summary: "Returns the distance between two members of a geospatial index",
		Handler: HandlerFunc(geodist)},
	{Name: "geohash", Arity: -2, Flags: Readonly, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "geo", Since: "3.2.0", Summary: "Returns members of a geospatial index as standard geohash strings",
		Handler: HandlerFunc(geohashCmd)},
	{Name: "geopos", Arity: -2, Flags: Readonly, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "geo", Since: "3.2.0", Summary: "Returns longitude and latitude of members of a geospatial index",
		Handler: HandlerFunc(geopos)},
	{Name: "georadius", Arity: -6, Flags: Write | DenyOOM, FirstKey: 1, LastKey: 1, Step: 1, Level: geoLevel,
		Group: "geo", Since: "3.2.0", Summary: "Query a sorted set representing a geospatial index to fetch members matching a given maximum distance from a point",
		Keys: georadiusKeys(6), CallFlags: georadiusCallFlags(6), Handler: HandlerFunc(georadius)},
	{Name: "georadius_ro", Arity: -6, Flags: Readonly, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "geo", Since: "3.2.10", Summary: "A read-only variant for GEORADIUS",
		Handler: HandlerFunc(georadiusRO)},
	{Name: "georadiusbymember", Arity: -5, Flags: Write | DenyOOM, FirstKey: 1, LastKey: 1, Step: 1, Level: geoLevel,
		Group: "geo", Since: "3.2.0", Summary: "Query a sorted set representing a geospatial index to fetch members matching a given maximum distance from a member",
		Keys: georadiusKeys(5), CallFlags: georadiusCallFlags(5), Handler: HandlerFunc(georadiusbymember)},
	{Name: "georadiusbymember_ro", Arity: -5, Flags: Readonly, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "geo", Since: "3.2.10", Summary: "A read-only variant for GEORADIUSBYMEMBER",
		Handler: HandlerFunc(georadiusbymemberRO)},
	{Name: "geosearch", Arity: -7, Flags: Readonly, FirstKey: 1, LastKey: 1, Step: 1,
		Group: "geo", Since: "6.2.0", Summary: "Query a sorted set representing a geospatial index to fetch members inside an area of a box or a circle.",
		Handler: HandlerFunc(geosearch)},
	{Name: "geosearchstore", Arity: -8, Flags: Write | DenyOOM, FirstKey: 1, LastKey: 2, Step: 1, Level: geoLevel,
		Group: "geo", Since: "6.2.0", Summary: "Query a sorted set representing a geospatial index to fetch members inside an area of a box or a circle, and store the result in another key.",
		Handler: HandlerFunc(geosearchstore)},
}

// georadiusKeys is the key extraction of GEORADIUS (options from argument
// 6) and GEORADIUSBYMEMBER (from 5), as Redis 7.0's key specs find them:
// the source key, then the key after the first STORE, then the key after
// the first STOREDIST, each keyword searched from the first option to the
// next-to-last argument.
func georadiusKeys(from int) func(argv [][]byte) []int {
	return func(argv [][]byte) []int {
		keys := []int{1}
		for _, kw := range []string{"store", "storedist"} {
			if i := geoKeyword(argv, from, kw); i > 0 {
				keys = append(keys, i+1)
			}
		}
		return keys
	}
}

// geoKeyword returns the position of the first argument from position from
// to the next-to-last that is kw, or 0.
func geoKeyword(argv [][]byte, from int, kw string) int {
	for i := from; i < len(argv)-1; i++ {
		if optionIs(argv[i], kw) {
			return i
		}
	}
	return 0
}

// georadiusCallFlags makes GEORADIUS and GEORADIUSBYMEMBER writes when
// they may store: whenever their key extraction finds a destination, which
// every STORE or STOREDIST option the parser accepts implies.
func georadiusCallFlags(from int) func(args [][]byte) Flags {
	keys := georadiusKeys(from)
	return func(args [][]byte) Flags {
		if len(keys(args)) > 1 {
			return Write
		}
		return Readonly
	}
}
