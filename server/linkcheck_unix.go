//go:build linux || darwin || freebsd

package server

import (
	"errors"
	"net"
	"syscall"
)

// peerClosed reports whether the peer of nc, an idle connection with
// nothing left to read, has closed it (or sent bytes nobody asked for),
// without blocking: a link kept to a leader that has since restarted on
// the same address would otherwise take a command and lose its reply.
func peerClosed(nc net.Conn) bool {
	sc, ok := nc.(syscall.Conn)
	if !ok {
		return false
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		return true
	}
	closed := false
	var buf [1]byte
	err = raw.Read(func(fd uintptr) bool {
		n, _, rerr := syscall.Recvfrom(int(fd), buf[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
		closed = n > 0 || (n == 0 && rerr == nil) || (rerr != nil && !errors.Is(rerr, syscall.EAGAIN))
		return true
	})
	return closed || err != nil
}
