package datatypes

import "encoding/binary"

// murmurSeed is the seed Redis's HyperLogLog passes to MurmurHash64A.
const murmurSeed = 0xadc83b19

// murmur64A is Austin Appleby's MurmurHash64A, reading 8-byte blocks as
// little-endian words so the result is the same on every architecture, as
// Redis's endian-neutral variant does.
func murmur64A(data []byte, seed uint64) uint64 {
	const m = 0xc6a4a7935bd1e995
	const r = 47
	h := seed ^ (uint64(len(data)) * m)
	for len(data) >= 8 {
		k := binary.LittleEndian.Uint64(data)
		k *= m
		k ^= k >> r
		k *= m
		h ^= k
		h *= m
		data = data[8:]
	}
	if len(data) > 0 {
		h ^= murmurTail(data)
		h *= m
	}
	h ^= h >> r
	h *= m
	h ^= h >> r
	return h
}

// murmurTail packs the last 1..7 bytes little-endian.
func murmurTail(tail []byte) uint64 {
	var k uint64
	for i := len(tail) - 1; i >= 0; i-- {
		k = k<<8 | uint64(tail[i])
	}
	return k
}
