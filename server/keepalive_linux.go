//go:build linux

package server

import "syscall"

// setKeepAlive sets tcp-keepalive's secs on the socket rc: Redis's four
// options, or keepalive off for 0.
func setKeepAlive(rc syscall.RawConn, secs int64) error {
	if rc == nil {
		return syscall.EINVAL
	}
	var err error
	ctrl := rc.Control(func(fd uintptr) {
		f := int(fd)
		if secs <= 0 {
			err = syscall.SetsockoptInt(f, syscall.SOL_SOCKET, syscall.SO_KEEPALIVE, 0)
			return
		}
		for _, o := range [...]struct{ level, opt, v int }{
			{syscall.SOL_SOCKET, syscall.SO_KEEPALIVE, 1},
			{syscall.IPPROTO_TCP, syscall.TCP_KEEPIDLE, int(secs)},
			{syscall.IPPROTO_TCP, syscall.TCP_KEEPINTVL, int(keepAliveInterval(secs))},
			{syscall.IPPROTO_TCP, syscall.TCP_KEEPCNT, 3},
		} {
			if err = syscall.SetsockoptInt(f, o.level, o.opt, o.v); err != nil {
				return
			}
		}
	})
	if ctrl != nil {
		return ctrl
	}
	return err
}
