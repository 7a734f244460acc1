package cluster

import (
	"crypto/tls"
	"errors"
	"log/slog"
	"net"
	"sync"
	"time"

	"github.com/hashicorp/raft"
)

// peerHandshakeTimeout bounds a TLS handshake on the Raft port, both ways.
const peerHandshakeTimeout = 5 * time.Second

// maxPeerHandshakes bounds the handshakes under way on the Raft port: a
// connection beyond it is closed at once, so a flood of connections that
// never finish their handshake holds neither memory nor goroutines without
// bound.
const maxPeerHandshakes = 64

// tlsStream is a raft.StreamLayer over mutual TLS (PeerTLS): Raft's
// NetworkTransport gets only connections whose handshake succeeded, so a
// caller without a certificate from the cluster's CA never has a byte
// decoded as a Raft RPC; each refusal is logged with the caller's address.
type tlsStream struct {
	ln       net.Listener
	peer     *PeerTLS
	log      *slog.Logger
	conns    chan net.Conn
	slots    chan struct{}
	done     chan struct{}
	stopOnce sync.Once
}

var _ raft.StreamLayer = (*tlsStream)(nil)

// newTLSStream listens on addr for members' Raft connections over mutual
// TLS with peer's configurations.
func newTLSStream(addr string, peer *PeerTLS, log *slog.Logger) (*tlsStream, error) {
	if err := peer.check(); err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	s := &tlsStream{ln: ln, peer: peer, log: log,
		conns: make(chan net.Conn), slots: make(chan struct{}, maxPeerHandshakes), done: make(chan struct{})}
	go s.acceptLoop()
	return s, nil
}

// acceptLoop accepts connections and hands each to a handshake of its own
// until the listener closes.
func (s *tlsStream) acceptLoop() {
	for {
		nc, err := s.ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			time.Sleep(5 * time.Millisecond)
			continue
		}
		select {
		case s.slots <- struct{}{}:
			go s.handshake(nc)
		default:
			s.log.Warn("refused a Raft connection: too many TLS handshakes under way", "remote", nc.RemoteAddr().String())
			nc.Close()
		}
	}
}

// handshake completes nc's TLS handshake and passes it to Accept, or logs
// why it failed and closes it.
func (s *tlsStream) handshake(nc net.Conn) {
	defer func() { <-s.slots }()
	tc := tls.Server(nc, s.peer.Server)
	tc.SetDeadline(time.Now().Add(peerHandshakeTimeout))
	if err := tc.Handshake(); err != nil {
		s.log.Warn("refused a Raft connection: TLS handshake failed (tls-cluster: a member must present a certificate the cluster's CA signed)",
			"remote", nc.RemoteAddr().String(), "err", err)
		tc.Close()
		return
	}
	tc.SetDeadline(time.Time{})
	select {
	case s.conns <- tc:
	case <-s.done:
		tc.Close()
	}
}

// Accept returns the next connection whose handshake succeeded.
func (s *tlsStream) Accept() (net.Conn, error) {
	select {
	case nc := <-s.conns:
		return nc, nil
	case <-s.done:
		return nil, net.ErrClosed
	}
}

// Close stops listening; connections already accepted stay open.
func (s *tlsStream) Close() error {
	s.stopOnce.Do(func() { close(s.done) })
	return s.ln.Close()
}

// Addr is the address the listener is bound to (as raft's TCP transport
// advertises it).
func (s *tlsStream) Addr() net.Addr { return s.ln.Addr() }

// Dial connects to a member's Raft port and completes the TLS handshake
// within timeout.
func (s *tlsStream) Dial(address raft.ServerAddress, timeout time.Duration) (net.Conn, error) {
	cfg, err := s.peer.Client()
	if err != nil {
		return nil, err
	}
	d := &net.Dialer{Timeout: timeout}
	return tls.DialWithDialer(d, "tcp", string(address), cfg)
}
