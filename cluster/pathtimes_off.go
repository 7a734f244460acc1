//go:build !pathtimes

package cluster

// PathTimes is false: stage timing is compiled out (pathtimes.go).
const PathTimes = false

// PathMark is a stamp kept on a hot object; of size zero here.
type PathMark struct{}

func (PathMark) Set(int64)  {}
func (PathMark) Get() int64 { return 0 }

func PathNow() int64           { return 0 }
func PathAdd(PathStage, int64) {}

func pathEntryOf([]byte) *pathEntry    { return &pathEntry{} }
func pathEntryFound([]byte) *pathEntry { return nil }
func pathEntryDone(*pathEntry)         {}
