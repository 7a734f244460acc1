package datatypes

import "slices"

// hllSparseMax is the number of non-zero registers past which an HLL turns
// dense. 1536 entries serialize to about 3 KB, in line with Redis's default
// hll-sparse-max-bytes of 3000, and take 6 KB in memory against the dense
// form's 12 KB.
const hllSparseMax = 1536

// A sparse entry packs a register's index and its non-zero value.
func sparsePack(index int, val uint8) uint32 { return uint32(index)<<8 | uint32(val) }

func sparseEntry(e uint32) (index int, val uint8) { return int(e >> 8), uint8(e) }

// sparseFind returns the position of index in s, or where it would go.
func sparseFind(s []uint32, index int) (int, bool) {
	return slices.BinarySearchFunc(s, uint32(index), func(e, target uint32) int {
		return int(e>>8) - int(target)
	})
}

// sparseGet returns register index (0 when absent).
func sparseGet(s []uint32, index int) uint8 {
	if i, ok := sparseFind(s, index); ok {
		return uint8(s[i])
	}
	return 0
}

// sparseSet stores a non-zero val at index and returns the updated slice.
func sparseSet(s []uint32, index int, val uint8) []uint32 {
	i, ok := sparseFind(s, index)
	if ok {
		s[i] = sparsePack(index, val)
		return s
	}
	return slices.Insert(s, i, sparsePack(index, val))
}

func sparseHistogram(s []uint32, hist *[64]int) {
	hist[0] += HLLRegisters - len(s)
	for _, e := range s {
		hist[uint8(e)]++
	}
}
