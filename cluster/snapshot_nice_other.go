//go:build !linux

package cluster

// niced runs fn: nice values per thread are Linux's (snapshot_nice_linux.go).
func niced(fn func() error) error { return fn() }
