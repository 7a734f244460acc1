package server

import (
	"math"
	"math/bits"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// INFO latencystats, as Redis 7.0 keeps it: per command, a histogram of
// its calls' times, from which the latency-tracking-info-percentiles
// ("50 99 99.9" by default) are printed in microseconds:
// latency_percentiles_usec_get:p50=1.003,p99=2.007,p99.9=4.015
//
// The histogram is Redis's HDR histogram (hdr_histogram.c) with Redis's
// parameters: values from 1 ns to 1 s, two significant digits. Redis
// records whole microseconds (times 1000), and so does this; the bucket
// arithmetic below is the C library's, so the same times print the same
// figures.
const (
	histLowest           = 1             // ns
	histHighest          = 1_000_000_000 // ns
	histSubBucketHalfMag = 7             // sub_bucket_count 256 for 2 significant digits
	histSubBucketHalf    = 1 << histSubBucketHalfMag
	histSubBucketMask    = 2*histSubBucketHalf - 1
	histBuckets          = 23 // enough buckets to cover histHighest
	histCounts           = (histBuckets + 1) * histSubBucketHalf
)

// latencyHist is one command's histogram; its counts are updated
// atomically (24 KiB, made on the command's first timed call, as Redis
// does).
type latencyHist struct {
	counts [histCounts]atomic.Int64
}

func histBucket(v int64) int {
	return bits.Len64(uint64(v)|histSubBucketMask) - (histSubBucketHalfMag + 1)
}

func histIndex(v int64) int {
	b := histBucket(v)
	sub := int(v >> b)
	return (b+1)<<histSubBucketHalfMag + sub - histSubBucketHalf
}

// histValueAt is the lowest value counted at index i.
func histValueAt(i int) int64 {
	b := i>>histSubBucketHalfMag - 1
	sub := i&(histSubBucketHalf-1) + histSubBucketHalf
	if b < 0 {
		sub -= histSubBucketHalf
		b = 0
	}
	return int64(sub) << b
}

// histLowestEquivalent and histHighestEquivalent are the ends of the
// range of values counted together with v.
func histLowestEquivalent(v int64) int64 { return histValueAt(histIndex(v)) }

func histHighestEquivalent(v int64) int64 {
	b := histBucket(v)
	if v>>b >= 2*histSubBucketHalf {
		b++
	}
	return histLowestEquivalent(v) + int64(1)<<b - 1
}

// record counts n calls that took d each, as Redis's
// updateCommandLatencyHistogram: whole microseconds, within the range.
func (h *latencyHist) record(d time.Duration, n int64) {
	v := min(max(d.Microseconds()*1000, histLowest), histHighest)
	h.counts[histIndex(v)].Add(n)
}

// percentiles returns the value (ns) at each percentile of ps, as
// hdr_value_at_percentile: the highest value of the bucket holding the
// percentile's count, the lowest for percentile 0.
func (h *latencyHist) percentiles(ps []float64) []int64 {
	var counts [histCounts]int64
	var total int64
	for i := range counts {
		counts[i] = h.counts[i].Load()
		total += counts[i]
	}
	out := make([]int64, len(ps))
	for j, p := range ps {
		want := max(int64(min(p, 100)/100*float64(total)+0.5), 1)
		var sum int64
		for i, n := range counts {
			if sum += n; sum >= want {
				v := histValueAt(i)
				out[j] = ifElse(p == 0, histLowestEquivalent(v), histHighestEquivalent(v))
				break
			}
		}
	}
	return out
}

// recordLatencyN adds n calls of d each to st's histogram, made on first
// use.
func (st *cmdStat) recordLatencyN(d time.Duration, n int64) {
	h := st.hist.Load()
	if h == nil {
		st.hist.CompareAndSwap(nil, new(latencyHist))
		h = st.hist.Load()
	}
	h.record(d, n)
}

// appendLatencyInfo appends INFO latencystats' lines: one per command
// with a histogram, in name order (see appendInfo), nothing while
// latency-tracking is off.
func (cs *cmdStats) appendLatencyInfo(b []byte, lt *latencyTracking) []byte {
	ps := *lt.percentiles.Load()
	if !lt.on.Load() {
		return b
	}
	for _, st := range cs.sorted {
		h := st.hist.Load()
		if h == nil {
			continue
		}
		b = append(b, "latency_percentiles_usec_"...)
		b = append(b, st.name...)
		b = append(b, ':')
		for j, v := range h.percentiles(ps) {
			if j > 0 {
				b = append(b, ',')
			}
			b = append(b, 'p')
			b = append(b, formatPercentile(ps[j])...)
			b = append(b, '=')
			b = strconv.AppendFloat(b, float64(v)/1000, 'f', 3, 64)
		}
		b = append(b, "\r\n"...)
	}
	return b
}

// resetLatency forgets every histogram (CONFIG RESETSTAT).
func (cs *cmdStats) resetLatency() {
	for _, st := range cs.sorted {
		st.hist.Store(nil)
	}
}

// latencyTracking holds latency-tracking and
// latency-tracking-info-percentiles.
type latencyTracking struct {
	on          atomic.Bool
	percentiles atomic.Pointer[[]float64]
}

func newLatencyTracking() *latencyTracking {
	lt := &latencyTracking{}
	lt.on.Store(true)
	ps := []float64{50, 99, 99.9}
	lt.percentiles.Store(&ps)
	return lt
}

// formatPercentile formats p as Redis's "%f" with trailing zeros (and a
// trailing point) trimmed: 50, 99.9, 33.333333.
func formatPercentile(p float64) string {
	s := strconv.FormatFloat(p, 'f', 6, 64)
	if strings.IndexByte(s, '.') >= 0 {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

func getLatencyTracking(st *settings) string { return ifElse(st.latency.on.Load(), "yes", "no") }

func setLatencyTracking(st *settings, v []byte) (func(), string) {
	switch strings.ToLower(string(v)) {
	case "yes":
		return func() { st.latency.on.Store(true) }, ""
	case "no":
		return func() { st.latency.on.Store(false) }, ""
	}
	return nil, "argument must be 'yes' or 'no'"
}

func getLatencyPercentiles(st *settings) string {
	ps := *st.latency.percentiles.Load()
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = formatPercentile(p)
	}
	return strings.Join(out, " ")
}

// setLatencyPercentiles parses latency-tracking-info-percentiles: numbers
// between 0 and 100 separated by spaces, as Redis does; none is allowed.
func setLatencyPercentiles(st *settings, v []byte) (func(), string) {
	fields := configArgs(string(v))
	ps := make([]float64, 0, len(fields))
	for _, f := range fields {
		p, err := strconv.ParseFloat(f, 64)
		if err != nil && !math.IsInf(p, 0) {
			return nil, "Invalid latency-tracking-info-percentiles parameters"
		}
		if p < 0 || p > 100 {
			return nil, "latency-tracking-info-percentiles parameters should sit between [0.0,100.0]"
		}
		ps = append(ps, p)
	}
	return func() { st.latency.percentiles.Store(&ps) }, ""
}
