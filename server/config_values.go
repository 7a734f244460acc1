package server

import (
	"strconv"
	"strings"
)

// parseMemoryConfig parses a memory parameter of Redis's (digits and an
// optional unit, memToUint64) that must lie in [lo, hi], with Redis's
// reasons: a value that is not one, or one outside the range (a number too
// large saturates, as strtoull does, and is then out of range).
func parseMemoryConfig(v string, lo, hi uint64) (uint64, string) {
	n, ok := memToUint64(v)
	if !ok {
		return 0, "argument must be a memory value"
	}
	if n < lo || n > hi {
		return 0, "argument must be between " + strconv.FormatUint(lo, 10) + " and " + strconv.FormatUint(hi, 10) + " inclusive"
	}
	return n, ""
}

// configArgs splits a parameter that takes several arguments (save,
// latency-tracking-info-percentiles, oom-score-adj-values) as Redis's
// CONFIG SET does (sdssplitlen on single spaces): every space separates,
// so two in a row or one at an end make an empty argument, which the
// parameter's check then refuses; nothing at all is no argument.
func configArgs(v string) []string {
	if v == "" {
		return nil
	}
	return strings.Split(v, " ")
}
