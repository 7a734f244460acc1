//go:build linux || darwin || freebsd

package cluster

import "syscall"

// freeBytes returns the bytes an unprivileged process may still write on
// the file system holding dir, and whether that could be read.
func freeBytes(dir string) (uint64, bool) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil || st.Blocks == 0 {
		return 0, false
	}
	return uint64(st.Bavail) * uint64(st.Bsize), true
}
