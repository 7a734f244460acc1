//go:build linux

package main

import (
	"os"
	"syscall"
)

// datasync is fdatasync(2), as Redis's appendfsync always.
func datasync(f *os.File) { syscall.Fdatasync(int(f.Fd())) }
