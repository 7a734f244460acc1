package main

// Random values of every type for the DUMP/RESTORE round trip
// (dump_roundtrip_test.go), built by commands so that each server picks
// its own encodings: small and large (crossing every listpack, intset and
// quicklist node limit), integers and binary strings, LZF-compressible
// runs, HyperLogLogs, streams with deletions and consumer groups.

import (
	"math/rand/v2"
	"strconv"
	"strings"
)

// dumpKinds are the value kinds the generator makes, in turn.
var dumpKinds = []string{"string", "hll", "list", "set", "zset", "hash", "stream"}

// genDumpValue returns the commands that build a random value of kind at
// key.
func genDumpValue(r *rand.Rand, kind, key string) [][]string {
	switch kind {
	case "string":
		return [][]string{{"SET", key, genElem(r)}}
	case "hll":
		cmd := []string{"PFADD", key}
		for range 1 + r.IntN(r.IntN(3000)+1) {
			cmd = append(cmd, strconv.Itoa(r.IntN(100000)))
		}
		return [][]string{cmd}
	case "list":
		return [][]string{append([]string{"RPUSH", key}, genElems(r, genSize(r))...)}
	case "set":
		n := genSize(r)
		cmd := []string{"SADD", key}
		ints := r.IntN(2) == 0
		for range n {
			if ints {
				cmd = append(cmd, strconv.FormatInt(genInt(r), 10))
			} else {
				cmd = append(cmd, genElem(r))
			}
		}
		return [][]string{cmd}
	case "zset":
		cmd := []string{"ZADD", key}
		for range genSize(r) {
			cmd = append(cmd, genScore(r), genElem(r))
		}
		return [][]string{cmd}
	case "hash":
		cmd := []string{"HSET", key}
		for range genSize(r) {
			cmd = append(cmd, genElem(r), genElem(r))
		}
		return [][]string{cmd}
	}
	return genStream(r, key)
}

// genSize is mostly small, sometimes past the compact encodings' limits
// (128 zset entries, 512 hash and intset entries, 8 kB list nodes).
func genSize(r *rand.Rand) int {
	switch r.IntN(10) {
	case 0:
		return 1 + r.IntN(700)
	case 1, 2:
		return 1 + r.IntN(150)
	}
	return 1 + r.IntN(12)
}

func genElems(r *rand.Rand, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = genElem(r)
	}
	return out
}

// genElem is a short text, an integer, binary bytes, a long
// compressible run or a value just past 64 bytes.
func genElem(r *rand.Rand) string {
	switch r.IntN(8) {
	case 0:
		return strconv.FormatInt(genInt(r), 10)
	case 1:
		b := make([]byte, r.IntN(30))
		for i := range b {
			b[i] = byte(r.IntN(256))
		}
		return string(b)
	case 2:
		return strings.Repeat(string(rune('a'+r.IntN(26))), 20+r.IntN(300))
	case 3:
		return strings.Repeat("x", 60+r.IntN(10))
	}
	return "v" + strconv.Itoa(r.IntN(1000000))
}

func genInt(r *rand.Rand) int64 {
	switch r.IntN(5) {
	case 0:
		return r.Int64N(1<<62) - 1<<61
	case 1:
		return r.Int64N(1<<33) - 1<<32
	case 2:
		return r.Int64N(20000) - 10000
	}
	return r.Int64N(200) - 100
}

func genScore(r *rand.Rand) string {
	switch r.IntN(8) {
	case 0:
		return "inf"
	case 1:
		return "-inf"
	case 2, 3:
		return strconv.FormatFloat(r.NormFloat64()*1e6, 'g', -1, 64)
	}
	return strconv.FormatInt(genInt(r), 10)
}

// genStream adds entries (some with the same fields as the first, some
// not), deletes a few, and may add groups that read, claim and ack.
func genStream(r *rand.Rand, key string) [][]string {
	var cmds [][]string
	fields := []string{"f1", "f2"}
	n := 1 + r.IntN(12)
	if r.IntN(8) == 0 {
		n = 100 + r.IntN(250) // several nodes
	}
	for i := range n {
		cmd := []string{"XADD", key, strconv.Itoa(i+1) + "-0"}
		if r.IntN(3) == 0 {
			cmd = append(cmd, genElem(r), genElem(r))
		} else {
			for _, f := range fields {
				cmd = append(cmd, f, genElem(r))
			}
		}
		cmds = append(cmds, cmd)
	}
	for range r.IntN(4) {
		cmds = append(cmds, []string{"XDEL", key, strconv.Itoa(1+r.IntN(n)) + "-0"})
	}
	for g := range r.IntN(3) {
		name := "g" + strconv.Itoa(g)
		cmds = append(cmds, []string{"XGROUP", "CREATE", key, name, "0"})
		for c := range r.IntN(3) {
			cmds = append(cmds, []string{"XREADGROUP", "GROUP", name, "c" + strconv.Itoa(c),
				"COUNT", strconv.Itoa(1 + r.IntN(5)), "STREAMS", key, ">"})
		}
		if r.IntN(2) == 0 {
			cmds = append(cmds, []string{"XACK", key, name, "1-0", "2-0"})
		}
	}
	return cmds
}
