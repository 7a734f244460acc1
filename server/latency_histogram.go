package server

import (
	"strings"

	"github.com/geetcache/geetcache/protocol"
)

// LATENCY HISTOGRAM [command ...]: per command (every command with calls
// timed since CONFIG RESETSTAT when none is named; a container's name
// stands for its subcommands, "client|id" for one), its calls and the
// cumulative distribution of their times, as Redis 7.0 writes it from the
// same histograms as INFO latencystats (cmdstats_latency.go): "calls", then
// "histogram_usec", a map from a bucket's highest time in microseconds to
// the calls that took at most that, at the buckets of 1, 2, 4, 8 ... µs
// (hdr_iter_log_init with 1024 ns and 2) where the count grew. Unknown
// names are skipped.
func (s *Server) latencyHistogram(c *protocol.Ctx) {
	var stats []*cmdStat
	if len(c.Args) == 2 {
		for _, st := range s.cmdStats.sorted {
			if st.hist.Load() != nil {
				stats = append(stats, st)
			}
		}
	} else {
		for _, name := range c.Args[2:] {
			stats = append(stats, s.histogramsNamed(string(name))...)
		}
	}
	c.Out.Map(len(stats))
	for _, st := range stats {
		c.Out.BulkString(st.name)
		writeCDF(c.Out, st.hist.Load())
	}
}

// histogramsNamed returns the timed counters of the command called name
// and of its subcommands.
func (s *Server) histogramsNamed(name string) []*cmdStat {
	name = strings.ToLower(name)
	st := s.cmdStats.named(name)
	if st == nil {
		return nil
	}
	var out []*cmdStat
	if st.hist.Load() != nil {
		out = append(out, st)
	}
	if strings.IndexByte(name, '|') >= 0 {
		return out
	}
	for _, sub := range s.cmdStats.sorted {
		if strings.HasPrefix(sub.name, name+"|") && sub.hist.Load() != nil {
			out = append(out, sub)
		}
	}
	return out
}

// writeCDF writes fillCommandCDF's map of h.
func writeCDF(w *protocol.Writer, h *latencyHist) {
	points := h.cdf()
	w.Map(2)
	w.BulkString("calls")
	w.Int(h.total())
	w.BulkString("histogram_usec")
	w.Map(len(points))
	for _, p := range points {
		w.Int(p[0])
		w.Int(p[1])
	}
}

// total is how many calls h counts.
func (h *latencyHist) total() int64 {
	var n int64
	for i := range h.counts {
		n += h.counts[i].Load()
	}
	return n
}

// cdf is hdr_iter_log_init(h, 1024, 2) walked as fillCommandCDF walks it:
// at each reporting level (1024 ns, doubled each step) the iterator has
// counted every value up to the level's bucket; it yields the highest
// value of the bucket it stopped at, in microseconds, and the calls
// counted so far, whenever that count grew. Past the last bucket it
// yields once more, what it counted (a call of 0.6 s: 1073741 µs).
func (h *latencyHist) cdf() [][2]int64 {
	var counts [histCounts]int64
	var total int64
	for i := range counts {
		counts[i] = h.counts[i].Load()
		total += counts[i]
	}
	var out [][2]int64
	var cum, prev, value, highest int64
	idx := -1
	levelLow := histLowestEquivalent(1024)
	for level := int64(1024); cum < total || histValueAt(idx+1) > levelLow; {
		exhausted := false
		for value < levelLow && !exhausted {
			if idx++; idx >= histCounts {
				exhausted = true
				break
			}
			cum += counts[idx]
			value = histValueAt(idx)
			highest = histHighestEquivalent(value)
		}
		if cum > prev {
			out = append(out, [2]int64{highest / 1000, cum})
		}
		prev = cum
		if exhausted {
			break
		}
		level *= 2
		levelLow = histLowestEquivalent(level)
	}
	return out
}
