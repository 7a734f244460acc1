package rdb

import "hash/crc64"

// crcJones is the table of the CRC-64 Redis puts in DUMP payloads: the
// "Jones" polynomial (0xad93d23594c935a9), reflected, initial value 0,
// no final xor. Go's crc64 takes the reflected polynomial.
var crcJones = crc64.MakeTable(0x95ac9329ac4bc9b5)

// CRC64 returns Redis's crc64(crc, p). Go's crc64.Update inverts the
// value on the way in and out; Redis's variant does not, so the inversions
// are undone.
func CRC64(crc uint64, p []byte) uint64 {
	return ^crc64.Update(^crc, crcJones, p)
}
