package main

import (
	"bufio"
	"io"
	"log/slog"
	"math"
	"os"
	"path"
	"runtime/debug"
	"strconv"
	"strings"
)

// memoryLimitShare is the part of a cgroup's memory limit given to the Go
// runtime as its soft limit; the rest is for what the runtime does not
// count (bbolt's mapped file, the kernel's page cache of the log).
const memoryLimitShare = 0.9

// cgroupRoot is where the cgroup file systems are mounted.
const cgroupRoot = "/sys/fs/cgroup"

// applyMemoryLimit gives the Go runtime a soft memory limit under the
// cgroup memory limit the process runs in, unless GOMEMLIMIT already sets
// one. Without it the garbage collector lets the heap grow to twice the
// live data before collecting, so a node holding half its container's
// memory can be OOM-killed by garbage alone; with it, the collector works
// harder as the heap nears the limit. It returns the limit it set, or 0.
func applyMemoryLimit(log *slog.Logger) int64 {
	if os.Getenv("GOMEMLIMIT") != "" {
		return 0
	}
	limit := cgroupMemoryLimit()
	if limit <= 0 {
		return 0
	}
	soft := int64(float64(limit) * memoryLimitShare)
	debug.SetMemoryLimit(soft)
	log.Info("Go memory limit set from the cgroup memory limit (set GOMEMLIMIT to override)",
		"cgroup_limit_mb", limit>>20, "go_limit_mb", soft>>20)
	return soft
}

// cgroupMemoryLimit returns the smallest memory limit of the process's
// cgroup and its ancestors, v1 or v2, or 0 when there is none.
func cgroupMemoryLimit() int64 {
	f, err := os.Open("/proc/self/cgroup")
	if err != nil {
		return 0
	}
	defer f.Close()
	return smallestLimit(f, readLimitFile)
}

// smallestLimit reads /proc/self/cgroup lines ("id:controllers:path") and
// returns the smallest limit readLimit finds in the memory cgroup's
// directory or any ancestor's.
func smallestLimit(r io.Reader, readLimit func(file string) int64) int64 {
	var best int64
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		parts := strings.SplitN(sc.Text(), ":", 3)
		if len(parts) != 3 {
			continue
		}
		var dir, file string
		switch {
		case parts[1] == "" && parts[0] == "0": // cgroup v2
			dir, file = cgroupRoot, "memory.max"
		case hasController(parts[1], "memory"):
			dir, file = path.Join(cgroupRoot, "memory"), "memory.limit_in_bytes"
		default:
			continue
		}
		for p := path.Clean("/" + parts[2]); ; p = path.Dir(p) {
			if l := readLimit(path.Join(dir, p, file)); l > 0 && (best == 0 || l < best) {
				best = l
			}
			if p == "/" {
				break
			}
		}
	}
	return best
}

func hasController(list, name string) bool {
	for _, c := range strings.Split(list, ",") {
		if c == name {
			return true
		}
	}
	return false
}

// noLimit is where a cgroup v1 "unlimited" value starts.
const noLimit = 1 << 60

// readLimitFile reads a limit file: a byte count, or "max" (none).
func readLimitFile(file string) int64 {
	b, err := os.ReadFile(file)
	if err != nil {
		return 0
	}
	v, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
	if err != nil || v <= 0 || v >= noLimit {
		return 0
	}
	return v
}

// maxMemoryHeadroom is what the Go memory limit allows above maxmemory's
// share: the runtime, Raft's buffers and log cache, client buffers.
const maxMemoryHeadroom = 64 << 20

// memoryGovernor returns the function the node calls with each applied
// maxmemory: it gives the Go runtime a soft memory limit of 1.25 x
// maxmemory + maxMemoryHeadroom (or the cgroup's, cgroupSoft, if lower),
// so the garbage collector keeps the heap near the data set instead of
// letting it grow to twice the live data. GOMEMLIMIT, when set, wins.
func memoryGovernor(log *slog.Logger, cgroupSoft int64) func(maxmemory int64) {
	if os.Getenv("GOMEMLIMIT") != "" {
		return nil
	}
	return func(maxmemory int64) {
		limit := cgroupSoft
		if maxmemory > 0 {
			if m := maxmemory + maxmemory/4 + maxMemoryHeadroom; limit == 0 || m < limit {
				limit = m
			}
		}
		if limit == 0 {
			limit = math.MaxInt64
		}
		debug.SetMemoryLimit(limit)
		log.Info("Go memory limit set from maxmemory", "maxmemory_mb", maxmemory>>20, "go_limit_mb", limit>>20)
	}
}
