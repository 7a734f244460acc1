package server

import (
	"strconv"

	"github.com/geetcache/geetcache/protocol"
)

// latencyCommands is LATENCY: the latency monitor's events (latency.go)
// and the per-command histograms of INFO latencystats
// (latency_histogram.go).
func (s *Server) latencyCommands() []*protocol.Command {
	const admin = protocol.Admin | protocol.NoScript | protocol.Loading | protocol.Stale
	sub := func(name string, arity int, f protocol.Flags, since, summary string, h protocol.HandlerFunc) *protocol.Command {
		return &protocol.Command{Name: "latency|" + name, Arity: arity, Flags: f, Group: "server", Since: since,
			Summary: summary, Handler: h}
	}
	ct := newContainer(nil,
		sub("doctor", 2, admin, "2.8.13", "Return a human readable latency analysis report.", s.latencyDoctor),
		sub("graph", 3, admin, "2.8.13", "Return a latency graph for the event.", s.latencyGraph),
		sub("histogram", -2, admin, "7.0.0", "Return the cumulative distribution of latencies of a subset of commands or all.",
			s.latencyHistogram),
		sub("history", 3, admin, "2.8.13", "Return timestamp-latency samples for the event.", s.latencyHistory),
		sub("latest", 2, admin, "2.8.13", "Return the latest latency samples for all events.", s.latencyLatest),
		sub("reset", -2, admin, "2.8.13", "Reset latency data for one or more events.", s.latencyReset),
		sub("help", 2, protocol.Loading|protocol.Stale, "2.8.13", "Show helpful text about the different subcommands.",
			latencyHelp),
	)
	return []*protocol.Command{{Name: "latency", Arity: -2, Group: "server", Since: "2.8.13",
		Summary: "A container for latency diagnostics commands", Handler: ct}}
}

// LATENCY LATEST: per event, its name, the time and latency of its
// newest sample and its highest latency.
func (s *Server) latencyLatest(c *protocol.Ctx) {
	events := s.settings.latmon.snapshot()
	c.Out.Array(len(events))
	for _, ev := range events {
		last := ev.samples[len(ev.samples)-1]
		c.Out.Array(4)
		c.Out.BulkString(ev.name)
		c.Out.Int(last.unix)
		c.Out.Int(last.latency)
		c.Out.Int(ev.max)
	}
}

// LATENCY HISTORY event: the event's samples, oldest first, each [time,
// latency]; none for an event never sampled.
func (s *Server) latencyHistory(c *protocol.Ctx) {
	events := s.settings.latmon.snapshot(string(c.Args[2]))
	if len(events) == 0 {
		c.Out.Array(0)
		return
	}
	c.Out.Array(len(events[0].samples))
	for _, smp := range events[0].samples {
		c.Out.Array(2)
		c.Out.Int(smp.unix)
		c.Out.Int(smp.latency)
	}
}

// LATENCY RESET [event ...]: forgets the events named (every event when
// none is) and answers how many it forgot.
func (s *Server) latencyReset(c *protocol.Ctx) {
	names := make([]string, 0, len(c.Args)-2)
	for _, a := range c.Args[2:] {
		names = append(names, string(a))
	}
	c.Out.Int(s.settings.latmon.reset(names...))
}

// LATENCY GRAPH event: an ASCII graph of the event's samples.
func (s *Server) latencyGraph(c *protocol.Ctx) {
	events := s.settings.latmon.snapshot(string(c.Args[2]))
	if len(events) == 0 {
		c.Out.Error("ERR No samples available for event '" + string(c.Args[2]) + "'")
		return
	}
	c.Out.Verbatim(latencyGraph(events[0], nowUnix()))
}

// LATENCY DOCTOR: Redis's report on the events sampled.
func (s *Server) latencyDoctor(c *protocol.Ctx) {
	c.Out.Verbatim(s.latencyReport(nowUnix()))
}

// LATENCY HELP
func latencyHelp(c *protocol.Ctx) {
	replyHelp(c, []string{
		"DOCTOR",
		"    Return a human readable latency analysis report.",
		"GRAPH <event>",
		"    Return an ASCII latency graph for the <event> class.",
		"HISTORY <event>",
		"    Return time-latency samples for the <event> class.",
		"LATEST",
		"    Return the latest latency samples for all events.",
		"RESET [<event> ...]",
		"    Reset latency data of one or more <event> classes.",
		"    (default: reset all data for all event classes)",
		"HISTOGRAM [COMMAND ...]",
		"    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.",
		"    If no commands are specified then all histograms are replied.",
	})
}

func getLatencyThreshold(st *settings) string {
	return strconv.FormatInt(st.latmon.threshold.Load(), 10)
}

// setLatencyThreshold parses latency-monitor-threshold: milliseconds, 0
// for off.
func setLatencyThreshold(st *settings, v []byte) (func(), string) {
	n, reason := parseLongConfig(v, 0)
	if reason != "" {
		return nil, reason
	}
	return func() { st.latmon.threshold.Store(n) }, ""
}
