// Package rdb reads and writes Redis 7.0's serialization format (RDB
// version 10): the payloads of DUMP/RESTORE and FUNCTION DUMP/RESTORE,
// their CRC-64 (Jones) footer, RDB lengths and strings (integer and LZF
// encodings), and the compact encodings Redis puts inside them (listpack,
// ziplist, intset, zipmap, stream listpacks).
//
// Everything here is pure and deterministic. Decoders never trust a
// length they read: every allocation is bounded by the bytes actually
// present, and a malformed payload is an error, never a panic.
package rdb

import (
	"encoding/binary"
	"errors"
)

// Version is the RDB version Redis 7.0 writes in a payload's footer; a
// payload of a later version is refused, as Redis refuses it.
const Version = 10

// FooterLen is the size of a payload's footer: the RDB version (2 bytes,
// little endian) and the CRC-64 of everything before the CRC (8 bytes,
// little endian).
const FooterLen = 10

// ErrBadFormat reports a payload whose body does not decode (Redis's
// "Bad data format").
var ErrBadFormat = errors.New("bad data format")

// CheckPayload verifies a payload's footer as Redis's verifyDumpPayload
// does: an RDB version this side reads and a matching CRC-64.
func CheckPayload(p []byte) bool {
	if len(p) < FooterLen {
		return false
	}
	footer := p[len(p)-FooterLen:]
	if int(footer[0])|int(footer[1])<<8 > Version {
		return false
	}
	return binary.LittleEndian.Uint64(footer[2:]) == CRC64(0, p[:len(p)-8])
}

// Seal appends the footer (version and CRC-64) to body and returns it.
func Seal(body []byte) []byte {
	body = append(body, Version, 0)
	return binary.LittleEndian.AppendUint64(body, CRC64(0, body))
}
