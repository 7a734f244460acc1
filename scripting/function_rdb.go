package scripting

import (
	"github.com/geetcache/geetcache/datatypes/rdb"
	"github.com/geetcache/geetcache/protocol"
)

// A FUNCTION DUMP payload is what Redis 7.0 writes: for each library the
// RDB opcode FUNCTION2 (rdb.OpFunction2) and its code as an RDB string
// (LZF-compressed when that saves space, as Redis does with rdbcompression
// on), then the RDB footer (version 10 and CRC-64, see package rdb). A
// payload from redis-server 7.0 restores here and one from here restores
// there.

// Dump returns the FUNCTION DUMP payload of every library, sorted by name.
func (ls *Libraries) Dump() []byte {
	var b []byte
	for _, l := range ls.Sorted() {
		b = append(b, rdb.OpFunction2)
		b = rdb.AppendString(b, l.Code)
	}
	return rdb.Seal(b)
}

// readDumpPayload returns the library codes of a verified payload, as
// Redis's FUNCTION RESTORE reads them: records until only the footer is
// left (a record may read into the footer's bytes, as Redis's does).
func readDumpPayload(p []byte) ([][]byte, error) {
	var codes [][]byte
	r := rdb.NewReader(p)
	for r.Remaining() > rdb.FooterLen {
		t, ok := r.Byte()
		switch {
		case !ok:
			return nil, replyError(protocol.ErrFuncPayloadRead)
		case t == rdb.OpFunctionPreGA:
			return nil, replyError(protocol.ErrFuncPayloadPreGA)
		case t != rdb.OpFunction2:
			return nil, replyError(protocol.ErrFuncPayloadType)
		}
		code, ok := r.String()
		if !ok {
			return nil, replyError(protocol.ErrFuncPayloadLib)
		}
		codes = append(codes, code)
	}
	return codes, nil
}
