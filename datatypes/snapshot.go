package datatypes

import (
	"bufio"
	"bytes"
	"crypto/sha1"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
)

// appendEntry appends one entry's canonical encoding: key, expiry, value.
func appendEntry(b []byte, e *Entry) []byte {
	b = appendString(b, e.Key)
	b = binary.AppendVarint(b, e.ExpireAt)
	return appendBytes(b, e.Value.AppendEncoded(nil))
}

// WriteTo writes every entry in key order: a count, then each entry
// length-prefixed (key, expiry, value, and the stamp WATCH compares). Two
// keyspaces holding the same data write the same bytes.
func (ks *Keyspace) WriteTo(w io.Writer) (int64, error) {
	bw := bufio.NewWriterSize(w, 1<<16)
	var buf []byte
	buf = binary.AppendUvarint(buf, uint64(ks.Len()))
	var n int64
	var err error
	ks.keys.Scan(func(s slot) bool {
		e := s.e
		buf = appendBytes(buf, binary.AppendUvarint(appendEntry(nil, e), e.mod))
		if len(buf) >= 1<<16 {
			err = flushTo(bw, &buf, &n)
		}
		return err == nil
	})
	if err == nil {
		err = flushTo(bw, &buf, &n)
	}
	if err == nil {
		err = bw.Flush()
	}
	return n, err
}

func flushTo(w io.Writer, buf *[]byte, n *int64) error {
	m, err := w.Write(*buf)
	*n += int64(m)
	*buf = (*buf)[:0]
	return err
}

// ReadKeyspace reads what WriteTo wrote.
func ReadKeyspace(r io.Reader) (*Keyspace, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	count, err := binary.ReadUvarint(br)
	if err != nil {
		return nil, fmt.Errorf("failed to read key count: %w", err)
	}
	ks := NewKeyspace()
	for i := uint64(0); i < count; i++ {
		if err := ks.readEntry(br); err != nil {
			return nil, fmt.Errorf("failed to read entry %d: %w", i, err)
		}
	}
	return ks, nil
}

func (ks *Keyspace) readEntry(br *bufio.Reader) error {
	size, err := binary.ReadUvarint(br)
	if err != nil {
		return err
	}
	// Grow with the bytes actually read, so a corrupt size cannot make us
	// allocate more than the input holds.
	var buf bytes.Buffer
	if n, err := buf.ReadFrom(io.LimitReader(br, int64(min(size, 1<<62)))); err != nil || uint64(n) != size {
		return errCorrupt
	}
	d := &decoder{b: buf.Bytes()}
	key, expireAt, enc := string(d.bytes()), d.varint(), d.bytes()
	var mod uint64
	if len(d.b) > 0 { // snapshots written before WATCH have no stamps
		mod = d.uvarint()
	}
	if err := d.finish(); err != nil {
		return err
	}
	v, err := DecodeValue(enc)
	if err != nil {
		return err
	}
	ks.stamp = mod
	ks.Set(key, v, expireAt)
	ks.stamp = 0
	return nil
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
