package rdb

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/geetcache/geetcache/datatypes"
)

// RDB file opcodes (rdb.h). A function library is OpFunction2 and its
// code, in a file and in a FUNCTION DUMP payload (package scripting).
const (
	OpFunction2     = 245
	OpFunctionPreGA = 246
	opModuleAux     = 247
	opIdle          = 248
	opFreq          = 249
	opAux           = 250
	opResizeDB      = 251
	opExpireMs      = 252
	opExpireSec     = 253
	opSelectDB      = 254
	opEOF           = 255
	fileHeaderLen   = 9 // "REDIS" and four digits
)

// ErrBadFile reports an RDB file this reader cannot read.
var ErrBadFile = errors.New("not a readable RDB file")

// FileRecord is one record of an RDB file: a key (Key set) with its
// database, expiry (unix ms, 0 for none) and value as a DUMP payload for
// RESTORE, or a function library (Key nil) as a FUNCTION RESTORE payload.
type FileRecord struct {
	DB       uint64
	Key      []byte
	ExpireAt int64
	Payload  []byte
}

// ReadFile reads an RDB file of version 1 to 10 (what Redis 7.0 writes
// and loads) and calls fn for each key and function library, in file
// order, stopping at fn's first error. Each value is checked whole as Load
// checks a payload; the file's CRC-64 is checked when it has one. Auxiliary
// fields, resize hints and LRU/LFU hints are skipped; module data is an
// error.
func ReadFile(b []byte, fn func(FileRecord) error) error {
	if len(b) < fileHeaderLen || string(b[:5]) != "REDIS" {
		return fmt.Errorf("%w: no REDIS header", ErrBadFile)
	}
	var ver int
	for _, c := range b[5:fileHeaderLen] {
		if c < '0' || c > '9' {
			return fmt.Errorf("%w: bad version %q", ErrBadFile, b[5:fileHeaderLen])
		}
		ver = ver*10 + int(c-'0')
	}
	if ver < 1 || ver > Version {
		return fmt.Errorf("%w: RDB version %d (this reader reads 1 to %d)", ErrBadFile, ver, Version)
	}
	f := fileReader{r: NewReader(b), fn: fn}
	f.r.pos = fileHeaderLen
	if err := f.records(); err != nil {
		return err
	}
	return f.checksum(b, ver)
}

type fileReader struct {
	r        *Reader
	fn       func(FileRecord) error
	db       uint64
	expireAt int64
}

func (f *fileReader) records() error {
	for {
		op, ok := f.r.Byte()
		if !ok {
			return fmt.Errorf("%w: truncated", ErrBadFile)
		}
		if op == opEOF {
			return nil
		}
		if err := f.record(op); err != nil {
			return err
		}
	}
}

// record reads what follows opcode (or object type) op.
func (f *fileReader) record(op byte) error {
	r := f.r
	ok := true
	switch op {
	case opExpireSec:
		var b []byte
		if b, ok = r.Take(4); ok {
			f.expireAt = int64(binary.LittleEndian.Uint32(b)) * 1000
		}
	case opExpireMs:
		var u uint64
		u, ok = r.Uint64LE()
		f.expireAt = int64(u)
	case opFreq:
		_, ok = r.Byte()
	case opIdle:
		_, ok = r.Len()
	case opSelectDB:
		f.db, ok = r.Len()
	case opResizeDB:
		_, ok1 := r.Len()
		_, ok2 := r.Len()
		ok = ok1 && ok2
	case opAux:
		_, ok1 := r.String()
		_, ok2 := r.String()
		ok = ok1 && ok2
	case OpFunction2:
		var code []byte
		if code, ok = r.String(); ok {
			return f.fn(FileRecord{Payload: Seal(AppendString([]byte{OpFunction2}, code))})
		}
	case OpFunctionPreGA, opModuleAux:
		return fmt.Errorf("%w: opcode %d (pre-GA functions or module data) is not supported", ErrBadFile, op)
	default:
		return f.key(op)
	}
	if !ok {
		return fmt.Errorf("%w: truncated after opcode %d", ErrBadFile, op)
	}
	return nil
}

// key reads a key and its value of object type t and hands them on.
func (f *fileReader) key(t byte) error {
	key, ok := f.r.String()
	if !ok {
		return fmt.Errorf("%w: truncated key", ErrBadFile)
	}
	start := f.r.pos
	if _, ok := loadObject(f.r, t, datatypes.DefaultEncodingLimits); !ok {
		return fmt.Errorf("%w: the value of key %q (type %d) does not decode", ErrBadFile, key, t)
	}
	payload := append([]byte{t}, f.r.b[start:f.r.pos]...)
	rec := FileRecord{DB: f.db, Key: append([]byte(nil), key...), ExpireAt: f.expireAt, Payload: Seal(payload)}
	f.expireAt = 0
	return f.fn(rec)
}

// checksum verifies the CRC-64 after the EOF opcode (RDB 5 and later; 0
// means the file was written without one).
func (f *fileReader) checksum(b []byte, ver int) error {
	if ver < 5 {
		return nil
	}
	end := f.r.pos
	sum, ok := f.r.Uint64LE()
	if !ok {
		return fmt.Errorf("%w: no checksum", ErrBadFile)
	}
	if sum != 0 && sum != CRC64(0, b[:end]) {
		return fmt.Errorf("%w: wrong checksum", ErrBadFile)
	}
	return nil
}
