package main

// SORT and SORT_RO for the differential test, over the lists, sets and
// sorted sets the other families build. Redis leaves some orders open,
// which are then compared unordered (or by shape with LIMIT): a set's own
// order (BY nosort without STORE) and ties of ALPHA BY values (its qsort
// or, with LIMIT, its partial quicksort). STORE is only sent when the
// order is fully defined and Redis cannot fail at random, so the two
// keyspaces stay equal.

var sortGens = []genFunc{genSort, genSort, genSort, genSortRO}

// sortPatterns are BY and GET patterns: keys of the pool ("k*" with the
// element 1 is k1), hash fields ("k*->f1"), "#" and constants.
var sortPatterns = []string{"k*", "k*->f1", "k*->1", "#", "nosort", "*", "x*", "k*->", "k1*"}

// sortSafePatterns read no string key of the pool.
var sortSafePatterns = []string{"k*->f1", "k*->1", "#", "nosort", "x*"}

// genSort sends SORT with random options.
func genSort(g *diffGen) diffCmd { return g.sortCmd("SORT", true) }

// genSortRO sends SORT_RO, now and then with STORE (a syntax error).
func genSortRO(g *diffGen) diffCmd { return g.sortCmd("SORT_RO", g.chance(0.1)) }

func (g *diffGen) sortCmd(name string, mayStore bool) diffCmd {
	key := g.pick([]string{"k6", "k7", "k8", "k9", "k10", "k11", g.key()})
	args := []string{name, key}
	var by string
	alpha, limit := false, false
	patterns := sortPatterns
	if len(g.hll) > 0 {
		patterns = sortSafePatterns // "k*" could read an HyperLogLog's bytes
	}
	if g.chance(0.5) {
		by = g.pick(patterns)
		args = append(args, "BY", by)
	}
	if g.chance(0.4) {
		limit = true
		args = append(args, "LIMIT", g.pick([]string{"0", "1", "2", "-1", "50", "x"}),
			g.pick([]string{"0", "1", "3", "-1", "100"}))
	}
	for range g.r.IntN(3) {
		args = append(args, "GET", g.pick(patterns))
	}
	if g.chance(0.4) {
		args = append(args, g.pick([]string{"ASC", "DESC", "desc"}))
	}
	if g.chance(0.5) {
		alpha = true
		args = append(args, "ALPHA")
	}
	if g.chance(0.03) {
		args = append(args, g.pick([]string{"BY", "LIMIT", "FOO"}))
	}
	byPattern := by != "" && by != "nosort" && by != "#"
	nosort := by == "nosort" || by == "#"
	open := alpha && byPattern
	// A numeric sort may fail in Redis on a stale errno (see cmpSortNum):
	// it stores only with ALPHA or BY nosort.
	if mayStore && !open && (alpha || nosort) && g.chance(0.3) {
		dst := g.pick([]string{"k8", "k9", g.key()})
		return cmdExact(append(args, "STORE", dst)...)
	}
	if open || nosort {
		if limit {
			return cmdShape(args...)
		}
		return cmdSorted(args...)
	}
	if !alpha {
		return diffCmd{args: args, mode: cmpSortNum}
	}
	return cmdExact(args...)
}
