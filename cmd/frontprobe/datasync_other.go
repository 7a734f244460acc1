//go:build !linux

package main

import "os"

// datasync is fsync where fdatasync is not offered.
func datasync(f *os.File) { f.Sync() }
