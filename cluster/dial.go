package cluster

import (
	"net"
	"time"
)

// DialFunc connects to another member's client (RESP) port at addr within
// timeout: plain TCP, or TLS presenting this node's certificate when the
// cluster's links are TLS (--tls-cluster). Safe for concurrent use.
type DialFunc func(addr string, timeout time.Duration) (net.Conn, error)

// Dial calls d, or dials plain TCP when d is nil.
func (d DialFunc) Dial(addr string, timeout time.Duration) (net.Conn, error) {
	if d == nil {
		return net.DialTimeout("tcp", addr, timeout)
	}
	return d(addr, timeout)
}
