//go:build !unix

package server

import (
	"io"
	"os"
)

// mapFile reads f's first n bytes where files cannot be mapped.
func mapFile(f *os.File, n int64) ([]byte, error) {
	b := make([]byte, n)
	_, err := f.ReadAt(b, 0)
	if err == io.EOF {
		err = nil
	}
	return b, err
}

// unmapFile undoes mapFile (nothing to do here).
func unmapFile([]byte) {}
