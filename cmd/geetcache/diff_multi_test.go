package main

import "slices"

// Transactions in the differential stream: some pipelined runs are sent as
// MULTI ... EXEC instead, and EXEC's array is compared element by element,
// each under its own command's mode.

// multiEvery is how often (one run in multiEvery) a run becomes a
// transaction.
const multiEvery = 6

// pipelineMulti sends cmds as one transaction to both servers and compares
// MULTI's and every QUEUED (or queueing error) reply exactly, then EXEC's.
func (d *diffRun) pipelineMulti(p *diffPair, cmds []diffCmd) bool {
	argv := make([][]string, 0, len(cmds)+2)
	argv = append(argv, []string{"MULTI"})
	for _, c := range cmds {
		argv = append(argv, c.args)
	}
	argv = append(argv, []string{"EXEC"})
	fromRedis, fromGC := p.batch(d.t, argv)
	for i := range len(cmds) + 1 {
		if string(fromRedis[i].raw) != string(fromGC[i].raw) {
			d.mismatch(p, diffCmd{args: argv[i], seq: seqOf(cmds, i)}, fromRedis[i].raw, fromGC[i].raw)
			return false
		}
	}
	want, got := fromRedis[len(cmds)+1], fromGC[len(cmds)+1]
	d.compared += len(cmds) + 2
	d.multis++
	if want.kind == '-' {
		d.aborts++
		d.gen.aborted(cmds)
	}
	if len(want.elems) != len(cmds) || want.null {
		return d.sameExec(p, cmds, want, got) // EXECABORT and the like
	}
	if len(got.elems) != len(cmds) {
		return d.sameExec(p, cmds, want, got)
	}
	for i, c := range cmds {
		d.stats.add(c.args[0], want.elems[i].raw)
		d.remember(c, want.elems[i].raw)
		if diffCanonical(want.elems[i], c.mode) != diffCanonical(got.elems[i], c.mode) {
			d.mismatch(p, c, want.elems[i].raw, got.elems[i].raw)
			return false
		}
	}
	return true
}

// sameExec compares an EXEC reply that is not an array of results exactly.
func (d *diffRun) sameExec(p *diffPair, cmds []diffCmd, want, got respReply) bool {
	if string(want.raw) != string(got.raw) {
		d.mismatch(p, diffCmd{args: []string{"EXEC"}, seq: seqOf(cmds, len(cmds))}, want.raw, got.raw)
		return false
	}
	return true
}

// seqOf is the stream position of reply i of a transaction (MULTI is 0).
func seqOf(cmds []diffCmd, i int) int {
	if i > 0 && i <= len(cmds) {
		return cmds[i-1].seq
	}
	return cmds[len(cmds)-1].seq
}

// aborted undoes what the generator learned from a discarded transaction:
// a key it now thinks was overwritten may still hold an HLL, so every pool
// key the transaction named is marked as possibly holding one.
func (g *diffGen) aborted(cmds []diffCmd) {
	for _, c := range cmds {
		for _, a := range c.args[1:] {
			if slices.Contains(diffKeys, a) {
				g.taint(a)
			}
		}
	}
}
