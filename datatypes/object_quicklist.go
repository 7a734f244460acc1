package datatypes

// QuicklistStats are the ql_* fields of Redis 7.0's DEBUG OBJECT for a
// list, estimated: geetcache stores lists its own way, so they are what a
// quicklist built by pushing the elements at the tail under
// list-max-listpack-size would hold (a list Redis built otherwise, by
// LINSERT or pushes at the head, may have other node boundaries).
type QuicklistStats struct {
	Nodes            int
	UncompressedSize int // the nodes' listpack bytes
}

// quicklist node limits: Redis's optimization_level for fills -1..-5,
// its SIZE_SAFETY_LIMIT for positive fills, and SIZE_ESTIMATE_OVERHEAD.
var qlLevels = [...]int{4096, 8192, 16384, 32768, 65536}

const (
	qlSafetyLimit = 8192
	qlOverhead    = 8
	lpEmptyBytes  = 7 // a listpack's header and end byte
)

// Quicklist estimates l's quicklist nodes under list-max-listpack-size fill.
func (l *List) Quicklist(fill int64) QuicklistStats {
	var st QuicklistStats
	count, size := 0, 0
	l.Each(false, func(e []byte) bool {
		if count == 0 || qlExceeds(fill, size+len(e)+qlOverhead, count+1) {
			st.Nodes++
			st.UncompressedSize += size
			count, size = 0, lpEmptyBytes
		}
		count++
		size += lpStrSize(e)
		return true
	})
	st.UncompressedSize += size
	return st
}

// qlExceeds is Redis's _quicklistNodeExceedsLimit.
func qlExceeds(fill int64, newSize, newCount int) bool {
	if fill >= 0 {
		return newSize > qlSafetyLimit || int64(newCount) > fill
	}
	i := min(-fill-1, int64(len(qlLevels)-1))
	return newSize > qlLevels[i]
}
