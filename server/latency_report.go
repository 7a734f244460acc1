package server

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// LATENCY GRAPH and DOCTOR texts, as Redis 7.0 writes them (latency.c and
// sparkline.c).

func nowUnix() int64 { return time.Now().Unix() }

const (
	latencyGraphCols = 80 // LATENCY_GRAPH_COLS
	latencyGraphRows = 4
	sparkCharsFill   = "_o#"
	sparkLabelMargin = 1
)

// sparkSample is one column of a graph and its label.
type sparkSample struct {
	value float64
	label string
}

// latencyGraph is latencyCommandGenSparkeline: a header, a rule and the
// samples as a filled sparkline, each labelled with how long ago it was
// (now is the unix time).
func latencyGraph(ev latencyEvent, now int64) string {
	var seq []sparkSample
	var lo, hi int64
	for i, smp := range ev.samples {
		if i == 0 {
			lo, hi = smp.latency, smp.latency
		}
		lo, hi = min(lo, smp.latency), max(hi, smp.latency)
		seq = append(seq, sparkSample{value: float64(smp.latency), label: agoLabel(now - smp.unix)})
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s - high %d ms, low %d ms (all time high %d ms)\n", ev.name, hi, lo, ev.max)
	b.WriteString(strings.Repeat("-", latencyGraphCols))
	b.WriteByte('\n')
	sparkRender(&b, seq, latencyGraphCols, latencyGraphRows)
	return b.String()
}

// agoLabel is how long ago, in seconds, minutes, hours or days.
func agoLabel(elapsed int64) string {
	switch {
	case elapsed < 60:
		return strconv.FormatInt(elapsed, 10) + "s"
	case elapsed < 3600:
		return strconv.FormatInt(elapsed/60, 10) + "m"
	case elapsed < 3600*24:
		return strconv.FormatInt(elapsed/3600, 10) + "h"
	}
	return strconv.FormatInt(elapsed/(3600*24), 10) + "d"
}

// sparkRender is sparklineRender with SPARKLINE_FILL: the sequence in
// runs of columns, one after the other.
func sparkRender(b *strings.Builder, seq []sparkSample, columns, rows int) {
	if len(seq) == 0 {
		return
	}
	lo, hi := seq[0].value, seq[0].value
	for _, s := range seq[1:] {
		if s.value < lo {
			lo = s.value
		} else if s.value > hi {
			hi = s.value
		}
	}
	for j := 0; j < len(seq); j += columns {
		if j != 0 {
			b.WriteByte('\n')
		}
		sparkRenderRange(b, seq[j:min(j+columns, len(seq))], lo, hi, rows)
	}
}

// sparkRenderRange is sparklineRenderRange: rows of bars, then the
// labels written downwards below one blank row.
func sparkRenderRange(b *strings.Builder, seq []sparkSample, lo, hi float64, rows int) {
	relmax := hi - lo
	if relmax == 0 {
		relmax = 1
	}
	steps := len(sparkCharsFill) * rows
	chars := make([]byte, len(seq))
	for row := 0; ; row++ {
		more := false
		for j := range chars {
			chars[j] = ' '
		}
		for j, s := range seq {
			// C's "(int) (relval*steps)/relmax", truncated again into an int
			step := min(max(int(math.Trunc(math.Trunc((s.value-lo)*float64(steps))/relmax)), 0), steps-1)
			if row < rows {
				more = true
				idx := step - (rows-row-1)*len(sparkCharsFill)
				if idx >= 0 && idx < len(sparkCharsFill) {
					chars[j] = sparkCharsFill[idx]
				} else if idx >= len(sparkCharsFill) {
					chars[j] = '|'
				}
				continue
			}
			if row-rows < sparkLabelMargin {
				more = true
				break
			}
			if at := row - rows - sparkLabelMargin; at < len(s.label) {
				more = true
				chars[j] = s.label[at]
			}
		}
		if !more {
			return
		}
		b.Write(chars)
		b.WriteByte('\n')
	}
}

// latencyStats is analyzeLatencyForEvent's figures for one event.
type latencyStats struct {
	samples       int64
	avg, mad, max int64
	period        int64 // seconds since the oldest sample, at least 1
}

func analyzeLatency(ev latencyEvent, now int64) latencyStats {
	ls := latencyStats{max: ev.max, samples: int64(len(ev.samples))}
	if ls.samples == 0 {
		return ls
	}
	var sum int64
	oldest := ev.samples[0].unix
	for _, s := range ev.samples {
		sum += s.latency
		oldest = min(oldest, s.unix)
	}
	ls.avg = sum / ls.samples
	ls.period = max(now-oldest, 1)
	sum = 0
	for _, s := range ev.samples {
		d := ls.avg - s.latency
		sum += max(d, -d)
	}
	ls.mad = sum / ls.samples
	return ls
}

// latencyAdvice is what the report advises, in Redis's order.
type latencyAdvice struct {
	slowlogEnabled, slowlogTuning, slowlogInspect, scheduler, hz, largeObjects, massEviction bool
}

// latencyReport is createLatencyReport for the events geetcache samples.
func (s *Server) latencyReport(now int64) string {
	m := s.settings.latmon
	events := m.snapshot()
	threshold := m.threshold.Load()
	if len(events) == 0 && threshold == 0 {
		return "I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Redis instance. You may use \"CONFIG SET latency-monitor-threshold <milliseconds>.\" in order to enable it. If we weren't in a deep space mission I'd suggest to take a look at https://redis.io/topics/latency-monitor.\n"
	}
	var b strings.Builder
	var adv latencyAdvice
	advices := 0
	for i, ev := range events {
		if i == 0 {
			b.WriteString("Dave, I have observed latency spikes in this Redis instance. You don't mind talking about it, do you Dave?\n\n")
		}
		ls := analyzeLatency(ev, now)
		fmt.Fprintf(&b, "%d. %s: %d latency spikes (average %dms, mean deviation %dms, period %.2f sec). Worst all time event %dms.",
			i+1, ev.name, ls.samples, ls.avg, ls.mad, float64(ls.period)/float64(ls.samples), ev.max)
		advices += s.adviseFor(ev.name, threshold, &adv)
		b.WriteByte('\n')
	}
	switch {
	case len(events) == 0 && advices == 0:
		b.WriteString("Dave, no latency spike was observed during the lifetime of this Redis instance, not in the slightest bit. I honestly think you ought to sleep better at night since everything seems in order.\n")
	case advices == 0:
		b.WriteString("\nWhile there are latency events logged, I'm not able to suggest any easy fix. Please use the Redis community to get some help, providing this report in your help request.\n")
	default:
		writeAdvice(&b, adv, threshold)
	}
	return b.String()
}

// adviseFor sets the advice an event calls for and returns how many
// advices it counts (Redis counts some twice).
func (s *Server) adviseFor(event string, threshold int64, adv *latencyAdvice) int {
	switch event {
	case "command":
		n := 2
		slower, maxLen := s.settings.slow.slowerThan.Load(), s.settings.slow.maxLen.Load()
		if slower < 0 || maxLen == 0 {
			adv.slowlogEnabled = true
			n++
		} else if slower/1000 > threshold {
			adv.slowlogTuning = true
			n++
		}
		adv.slowlogInspect, adv.largeObjects = true, true
		return n
	case "fast-command":
		adv.scheduler = true
		return 1
	case "expire-cycle":
		adv.hz, adv.largeObjects = true, true
		return 2
	case "eviction-cycle":
		adv.massEviction = true
		return 1
	}
	return 0
}

func writeAdvice(b *strings.Builder, adv latencyAdvice, threshold int64) {
	b.WriteString("\nI have a few advices for you:\n\n")
	if adv.slowlogEnabled {
		fmt.Fprintf(b, "- There are latency issues with potentially slow commands you are using. Try to enable the Slow Log Redis feature using the command 'CONFIG SET slowlog-log-slower-than %d'. If the Slow log is disabled Redis is not able to log slow commands execution for you.\n", threshold*1000)
	}
	if adv.slowlogTuning {
		fmt.Fprintf(b, "- Your current Slow Log configuration only logs events that are slower than your configured latency monitor threshold. Please use 'CONFIG SET slowlog-log-slower-than %d'.\n", threshold*1000)
	}
	if adv.slowlogInspect {
		b.WriteString("- Check your Slow Log to understand what are the commands you are running which are too slow to execute. Please check https://redis.io/commands/slowlog for more information.\n")
	}
	if adv.scheduler {
		b.WriteString("- The system is slow to execute Redis code paths not containing system calls. This usually means the system does not provide Redis CPU time to run for long periods. You should try to:\n" +
			"  1) Lower the system load.\n" +
			"  2) Use a computer / VM just for Redis if you are running other software in the same system.\n" +
			"  3) Check if you have a \"noisy neighbour\" problem.\n" +
			"  4) Check with 'redis-cli --intrinsic-latency 100' what is the intrinsic latency in your system.\n" +
			"  5) Check if the problem is allocator-related by recompiling Redis with MALLOC=libc, if you are using Jemalloc. However this may create fragmentation problems.\n")
	}
	if adv.hz { // hz is 10 here, below 100
		b.WriteString("- In order to make the Redis keys expiring process more incremental, try to set the 'hz' configuration parameter to 100 using 'CONFIG SET hz 100'.\n")
	}
	if adv.largeObjects {
		b.WriteString("- Deleting, expiring or evicting (because of maxmemory policy) large objects is a blocking operation. If you have very large objects that are often deleted, expired, or evicted, try to fragment those objects into multiple smaller objects.\n")
	}
	if adv.massEviction {
		b.WriteString("- Sudden changes to the 'maxmemory' setting via 'CONFIG SET', or allocation of large objects via sets or sorted sets intersections, STORE option of SORT, Redis Cluster large keys migrations (RESTORE command), may create sudden memory pressure forcing the server to block trying to evict keys. \n")
	}
}
