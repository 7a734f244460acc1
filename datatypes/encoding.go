package datatypes

import (
	"encoding/binary"
	"errors"
)

// errCorrupt reports an encoding that does not decode.
var errCorrupt = errors.New("corrupt encoding")

// Snapshot tags, one per value encoding. Tags are part of the on-disk format:
// never reuse or renumber one.
const (
	tagString byte = 's'
	tagHLL    byte = 'y' // HyperLogLog: the blob HLL.Bytes returns
	tagHash   byte = 'h' // Hash: count, then field and value in iteration order
	tagSet    byte = 'S' // Set: count, then members in iteration order
	tagZSet   byte = 'z' // ZSet: encoding flag, count, then member and score in rank order
	tagList   byte = 'l' // List: count, then elements head to tail
	tagStream byte = 'x' // Stream: see Stream.AppendEncoded
	// A hash or set Redis would hold in its hashtable encoding whatever its
	// size now (it outgrew the compact one: see Hash.Outgrow) has these
	// tags instead of tagHash and tagSet, with the same payload.
	tagHashBig byte = 'H'
	tagSetBig  byte = 'T'
)

func appendBytes(b, v []byte) []byte {
	b = binary.AppendUvarint(b, uint64(len(v)))
	return append(b, v...)
}

func appendString(b []byte, v string) []byte {
	b = binary.AppendUvarint(b, uint64(len(v)))
	return append(b, v...)
}

// decoder reads what the append helpers wrote. The first failure sticks in
// err and every later read returns zero values.
type decoder struct {
	b   []byte
	err error
}

func (d *decoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.err = errCorrupt
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) varint() int64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.err = errCorrupt
		return 0
	}
	d.b = d.b[n:]
	return v
}

// bytes returns the next length-prefixed field, aliasing the input.
func (d *decoder) bytes() []byte {
	n := d.uvarint()
	if d.err != nil {
		return nil
	}
	if n > uint64(len(d.b)) {
		d.err = errCorrupt
		return nil
	}
	v := d.b[:n:n]
	d.b = d.b[n:]
	return v
}

func (d *decoder) byte() byte {
	if d.err != nil {
		return 0
	}
	if len(d.b) == 0 {
		d.err = errCorrupt
		return 0
	}
	c := d.b[0]
	d.b = d.b[1:]
	return c
}

// DecodeValue decodes one value written by Value.AppendEncoded.
func DecodeValue(b []byte) (Value, error) {
	d := &decoder{b: b}
	switch d.byte() {
	case tagString:
		v := String(append([]byte(nil), d.bytes()...))
		return v, d.finish()
	case tagHLL:
		return decodeHLL(d)
	case tagHash, tagHashBig:
		v, err := decodeHash(d)
		if err == nil {
			v.(*Hash).t.big = b[0] == tagHashBig
		}
		return v, err
	case tagSet, tagSetBig:
		v, err := decodeSet(d)
		if err == nil {
			v.(*Set).t.big = b[0] == tagSetBig
		}
		return v, err
	case tagZSet:
		return decodeZSet(d)
	case tagList:
		return decodeList(d)
	case tagStream:
		return decodeStream(d)
	}
	return nil, errCorrupt
}

func (d *decoder) finish() error {
	if d.err == nil && len(d.b) != 0 {
		return errCorrupt
	}
	return d.err
}
