package datatypes

import (
	"bufio"
	"cmp"
	"crypto/sha1"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"math"
)

// appendEntry appends one entry's canonical encoding: key, expiry, value.
func appendEntry(b []byte, e *Entry) []byte {
	b = appendString(b, e.Key)
	b = binary.AppendVarint(b, e.ExpireAt)
	return appendBytes(b, e.Value.AppendEncoded(nil))
}

// WriteTo writes every entry in key order: a count, then each entry
// length-prefixed (key, expiry, length-prefixed value encoding, and the
// stamp WATCH compares). Two keyspaces holding the same data write the same
// bytes.
//
// It streams: a string value goes from the keyspace to w's buffer without
// being copied, and any other value is encoded into one scratch buffer
// reused for the next, so the memory it takes beyond a 64 KiB buffer is
// about the largest non-string value, never the image.
func (ks *Keyspace) WriteTo(w io.Writer) (int64, error) {
	sw := &snapWriter{bw: bufio.NewWriterSize(w, 1<<16)}
	sw.uvarint(uint64(ks.Len()))
	ks.keys.Scan(func(s slot) bool {
		sw.entry(s.e)
		return sw.err == nil
	})
	if sw.err == nil {
		sw.err = sw.bw.Flush()
	}
	return sw.n, sw.err
}

// snapWriter writes entries through a buffer, counting bytes; the first
// error sticks.
type snapWriter struct {
	bw      *bufio.Writer
	n       int64
	err     error
	scratch []byte // a non-string value's encoding
	num     [binary.MaxVarintLen64]byte
}

// maxScratch is the largest scratch buffer kept for the next value.
const maxScratch = 1 << 20

// entry writes what appendEntry followed by e.mod, length-prefixed, would.
func (sw *snapWriter) entry(e *Entry) {
	str, isString := PlainBytes(e.Value)
	encLen := 1 + uvarintLen(len(str)) + len(str)
	if !isString {
		sw.scratch = e.Value.AppendEncoded(sw.scratch[:0])
		encLen = len(sw.scratch)
	}
	size := uvarintLen(len(e.Key)) + len(e.Key) + varintLen(e.ExpireAt) +
		uvarintLen(encLen) + encLen + u64Len(e.mod)
	sw.uvarint(uint64(size))
	sw.uvarint(uint64(len(e.Key)))
	sw.writeString(e.Key)
	sw.write(binary.AppendVarint(sw.num[:0], e.ExpireAt))
	sw.uvarint(uint64(encLen))
	if isString {
		sw.write(append(sw.num[:0], tagString))
		sw.uvarint(uint64(len(str)))
		sw.write(str)
	} else {
		sw.write(sw.scratch)
		if cap(sw.scratch) > maxScratch {
			sw.scratch = nil
		}
	}
	sw.uvarint(e.mod)
}

func (sw *snapWriter) uvarint(v uint64) { sw.write(binary.AppendUvarint(sw.num[:0], v)) }

func (sw *snapWriter) write(b []byte) { sw.count(sw.bw.Write(b)) }

// writeString writes s without converting it to a slice, which would
// allocate for every key: garbage the writes' GC pays for while a
// snapshot runs.
func (sw *snapWriter) writeString(s string) { sw.count(sw.bw.WriteString(s)) }

// count adds a write's bytes and keeps its error. bufio.Writer keeps its
// first error and refuses every write after it, so a failed snapshot stops
// writing there.
func (sw *snapWriter) count(m int, err error) {
	sw.n += int64(m)
	if sw.err == nil {
		sw.err = err
	}
}

func u64Len(v uint64) int {
	var b [binary.MaxVarintLen64]byte
	return len(binary.AppendUvarint(b[:0], v))
}

func varintLen(v int64) int {
	var b [binary.MaxVarintLen64]byte
	return len(binary.AppendVarint(b[:0], v))
}

// ReadKeyspace reads what WriteTo wrote. It streams too: a string value is
// read straight into its own array, any other value's encoding into a
// buffer of its size; a size read from r is trusted only as far as the
// bytes that actually arrive.
func ReadKeyspace(r io.Reader) (*Keyspace, error) {
	sr := &snapReader{br: bufio.NewReaderSize(r, 1<<16), left: math.MaxUint64}
	count := sr.uvarint()
	if sr.err != nil {
		return nil, fmt.Errorf("failed to read key count: %w", sr.err)
	}
	ks := NewKeyspace()
	for i := uint64(0); i < count; i++ {
		if err := ks.readEntry(sr); err != nil {
			return nil, fmt.Errorf("failed to read entry %d: %w", i, err)
		}
		if len(ks.dirty) >= 1024 {
			ks.Settle()
		}
	}
	ks.Settle()
	return ks, nil
}

func (ks *Keyspace) readEntry(sr *snapReader) error {
	sr.left = math.MaxUint64
	size := sr.uvarint()
	sr.left = size
	key := string(sr.bytes(sr.uvarint()))
	expireAt := sr.varint()
	v := sr.value(sr.uvarint())
	var mod uint64
	if sr.left > 0 { // snapshots written before WATCH have no stamps
		mod = sr.uvarint()
	}
	if sr.err == nil && sr.left != 0 {
		sr.err = errCorrupt
	}
	if sr.err != nil {
		return sr.err
	}
	ks.stamp = mod
	if s, plain := v.(String); plain {
		ks.SetString(key, s, expireAt)
	} else {
		ks.Set(key, v, expireAt)
	}
	ks.stamp = 0
	return nil
}

// snapReader reads one entry's fields, never past the entry's declared
// size (left); the first error sticks and later reads return zero values.
type snapReader struct {
	br   *bufio.Reader
	left uint64
	err  error
}

func (sr *snapReader) ReadByte() (byte, error) {
	if sr.err != nil {
		return 0, sr.err
	}
	if sr.left == 0 {
		sr.err = errCorrupt
		return 0, sr.err
	}
	c, err := sr.br.ReadByte()
	if err != nil {
		sr.err = errCorrupt
		return 0, sr.err
	}
	sr.left--
	return c, nil
}

func (sr *snapReader) uvarint() uint64 {
	v, err := binary.ReadUvarint(sr)
	if err != nil && sr.err == nil {
		sr.err = errCorrupt
	}
	return v
}

func (sr *snapReader) varint() int64 {
	v, err := binary.ReadVarint(sr)
	if err != nil && sr.err == nil {
		sr.err = errCorrupt
	}
	return v
}

// readChunk is how much bigger than what has arrived an array is allowed
// to be: a corrupt size cannot allocate much more than the input holds.
const readChunk = 64 << 20

// bytes reads the next n bytes of the entry into a new array.
func (sr *snapReader) bytes(n uint64) []byte {
	if sr.err == nil && n > sr.left {
		sr.err = errCorrupt
	}
	if sr.err != nil {
		return nil
	}
	b := make([]byte, 0, min(n, readChunk))
	for uint64(len(b)) < n {
		if len(b) == cap(b) {
			b = append(make([]byte, 0, min(n, 2*uint64(cap(b)))), b...)
		}
		m, err := io.ReadFull(sr.br, b[len(b):min(uint64(cap(b)), n)])
		b = b[:len(b)+m]
		if err != nil {
			sr.err = errCorrupt
			return nil
		}
	}
	sr.left -= n
	return b
}

// value reads a value encoding of n bytes. A plain string's bytes become
// the value without another copy.
func (sr *snapReader) value(n uint64) Value {
	if sr.err != nil || n > sr.left {
		sr.err = cmp.Or(sr.err, errCorrupt)
		return nil
	}
	if tag, err := sr.br.Peek(1); err != nil || tag[0] != tagString {
		v, err := DecodeValue(sr.bytes(n))
		if sr.err == nil && err != nil {
			sr.err = err
		}
		return v
	}
	start := sr.left
	sr.ReadByte()
	size := sr.uvarint()
	if sr.err == nil && start-sr.left+size != n {
		sr.err = errCorrupt
	}
	return String(sr.bytes(size))
}

// Digest returns a hex SHA-1 of every key, type, value and expiry, in key
// order: equal on two keyspaces holding the same data. An empty keyspace
// digests to forty zeros, as in Redis's DEBUG DIGEST.
func (ks *Keyspace) Digest() string {
	if ks.Len() == 0 {
		return "0000000000000000000000000000000000000000"
	}
	h := sha1.New()
	var buf []byte
	ks.keys.Scan(func(s slot) bool {
		e := s.e
		buf = appendBytes(buf[:0], appendEntry(nil, e))
		h.Write(buf)
		return true
	})
	return hex.EncodeToString(h.Sum(nil))
}
