package main

// DUMP/RESTORE round trips and raw HyperLogLog reads for the differential
// test. Both use keys of their own, outside the shared pool, so that what
// they compare byte for byte stays equal by design:
//
//   - "dr1", "dr2" hold only values RESTOREd from payloads geetcache's own
//     encoder (datatypes/rdb) wrote: strings, lists, integer sets, small
//     hashes and sorted sets, whose DUMP is Redis's byte for byte (a set
//     in a hash table, whose order is the table's, is never made).
//   - "hr1", "hr2" hold only small HyperLogLogs (at most a dozen members,
//     far from hll-sparse-max-bytes), whose GET is Redis's "HYLL" string
//     byte for byte, its cached count too: a single-key PFCOUNT stores it
//     in the string as Redis's does.

import (
	"strconv"

	"github.com/geetcache/geetcache/datatypes"
	"github.com/geetcache/geetcache/datatypes/rdb"
)

var dumpGens = []genFunc{genRestore, genRestore, genRestoreBad, genDumpOwn, genDumpRead, genDumpPool}

var hllRawGens = []genFunc{genHLLRawAdd, genHLLRawAdd, genHLLRawRead, genHLLRawRead, genHLLRawDebug, genHLLRawMerge}

var dumpKeys = []string{"dr1", "dr2"}

var hllRawKeys = []string{"hr1", "hr2"}

// dumpValue returns a random value whose DUMP is Redis's byte for byte.
func (g *diffGen) dumpValue() datatypes.Value {
	switch g.r.IntN(5) {
	case 0:
		return datatypes.String(g.value())
	case 1:
		l := datatypes.NewList()
		for _, v := range g.some(1, 6, g.value) {
			l.PushBack([]byte(v))
		}
		return l
	case 2:
		s := datatypes.NewSet()
		for range 1 + g.r.IntN(6) {
			s.Add(strconv.Itoa(g.r.IntN(2000) - 1000))
		}
		return s
	case 3:
		h := datatypes.NewHash() // values of at most 64 bytes: a listpack
		for _, f := range g.some(1, 4, g.field) {
			if v := g.value(); v != longValue {
				h.Set(f, v)
			}
		}
		if h.Len() == 0 {
			h.Set("f1", "v1")
		}
		return h
	default:
		var ms []datatypes.ZMember
		seen := map[string]bool{}
		for _, m := range g.some(1, 5, g.member) {
			if !seen[m] && m != longValue { // a listpack
				seen[m] = true
				ms = append(ms, datatypes.ZMember{Member: m, Score: float64(g.r.IntN(20)) / 4})
			}
		}
		return datatypes.NewZSetFrom(ms)
	}
}

// RESTORE key ttl payload [REPLACE] [IDLETIME s] [FREQ f]
func genRestore(g *diffGen) diffCmd {
	payload := rdb.Dump(g.dumpValue(), datatypes.DefaultEncodingLimits)
	args := []string{"RESTORE", g.pick(dumpKeys), g.pick([]string{"0", "0", "100000000"}), string(payload)}
	if g.chance(0.8) {
		args = append(args, "REPLACE")
	}
	if g.chance(0.2) {
		args = append(args, "IDLETIME", g.num(0, 100))
	}
	return cmdExact(args...)
}

// genRestoreBad sends RESTORE with a payload cut short, a bad checksum or
// a negative TTL.
func genRestoreBad(g *diffGen) diffCmd {
	payload := rdb.Dump(g.dumpValue(), datatypes.DefaultEncodingLimits)
	switch g.r.IntN(3) {
	case 0:
		payload = payload[:len(payload)-1]
	case 1:
		payload[len(payload)-1] ^= 0xff
	default:
		return cmdExact("RESTORE", g.pick(dumpKeys), "-5", string(payload), "REPLACE")
	}
	return cmdExact("RESTORE", g.pick(dumpKeys), "0", string(payload), "REPLACE")
}

// genDumpOwn dumps a restored key: Redis's bytes by design.
func genDumpOwn(g *diffGen) diffCmd { return cmdExact("DUMP", g.pick(dumpKeys)) }

// genDumpRead reads a restored key back.
func genDumpRead(g *diffGen) diffCmd {
	k := g.pick(dumpKeys)
	switch g.r.IntN(5) {
	case 0:
		return cmdExact("TYPE", k)
	case 1:
		return cmdExact("LRANGE", k, "0", "-1")
	case 2:
		return cmdSorted("SMEMBERS", k)
	case 3:
		return cmdExact("HGETALL", k)
	default:
		return cmdExact("ZRANGE", k, "0", "-1", "WITHSCORES")
	}
}

// genDumpPool dumps a key of the shared pool: a value or nil alike, the
// bytes not (a set's or hash's table order is each server's own).
func genDumpPool(g *diffGen) diffCmd { return cmdShape("DUMP", g.key()) }

// PFADD hr [member ...], a dozen members at most.
func genHLLRawAdd(g *diffGen) diffCmd {
	return cmdExact(append([]string{"PFADD", g.pick(hllRawKeys)}, g.some(0, 4, g.member)...)...)
}

// genHLLRawRead reads an HLL's raw bytes.
func genHLLRawRead(g *diffGen) diffCmd {
	k := g.pick(hllRawKeys)
	switch g.r.IntN(4) {
	case 0:
		return cmdExact("GET", k)
	case 1:
		return cmdExact("STRLEN", k)
	case 2:
		return cmdExact("GETRANGE", k, g.num(0, 20), g.num(-3, 40))
	default:
		return cmdExact("DUMP", k)
	}
}

// genHLLRawDebug sends PFDEBUG ENCODING, DECODE or (rarely) TODENSE.
func genHLLRawDebug(g *diffGen) diffCmd {
	sub := g.pick([]string{"ENCODING", "DECODE", "DECODE", "TODENSE", "GETREG"})
	if sub == "TODENSE" && g.chance(0.7) {
		sub = "ENCODING"
	}
	return cmdExact("PFDEBUG", sub, g.pick(hllRawKeys))
}

// genHLLRawMerge merges the two raw keys, counts their union (a
// multi-key PFCOUNT stores no count) or counts one (which stores it).
func genHLLRawMerge(g *diffGen) diffCmd {
	switch g.r.IntN(4) {
	case 0:
		return cmdExact("PFCOUNT", "hr1", "hr2")
	case 1:
		return cmdExact("PFCOUNT", g.pick(hllRawKeys))
	}
	return cmdExact("PFMERGE", g.pick(hllRawKeys), "hr1", "hr2")
}
