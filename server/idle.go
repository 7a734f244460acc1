package server

import (
	"crypto/tls"
	"errors"
	"net"
	"sync/atomic"
	"syscall"
	"time"
)

// ioConn is a client's socket that notes when it last read bytes, for the
// idle timeout (writes are noted by writeUntil), and when the bytes of its
// last read arrived (arrival.go).
type ioConn struct {
	net.Conn
	last    *atomic.Int64  // unix ns
	stamped *stampedReader // nil: the socket gives no arrival stamps
	arrived int64          // unix ns; used by the reading goroutine only
}

func newIOConn(nc net.Conn, last *atomic.Int64) *ioConn {
	return &ioConn{Conn: nc, last: last, stamped: newStampedReader(nc)}
}

func (c *ioConn) Read(p []byte) (n int, err error) {
	if c.stamped != nil {
		n, err = c.stamped.Read(p)
	} else {
		n, err = c.Conn.Read(p)
	}
	if n > 0 {
		now := time.Now().UnixNano()
		c.last.Store(now)
		c.arrived = now
		if c.stamped != nil && c.stamped.stamp != 0 {
			c.arrived = c.stamped.stamp
		}
	}
	return n, err
}

// canWaitReadable says whether waitReadable may be called: a plain TCP
// socket read through a stampedReader (readbuf.go).
func (c *ioConn) canWaitReadable() bool { return c.stamped != nil }

// waitReadable waits, holding no buffer, until a read would not block.
func (c *ioConn) waitReadable() error { return c.stamped.waitReadable() }

// lastArrival is when the bytes of the last read arrived: the kernel's
// stamp, or the time the read returned when there was none.
func (c *ioConn) lastArrival() int64 { return c.arrived }

// SyscallConn exposes the socket's descriptor (CLIENT LIST's fd).
func (c *ioConn) SyscallConn() (syscall.RawConn, error) {
	nc := c.Conn
	if tc, ok := nc.(*tls.Conn); ok {
		nc = tc.NetConn()
	}
	if sc, ok := nc.(syscall.Conn); ok {
		return sc.SyscallConn()
	}
	return nil, errors.New("not a system socket")
}

// idleCheckEvery is how often idle clients are looked for: a client is
// closed between timeout and timeout+1 seconds after it went idle, as in
// Redis, whose clientsCron visits every client about once a second.
const idleCheckEvery = time.Second

// idleLoop closes idle clients until stop closes.
func (s *Server) idleLoop(stop <-chan struct{}) {
	defer s.wg.Done()
	t := time.NewTicker(idleCheckEvery)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case now := <-t.C:
			s.closeIdle(now)
			s.releaseIdleReads(now)
		}
	}
}

// closeIdle closes every client idle for more than timeout seconds (whole
// seconds, as Redis counts them): nothing read from it or written to it.
// A client running a command, blocked ones (BLPOP...) included, is exempt,
// as Redis exempts blocked clients; so will subscribers be.
func (s *Server) closeIdle(now time.Time) {
	timeout := s.settings.timeout.Load()
	if timeout == 0 {
		return
	}
	for _, c := range s.clientsByID() {
		if c.busy.Load() || c.typeOf() != typeNormal {
			continue
		}
		if now.Unix()-time.Unix(0, c.lastIO.Load()).Unix() > timeout {
			s.log.Debug("Closing idle client", "client", c.id)
			s.mu.Lock()
			s.forgetClient(c)
			s.mu.Unlock()
			c.nc.Close()
		}
	}
}
