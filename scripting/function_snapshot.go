package scripting

import (
	"encoding/binary"
	"fmt"
	"io"
)

// AppendSnapshot appends the libraries' snapshot encoding: their count,
// then each one's code (length-prefixed), sorted by name so that two
// replicas write the same bytes. Restoring loads the code again, as Redis
// does from an RDB file.
func (ls *Libraries) AppendSnapshot(b []byte) []byte {
	libs := ls.Sorted()
	b = binary.AppendUvarint(b, uint64(len(libs)))
	for _, l := range libs {
		b = binary.AppendUvarint(b, uint64(len(l.Code)))
		b = append(b, l.Code...)
	}
	return b
}

// SnapshotReader is what ReadLibrariesSnapshot reads from.
type SnapshotReader interface {
	io.Reader
	io.ByteReader
}

// maxLibraryCode bounds a library's code in a snapshot: Redis's largest
// argument (proto-max-bulk-len's ceiling).
const maxLibraryCode = 512 << 20

// ReadLibrariesSnapshot reads what AppendSnapshot wrote.
func ReadLibrariesSnapshot(r SnapshotReader) (*Libraries, error) {
	n, err := binary.ReadUvarint(r)
	if err != nil {
		return nil, fmt.Errorf("failed to read function libraries: %w", err)
	}
	ls := &Libraries{}
	for i := uint64(0); i < n; i++ {
		size, err := binary.ReadUvarint(r)
		if err != nil || size > maxLibraryCode {
			return nil, fmt.Errorf("failed to read function library %d: bad length", i)
		}
		code := make([]byte, size)
		if _, err := io.ReadFull(r, code); err != nil {
			return nil, fmt.Errorf("failed to read function library %d: %w", i, err)
		}
		if _, err := ls.Load(code, false); err != nil {
			return nil, fmt.Errorf("failed to load function library %d: %w", i, err)
		}
	}
	return ls, nil
}
