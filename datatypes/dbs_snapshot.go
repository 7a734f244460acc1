package datatypes

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
)

// maxSnapshotDB bounds a database index read from a snapshot, so a damaged
// one cannot make the reader allocate without bound.
const maxSnapshotDB = 1 << 20

// WriteTo writes database 0 and every other non-empty database: a count,
// then each database's index, its last SWAPDB stamp and its
// Keyspace.WriteTo, in index order, so
// two replicas holding the same data write the same bytes.
func (d *DBs) WriteTo(w io.Writer) (int64, error) {
	var idx []int
	for i, ks := range d.list {
		if i == 0 || ks.Len() > 0 {
			idx = append(idx, i)
		}
	}
	hdr := binary.AppendUvarint(nil, uint64(len(idx)))
	total := int64(0)
	for n, i := range idx {
		if n > 0 {
			hdr = nil
		}
		hdr = binary.AppendUvarint(hdr, uint64(i))
		hdr = binary.AppendUvarint(hdr, d.swapped[i])
		m, err := w.Write(hdr)
		total += int64(m)
		if err != nil {
			return total, err
		}
		k, err := d.list[i].WriteTo(w)
		total += k
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

// ReadDBs reads what DBs.WriteTo wrote into at least n databases. r is
// read through a buffer of Keyspace's size, which a *bufio.Reader of that
// size already is.
func ReadDBs(r io.Reader, n int) (*DBs, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	count, err := binary.ReadUvarint(br)
	if err != nil {
		return nil, fmt.Errorf("failed to read database count: %w", err)
	}
	d := NewDBs(n)
	for range count {
		i, err := binary.ReadUvarint(br)
		if err != nil || i >= maxSnapshotDB {
			return nil, fmt.Errorf("failed to read database index: %v", err)
		}
		swapped, err := binary.ReadUvarint(br)
		if err != nil {
			return nil, fmt.Errorf("failed to read database %d: %w", i, err)
		}
		ks, err := ReadKeyspace(br)
		if err != nil {
			return nil, fmt.Errorf("failed to read database %d: %w", i, err)
		}
		d.Grow(int(i) + 1)
		d.list[i], d.swapped[i] = ks, swapped
	}
	return d, nil
}

// Single returns databases whose database 0 is ks (a snapshot written
// before there were several), at least n of them.
func Single(ks *Keyspace, n int) *DBs {
	d := NewDBs(n)
	d.list[0] = ks
	return d
}
