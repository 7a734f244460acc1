package server

import (
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/geetcache/geetcache/protocol"
)

// Command statistics, as Redis 7.0 keeps them for INFO commandstats: per
// command (and per subcommand, named "config|get"), the calls that ran, the
// time they took, the calls refused before they ran (rejected: wrong arity,
// OOM, BUSY, a refusal while queueing in MULTI) and the calls that ran and
// answered an error (failed). They count what this node's connections
// asked, a follower's links to the leader included (see
// docs/operations.md).

// cmdStat is one command's counters; every field is updated atomically.
type cmdStat struct {
	name     string // Redis's name: "get", "config|get"
	script   bool   // EVAL, FCALL...: its error may be one already counted
	calls    atomic.Int64
	nanos    atomic.Int64
	rejected atomic.Int64
	failed   atomic.Int64
	hist     atomic.Pointer[latencyHist] // INFO latencystats; nil until timed
}

// cmdStats holds a cmdStat for every command and subcommand of the table.
// The maps are built once, by newCmdStats, and only read afterwards, so
// they need no lock.
type cmdStats struct {
	byCmd  map[*protocol.Command]*cmdStat
	byName map[string]*cmdStat
	sorted []*cmdStat // by name: INFO's order
}

func newCmdStats(cmds []*protocol.Command) *cmdStats {
	cs := &cmdStats{byCmd: map[*protocol.Command]*cmdStat{}, byName: map[string]*cmdStat{}}
	for _, c := range cmds {
		cs.add(c)
		for _, sub := range protocol.SubcommandsOf(c) {
			cs.add(sub)
		}
	}
	slices.SortFunc(cs.sorted, func(a, b *cmdStat) int { return strings.Compare(a.name, b.name) })
	return cs
}

func (cs *cmdStats) add(c *protocol.Command) {
	if _, ok := cs.byName[c.Name]; ok {
		return
	}
	st := &cmdStat{name: c.Name, script: scriptCalls[c.Name]}
	cs.byCmd[c], cs.byName[c.Name] = st, st
	cs.sorted = append(cs.sorted, st)
}

// of returns the counters of a call of cmd with args: its subcommand's
// for a command made of subcommands (nil when the subcommand is unknown,
// as Redis counts no command then), and whether the call is refused
// before it runs (the subcommand's arity does not fit).
func (cs *cmdStats) of(cmd *protocol.Command, args [][]byte) (st *cmdStat, refused bool) {
	if cmd == nil {
		return nil, false
	}
	if _, ok := cmd.Handler.(protocol.Subcommander); !ok || len(args) < 2 {
		return cs.byCmd[cmd], false
	}
	sub := protocol.SubcommandOf(cmd, args[1])
	if sub == nil {
		return nil, false
	}
	return cs.byCmd[sub], !sub.ArityOK(len(args))
}

// named returns the counters of the command (or "parent|sub") called name,
// any case, or nil.
func (cs *cmdStats) named(name string) *cmdStat { return cs.byName[strings.ToLower(name)] }

// ran records a call that ran for d; failed says it answered an error.
func (st *cmdStat) ran(d time.Duration, failed bool) {
	if st == nil {
		return
	}
	st.calls.Add(1)
	st.nanos.Add(int64(d))
	if failed {
		st.failed.Add(1)
	}
}

// refused records a call refused before it ran.
func (st *cmdStat) refused() {
	if st != nil {
		st.rejected.Add(1)
	}
}

// reset zeroes every counter (CONFIG RESETSTAT).
func (cs *cmdStats) reset() {
	for _, st := range cs.sorted {
		st.calls.Store(0)
		st.nanos.Store(0)
		st.rejected.Store(0)
		st.failed.Store(0)
	}
}

// appendInfo appends INFO commandstats' lines, one per command that was
// called or refused since the last reset, in name order (Redis prints them
// in its command dictionary's order, which its hash seed makes differ
// between runs):
// cmdstat_get:calls=2,usec=5,usec_per_call=2.50,rejected_calls=0,failed_calls=0
func (cs *cmdStats) appendInfo(b []byte) []byte {
	for _, st := range cs.sorted {
		calls, rejected, failed := st.calls.Load(), st.rejected.Load(), st.failed.Load()
		if calls == 0 && rejected == 0 && failed == 0 {
			continue
		}
		usec := st.nanos.Load() / 1000
		perCall := 0.0
		if calls > 0 {
			perCall = float64(usec) / float64(calls)
		}
		b = append(b, "cmdstat_"...)
		b = append(b, st.name...)
		b = append(b, ":calls="...)
		b = strconv.AppendInt(b, calls, 10)
		b = append(b, ",usec="...)
		b = strconv.AppendInt(b, usec, 10)
		b = append(b, ",usec_per_call="...)
		b = strconv.AppendFloat(b, perCall, 'f', 2, 64)
		b = append(b, ",rejected_calls="...)
		b = strconv.AppendInt(b, rejected, 10)
		b = append(b, ",failed_calls="...)
		b = strconv.AppendInt(b, failed, 10)
		b = append(b, "\r\n"...)
	}
	return b
}
