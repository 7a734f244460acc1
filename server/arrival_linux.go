//go:build linux

package server

import (
	"io"
	"net"
	"os"
	"syscall"
	"unsafe"
)

// stampListener asks the kernel to stamp every packet that the
// connections ln accepts receive with the time it arrived
// (SO_TIMESTAMPNS, which accepted sockets inherit from the listening one,
// so even a command sent right after connecting is stamped). A listener
// that is not a TCP socket is left alone.
func stampListener(ln net.Listener) {
	tl, ok := ln.(*net.TCPListener)
	if !ok {
		return
	}
	if rc, err := tl.SyscallConn(); err == nil {
		rc.Control(func(fd uintptr) {
			syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_TIMESTAMPNS, 1)
		})
	}
}

// stampedReader reads a TCP socket with recvmsg, keeping the kernel's
// arrival time of the last bytes each read returned (stamp, unix ns; 0
// when the packet carried none). It is used by one goroutine at a time,
// as a connection's reader is.
type stampedReader struct {
	rc    syscall.RawConn
	recv  func(fd uintptr) bool // r.recvmsg, bound once
	peek  func(fd uintptr) bool // r.peekOne, bound once
	one   [1]byte               // peekOne's byte
	p     []byte
	n     int
	errno syscall.Errno
	oob   [8]uint64 // control messages, aligned for their headers
	stamp int64
}

// newStampedReader returns a reader of nc's arrival stamps, nil when nc
// is not a plain TCP connection (a TLS connection reads through its own
// layer: its commands are stamped when read, arrivalOf).
func newStampedReader(nc net.Conn) *stampedReader {
	tc, ok := nc.(*net.TCPConn)
	if !ok {
		return nil
	}
	rc, err := tc.SyscallConn()
	if err != nil {
		return nil
	}
	r := &stampedReader{rc: rc}
	r.recv, r.peek = r.recvmsg, r.peekOne
	return r
}

// waitReadable waits until the socket has bytes to read, its end or an
// error, holding no buffer meanwhile (deadlines included: the socket's
// poller waits); the read that follows finds which.
func (r *stampedReader) waitReadable() error { return r.rc.Read(r.peek) }

// peekOne is one non-blocking peek at the socket; false asks the poller
// to wait until it is readable.
func (r *stampedReader) peekOne(fd uintptr) bool {
	for {
		_, _, e := syscall.Syscall6(syscall.SYS_RECVFROM, fd, uintptr(unsafe.Pointer(&r.one[0])), 1,
			syscall.MSG_PEEK|syscall.MSG_DONTWAIT, 0, 0)
		switch e {
		case syscall.EINTR:
			continue
		case syscall.EAGAIN:
			return false
		}
		return true
	}
}

// Read reads like net.Conn's Read (deadlines included: the socket's poller
// waits) and records the bytes' arrival stamp.
func (r *stampedReader) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	r.p, r.n, r.errno, r.stamp = p, 0, 0, 0
	err := r.rc.Read(r.recv)
	r.p = nil
	switch {
	case err != nil: // a deadline, or the connection closed here
		return 0, err
	case r.errno != 0:
		return 0, &net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("recvmsg", r.errno)}
	case r.n == 0:
		return 0, io.EOF
	}
	return r.n, nil
}

// recvmsg is one non-blocking recvmsg into r.p; false asks the poller to
// wait until the socket is readable.
func (r *stampedReader) recvmsg(fd uintptr) bool {
	iov := syscall.Iovec{Base: &r.p[0]}
	iov.SetLen(len(r.p))
	msg := syscall.Msghdr{Iov: &iov, Iovlen: 1, Control: (*byte)(unsafe.Pointer(&r.oob[0]))}
	msg.SetControllen(len(r.oob) * 8)
	for {
		n, _, e := syscall.Syscall(syscall.SYS_RECVMSG, fd, uintptr(unsafe.Pointer(&msg)), 0)
		switch e {
		case syscall.EINTR:
			continue
		case syscall.EAGAIN:
			return false
		case 0:
			r.n = int(n)
			r.stamp = stampIn(unsafe.Slice((*byte)(unsafe.Pointer(&r.oob[0])), len(r.oob)*8)[:msg.Controllen])
		default:
			r.errno = e
		}
		return true
	}
}

// stampIn returns the SCM_TIMESTAMPNS time among the control messages
// oob (unix ns), 0 if there is none.
func stampIn(oob []byte) int64 {
	for len(oob) >= syscall.SizeofCmsghdr {
		h := (*syscall.Cmsghdr)(unsafe.Pointer(&oob[0]))
		size := int(h.Len)
		if size < syscall.SizeofCmsghdr || size > len(oob) {
			return 0
		}
		data := oob[syscall.CmsgLen(0):size]
		if h.Level == syscall.SOL_SOCKET && h.Type == syscall.SCM_TIMESTAMPNS && len(data) >= int(unsafe.Sizeof(syscall.Timespec{})) {
			return (*syscall.Timespec)(unsafe.Pointer(&data[0])).Nano()
		}
		oob = oob[min(syscall.CmsgSpace(size-syscall.CmsgLen(0)), len(oob)):]
	}
	return 0
}
