package main

import (
	"fmt"
	"slices"
	"time"
)

// summary formats requests per second and the p50, p99 and p99.9 latency in
// milliseconds, separated by spaces.
func summary(lat []time.Duration, requests int, took time.Duration) string {
	slices.Sort(lat)
	rps := float64(requests) / took.Seconds()
	return fmt.Sprintf("%.0f %.3f %.3f %.3f", rps, ms(percentile(lat, 50)), ms(percentile(lat, 99)), ms(percentile(lat, 99.9)))
}

// percentile is the smallest latency at or above p percent of sorted.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted))*p/100+0.999999) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
