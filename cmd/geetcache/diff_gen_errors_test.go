package main

// Error paths for the differential test: wrong arity, unknown commands and
// mixed-case names. (Bad options and non-numbers are sent by each family's
// own generators.)

import "strings"

var errorGens = []genFunc{genWrongArity, genUnknown, genMixedCase}

// arityCmds are commands of every family sent with too few or too many
// arguments.
var arityCmds = [][]string{
	{"GET"}, {"GET", "k0", "k1"}, {"SET", "k0"}, {"STRLEN"}, {"INCR", "k0", "1"},
	{"DEL"}, {"TYPE", "k0", "k1"}, {"EXPIRE", "k0"}, {"RENAME", "k0"}, {"KEYS"},
	{"SETBIT", "k0", "1"}, {"BITOP", "AND", "k0"}, {"PFMERGE"}, {"PFCOUNT"},
	{"HSET", "k0", "f"}, {"HGET", "k0"}, {"HGETALL"}, {"SADD", "k0"}, {"SMOVE", "k0", "k1"},
	{"LPUSH", "k0"}, {"LRANGE", "k0", "0"}, {"LMPOP", "1"}, {"ZADD", "k0", "1"},
	{"ZRANGE", "k0", "0"}, {"ZSCORE", "k0"}, {"ZUNIONSTORE", "k0", "1"}, {"SCAN"},
	{"DBSIZE", "x"}, {"SINTERCARD", "1"}, {"BLPOP", "k0"}, {"ECHO"}, {"PING", "a", "b"},
	{"MSET", "k0"}, {"MSET", "k0", "v", "k1"}, {"MSETNX", "k0"}, {"HMSET", "k0", "f"},
	{"SELECT"}, {"COPY", "k0"}, {"LCS", "k0"}, {"GETEX"}, {"BITFIELD"}, {"ZINTERCARD", "1"},
}

// genWrongArity sends a command with the wrong number of arguments.
func genWrongArity(g *diffGen) diffCmd { return cmdExact(g.pick2(arityCmds)...) }

// unknownNames are command names neither server knows, in lower case.
var unknownNames = []string{"nosuchcmd", "", "gett", "hello world", "x\x00y"}

// genUnknown sends a name no server knows, with arguments (Redis quotes up
// to 128 bytes of them in the error).
func genUnknown(g *diffGen) diffCmd {
	name := strings.ToUpper(g.pick(unknownNames))
	args := append([]string{name}, g.some(0, 3, g.value)...)
	return cmdExact(args...)
}

// genMixedCase sends a common command with its name in mixed case.
func genMixedCase(g *diffGen) diffCmd {
	switch g.r.IntN(4) {
	case 0:
		return cmdExact("gEt", g.strKey())
	case 1:
		return cmdExact("sAdD", g.key(), g.member())
	case 2:
		return cmdExact("zscore", g.key(), g.member())
	}
	return cmdExact("Exists", g.key())
}
