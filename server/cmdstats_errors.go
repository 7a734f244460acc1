package server

import (
	"bytes"
	"log/slog"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
)

// errorStatsMax is how many distinct error codes INFO errorstats keeps;
// an error with a code not yet seen once that many are kept is counted as
// errorStatsOverflow. Redis 7.0.15 keeps every code (a script can make
// any number of them with redis.error_reply); Redis 7.2 introduced this
// bound, with these names, to keep the table's memory bounded.
const (
	errorStatsMax      = 128
	errorStatsOverflow = "ERRORSTATS_OVERFLOW"
)

// errorStats counts the error replies this node sent its connections, in
// total (total_error_replies) and by error code (INFO errorstats).
type errorStats struct {
	total atomic.Int64
	mu    sync.Mutex
	codes map[string]int64
	// warned is set once the overflow was logged, until a reset.
	warned bool
	passed passedErrors // cmdstats_scripts.go
}

// errorCode is the code Redis 7.0's afterErrorReply counts an error reply
// under: the text between the leading '-' and the first space within the
// reply's first 32 bytes ("" when the space comes first), or "ERR" when
// there is no such space.
func errorCode(reply []byte) []byte {
	line := reply[:min(len(reply), 32)]
	if i := bytes.IndexByte(line, '\r'); i >= 0 {
		line = line[:i]
	}
	if i := bytes.IndexByte(line, ' '); i > 0 {
		return line[1:i]
	}
	return []byte("ERR")
}

// isErrorReply reports whether reply is a RESP error.
func isErrorReply(reply []byte) bool { return len(reply) > 0 && reply[0] == '-' }

// add counts one error reply (its bytes, starting with '-').
func (es *errorStats) add(reply []byte, log *slog.Logger) {
	es.total.Add(1)
	code := errorCode(reply)
	es.mu.Lock()
	defer es.mu.Unlock()
	if es.codes == nil {
		es.codes = map[string]int64{}
	}
	if _, ok := es.codes[string(code)]; !ok && len(es.codes) >= errorStatsMax {
		if !es.warned && log != nil {
			es.warned = true
			log.Warn("errorstats stopped adding new error codes: the number of different codes reached the limit; new ones count as "+errorStatsOverflow,
				"limit", errorStatsMax)
		}
		code = []byte(errorStatsOverflow)
	}
	es.codes[string(code)]++
}

// reset forgets every count (CONFIG RESETSTAT).
func (es *errorStats) reset() {
	es.total.Store(0)
	es.mu.Lock()
	defer es.mu.Unlock()
	es.codes, es.warned = nil, false
	es.passed.mu.Lock()
	es.passed.codes = nil
	es.passed.mu.Unlock()
}

// appendInfo appends INFO errorstats' lines in byte order of the codes, as
// Redis's radix tree lists them: errorstat_ERR:count=3
func (es *errorStats) appendInfo(b []byte) []byte {
	es.mu.Lock()
	codes := make([]string, 0, len(es.codes))
	for code := range es.codes {
		codes = append(codes, code)
	}
	counts := make([]int64, len(codes))
	slices.Sort(codes)
	for i, code := range codes {
		counts[i] = es.codes[code]
	}
	es.mu.Unlock()
	for i, code := range codes {
		b = append(b, "errorstat_"...)
		b = append(b, code...)
		b = append(b, ":count="...)
		b = strconv.AppendInt(b, counts[i], 10)
		b = append(b, "\r\n"...)
	}
	return b
}
