package main

// Keyspace commands for the differential test. TTL-like replies are
// compared by sign only (the two servers' clocks differ); KEYS is sorted and
// SCAN compared as the union of a full walk (orders differ by design, see
// docs/compatibility.md).

var keyGens = []genFunc{
	genDel, genDel, genDel, genExists, genType, genRename, genCopy, genPersist, genExpire, genExpire,
	genExpireAt, genTTL, genDBSize, genKeys, genScan, genTouch, genRandomKey, genFlush,
	genPing, genPing, genMove, genSwapDB,
}

// diffDBs are the databases the stream uses (with an out-of-range one and
// a non-integer for the errors).
var diffDBs = []string{"0", "0", "1", "2", "16", "-1", "x"}

var diffPatterns = []string{"*", "k1*", "k?", "k[1-3]", "*1*", "k[^0]*", "nomatch", "k\\1", "[a-"}

// DEL key [key ...] / UNLINK key [key ...]
func genDel(g *diffGen) diffCmd {
	keys := g.some(1, 3, g.key)
	g.clear(keys...)
	return cmdExact(append([]string{g.pick([]string{"DEL", "UNLINK"})}, keys...)...)
}

// EXISTS key [key ...]
func genExists(g *diffGen) diffCmd {
	return cmdExact(append([]string{"EXISTS"}, g.some(1, 4, g.key)...)...)
}

// TYPE key
func genType(g *diffGen) diffCmd { return cmdExact("TYPE", g.key()) }

// RENAME key newkey / RENAMENX key newkey
func genRename(g *diffGen) diffCmd {
	src, dst := g.key(), g.key()
	g.copyTaint(src, dst)
	return cmdExact(g.pick([]string{"RENAME", "RENAMENX"}), src, dst)
}

// COPY source destination [DB destination-db] [REPLACE]
func genCopy(g *diffGen) diffCmd {
	src, dst := g.key(), g.key()
	g.copyTaint(src, dst)
	args := []string{"COPY", src, dst}
	if g.chance(0.2) {
		g.multiDB = true
		args = append(args, "DB", g.pick(diffDBs))
	}
	if g.chance(0.4) {
		args = append(args, "REPLACE")
	}
	if g.chance(0.05) {
		args = append(args, g.pick([]string{"FOO", "DB"}))
	}
	return cmdExact(args...)
}

// PERSIST key
func genPersist(g *diffGen) diffCmd { return cmdExact("PERSIST", g.key()) }

// EXPIRE key seconds [NX|XX|GT|LT] / PEXPIRE key milliseconds [...]
func genExpire(g *diffGen) diffCmd {
	secs := g.relSeconds()
	if g.chance(0.1) {
		secs = int64(-g.r.IntN(3)) // deletes the key
	}
	args := []string{"EXPIRE", g.key(), fmtInt(secs)}
	if g.chance(0.5) {
		args[0], args[2] = "PEXPIRE", fmtInt(1000*secs)
	}
	return cmdExact(append(args, g.expireFlags()...)...)
}

func (g *diffGen) expireFlags() []string {
	flags := []string{"NX", "XX", "GT", "LT"}
	switch n := g.r.IntN(10); {
	case n < 5:
		return []string{g.pick(flags)}
	case n == 5:
		return []string{g.pick(flags), g.pick(flags)}
	case n == 6:
		return []string{g.pick([]string{"FOO", "9223372036854775807", "x"})}
	}
	return nil
}

// EXPIREAT key unix-time [NX|XX|GT|LT] / PEXPIREAT key unix-time-ms [...]
func genExpireAt(g *diffGen) diffCmd {
	at := g.absSeconds(true)
	args := []string{"EXPIREAT", g.key(), fmtInt(at)}
	if g.chance(0.5) {
		args[0], args[2] = "PEXPIREAT", fmtInt(1000*at+3)
	}
	if g.chance(0.05) {
		args[2] = g.pick([]string{"9223372036854775807", "abc", "-9223372036854775808"})
	}
	return cmdExact(append(args, g.expireFlags()...)...)
}

// TTL PTTL EXPIRETIME PEXPIRETIME key
func genTTL(g *diffGen) diffCmd {
	return cmdSign(g.pick([]string{"TTL", "PTTL", "EXPIRETIME", "PEXPIRETIME"}), g.key())
}

// DBSIZE
func genDBSize(g *diffGen) diffCmd { return cmdExact("DBSIZE") }

// KEYS pattern
func genKeys(g *diffGen) diffCmd { return cmdSorted("KEYS", g.pick(diffPatterns)) }

// SCAN cursor [MATCH pattern] [COUNT count] [TYPE type], walked in full.
func genScan(g *diffGen) diffCmd {
	args := []string{"SCAN", "0"}
	if g.chance(0.05) {
		return cmdExact("SCAN", g.pick([]string{"abc", "1x", " 1", "0x1"}))
	}
	return cmdWalk(append(args, g.scanOpts(true)...)...)
}

// scanOpts returns random SCAN-family options, sometimes bad ones.
func (g *diffGen) scanOpts(withType bool) []string {
	var opts []string
	if g.chance(0.5) {
		opts = append(opts, "MATCH", g.pick(diffPatterns))
	}
	if g.chance(0.5) {
		opts = append(opts, "COUNT", g.num(1, 20))
	}
	if withType && g.chance(0.3) {
		opts = append(opts, "TYPE", g.pick([]string{"string", "hash", "set", "zset", "list", "stream", "foo"}))
	}
	if g.chance(0.03) {
		opts = append(opts, g.pick2([][]string{{"COUNT", "0"}, {"COUNT", "x"}, {"MATCH"}, {"FOO", "1"}})...)
	}
	return opts
}

// TOUCH key [key ...]
func genTouch(g *diffGen) diffCmd {
	return cmdExact(append([]string{"TOUCH"}, g.some(1, 3, g.key)...)...)
}

// RANDOMKEY: random by design, so only null versus a key is compared.
func genRandomKey(g *diffGen) diffCmd { return cmdShape("RANDOMKEY") }

// FLUSHALL / FLUSHDB [ASYNC|SYNC], rarely: it resets the stream's state.
func genFlush(g *diffGen) diffCmd {
	if !g.chance(0.1) {
		return cmdExact("EXISTS", g.key())
	}
	args := []string{g.pick([]string{"FLUSHALL", "FLUSHDB"})}
	if args[0] == "FLUSHALL" || !g.multiDB {
		g.flushed()
	}
	if g.chance(0.5) {
		args = append(args, g.pick([]string{"SYNC", "ASYNC"}))
	}
	return cmdExact(args...)
}

// PING [message] / ECHO message / SELECT index (16 and -1 are out of
// range)
func genPing(g *diffGen) diffCmd {
	switch g.r.IntN(4) {
	case 0:
		return cmdExact("ECHO", g.value())
	case 1:
		g.multiDB = true
		return cmdExact("SELECT", g.pick(diffDBs))
	}
	return cmdExact(append([]string{"PING"}, g.some(0, 1, g.value)...)...)
}

// MOVE key db
func genMove(g *diffGen) diffCmd {
	g.multiDB = true
	return cmdExact("MOVE", g.key(), g.pick(diffDBs))
}

// SWAPDB index1 index2
func genSwapDB(g *diffGen) diffCmd {
	if !g.chance(0.2) {
		return cmdExact("DBSIZE")
	}
	g.multiDB = true
	return cmdExact("SWAPDB", g.pick(diffDBs), g.pick(diffDBs))
}
