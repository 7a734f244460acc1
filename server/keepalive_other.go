//go:build !linux

package server

import (
	"errors"
	"syscall"
)

// setKeepAlive is Linux's only: elsewhere each accepted connection gets
// tcp-keepalive through Go's calls (setKeepAliveGo).
func setKeepAlive(syscall.RawConn, int64) error { return errors.ErrUnsupported }
