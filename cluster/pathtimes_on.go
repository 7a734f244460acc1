//go:build pathtimes

package cluster

import (
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// PathTimes is true: stages are timed and reported (pathtimes.go).
const PathTimes = true

// PathMark is a stamp kept on a hot object.
type PathMark struct{ t int64 }

func (m *PathMark) Set(t int64) { m.t = t }
func (m *PathMark) Get() int64  { return m.t }

// PathNow is the time stamps are taken in: unix nanoseconds.
func PathNow() int64 { return time.Now().UnixNano() }

var pathSum, pathCount [numPathStages]atomic.Int64

// PathAdd adds one observation of d to stage s.
func PathAdd(s PathStage, d int64) {
	pathSum[s].Add(d)
	pathCount[s].Add(1)
}

// pathEntries finds an entry's stamps by its data's first byte (as
// storedWatch finds it), from the log store and the state machine.
var pathEntries sync.Map // *byte -> *pathEntry

// pathEntryOf makes the stamps of the entry with data, which is not empty.
func pathEntryOf(data []byte) *pathEntry {
	e := &pathEntry{key: &data[0]}
	pathEntries.Store(e.key, e)
	return e
}

// pathEntryFound returns the stamps of the entry with data, or nil if the
// batch loop did not propose it.
func pathEntryFound(data []byte) *pathEntry {
	if len(data) == 0 {
		return nil
	}
	if e, ok := pathEntries.Load(&data[0]); ok {
		return e.(*pathEntry)
	}
	return nil
}

// pathEntryDone forgets e.
func pathEntryDone(e *pathEntry) { pathEntries.Delete(e.key) }

func init() { go reportPathTimes(3 * time.Second) }

// reportPathTimes prints each stage's mean (µs; units per entry as a
// count) over the last period, when writes passed.
func reportPathTimes(every time.Duration) {
	for range time.Tick(every) {
		var b strings.Builder
		for s := range numPathStages {
			n, sum := pathCount[s].Swap(0), pathSum[s].Swap(0)
			switch {
			case n == 0:
			case s == StageUnits:
				fmt.Fprintf(&b, " %s=%.1f", pathStageNames[s], float64(sum)/float64(n))
			default:
				fmt.Fprintf(&b, " %s=%.1fus", pathStageNames[s], float64(sum)/float64(n)/1e3)
			}
		}
		if b.Len() > 0 {
			fmt.Fprintf(os.Stderr, "pathtimes:%s\n", b.String())
		}
	}
}
