package main

import (
	"strconv"
	"strings"
	"testing"
)

// Transactions in the differential stream: some pipelined runs are sent as
// MULTI ... EXEC instead, and EXEC's array is compared element by element,
// each under its own command's mode.

// multiEvery is how often (one run in multiEvery) a run becomes a
// transaction.
const multiEvery = 6

// pipelineMulti sends cmds as one transaction to both servers and compares
// MULTI's and every QUEUED (or queueing error) reply exactly, then EXEC's.
//
// Only runs whose every command would be queued are sent so: a command
// refused at queueing discards the whole transaction, which the generator,
// having generated the batch ahead, cannot take back (TestMulti checks
// EXECABORT instead).
func (d *diffRun) pipelineMulti(p *diffPair, cmds []diffCmd) bool {
	for _, c := range cmds {
		if !d.queueable(c.args) {
			return d.pipelinePlain(p, cmds)
		}
	}
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
		d.gen.aborted()
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
		if !sameReply(c, want.elems[i], got.elems[i]) {
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

// queueable reports whether MULTI would queue args: a known command, not
// a container (its subcommand could be refused), with a valid arity.
func (d *diffRun) queueable(args []string) bool {
	a := d.arity[strings.ToLower(args[0])]
	switch {
	case a == 0:
		return false
	case a > 0:
		return len(args) == a
	}
	return len(args) >= -a
}

// commandArities returns each command's arity from COMMAND, 0 for a
// container.
func commandArities(t *testing.T, s *diffSide) map[string]int {
	t.Helper()
	rep, err := s.roundTrip([]string{"COMMAND"})
	if err != nil || rep.kind != '*' {
		t.Fatalf("COMMAND answered %q (%v)", rep.raw, err)
	}
	out := map[string]int{}
	for _, info := range rep.elems {
		if len(info.elems) < 2 {
			continue
		}
		a, _ := strconv.Atoi(replyText(info.elems[1]))
		if len(info.elems) > 9 && len(info.elems[9].elems) > 0 {
			a = 0
		}
		out[strings.ToLower(replyText(info.elems[0]))] = a
	}
	return out
}

// aborted undoes, as far as it can, what the generator learned from a
// discarded transaction: every pool key may hold an HLL again.
func (g *diffGen) aborted() {
	for _, k := range diffKeys {
		g.taint(k)
	}
}
