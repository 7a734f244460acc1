package server

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
)

// runID identifies this process run, like Redis's run_id: 40 random hex
// digits, fixed for the life of the process.
var runID = newRunID()

func newRunID() string {
	var b [20]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// osName is uname's "sysname release machine", read from /proc on Linux,
// else the Go platform.
var osName = sync.OnceValue(func() string {
	sys, err1 := os.ReadFile("/proc/sys/kernel/ostype")
	rel, err2 := os.ReadFile("/proc/sys/kernel/osrelease")
	if err1 != nil || err2 != nil {
		return runtime.GOOS + " " + runtime.GOARCH
	}
	return strings.TrimSpace(string(sys)) + " " + strings.TrimSpace(string(rel)) + " " + machine()
})

// machine is uname -m's name for the Go architecture.
func machine() string {
	switch runtime.GOARCH {
	case "amd64":
		return "x86_64"
	case "arm64":
		return "aarch64"
	case "386":
		return "i686"
	}
	return runtime.GOARCH
}

// processRSS is the resident set size from /proc/self/statm, or 0.
func processRSS() uint64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	f := bytes.Fields(b)
	if len(f) < 2 {
		return 0
	}
	pages, err := strconv.ParseUint(string(f[1]), 10, 64)
	if err != nil {
		return 0
	}
	return pages * uint64(os.Getpagesize())
}

// totalSystemMemory is MemTotal from /proc/meminfo, or 0.
var totalSystemMemory = sync.OnceValue(func() uint64 {
	b, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		var kb uint64
		if _, err := fmt.Sscanf(line, "MemTotal: %d kB", &kb); err == nil {
			return kb * 1024
		}
	}
	return 0
})

// cpuTime is user and system CPU time as Redis prints it: "%ld.%06ld".
type cpuTime struct{ user, sys string }

func cpuTimes() (self, children cpuTime) {
	return rusage(syscall.RUSAGE_SELF), rusage(syscall.RUSAGE_CHILDREN)
}

func rusage(who int) cpuTime {
	var ru syscall.Rusage
	if syscall.Getrusage(who, &ru) != nil {
		return cpuTime{"0.000000", "0.000000"}
	}
	return cpuTime{user: timeval(ru.Utime), sys: timeval(ru.Stime)}
}

func timeval(tv syscall.Timeval) string {
	return fmt.Sprintf("%d.%06d", tv.Sec, tv.Usec)
}
