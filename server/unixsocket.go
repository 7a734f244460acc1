package server

import (
	"fmt"
	"net"
	"os"
	"strconv"
)

// unixsocket and unixsocketperm, as in Redis: clients may also connect
// through a Unix socket at that path, created at start (a file left there
// by an earlier run is removed first) with those permissions (octal; 0
// leaves the umask's), removed at exit. Its clients are local: protected
// mode lets them in. CLIENT LIST shows them as Redis does: addr and laddr
// are the path with ":0", flag U; MONITOR names them "unix:<path>".

// listenUnix listens on the unixsocket path, when one is set.
func (s *Server) listenUnix() error {
	path := *s.settings.kept["unixsocket"].Load()
	if path == "" {
		return nil
	}
	perm, _ := strconv.ParseUint(*s.settings.kept["unixsocketperm"].Load(), 8, 32)
	os.Remove(path)
	ln, err := net.Listen("unix", path)
	if err != nil {
		return fmt.Errorf("failed opening Unix socket: %w", err)
	}
	if perm != 0 {
		if err := os.Chmod(path, os.FileMode(perm)); err != nil {
			ln.Close()
			return fmt.Errorf("failed opening Unix socket: %w", err)
		}
	}
	s.serveListener(ln, false)
	return nil
}

// isUnix reports whether nc came through the Unix socket.
func isUnix(nc net.Conn) bool {
	_, ok := nc.LocalAddr().(*net.UnixAddr)
	return ok
}

// peerAddr is a client's addr= in CLIENT LIST (and the slow log's, CLIENT
// KILL ADDR's): its host:port, or for a Unix socket client the socket's
// path with ":0", as Redis shows it.
func peerAddr(nc net.Conn) string {
	if isUnix(nc) {
		return nc.LocalAddr().String() + ":0"
	}
	return addrString(nc.RemoteAddr())
}

// clientLocalAddr is a client's laddr=.
func clientLocalAddr(nc net.Conn) string {
	if isUnix(nc) {
		return nc.LocalAddr().String() + ":0"
	}
	return addrString(nc.LocalAddr())
}

// monitorAddr is how a MONITOR line names a client.
func monitorAddr(nc net.Conn) string {
	if isUnix(nc) {
		return "unix:" + nc.LocalAddr().String()
	}
	return addrString(nc.RemoteAddr())
}
