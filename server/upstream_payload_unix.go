//go:build unix

package server

import (
	"os"
	"syscall"
)

// mapFile maps f's first n bytes read-only (an empty payload maps to nil).
func mapFile(f *os.File, n int64) ([]byte, error) {
	if n == 0 {
		return nil, nil
	}
	return syscall.Mmap(int(f.Fd()), 0, int(n), syscall.PROT_READ, syscall.MAP_SHARED)
}

// unmapFile undoes mapFile.
func unmapFile(b []byte) {
	if b != nil {
		syscall.Munmap(b)
	}
}
