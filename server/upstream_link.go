package server

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"
)

// The link of a replica to its Redis master (REPLICAOF, replicaof.go), as
// Redis 7.0's replica runs it: PING, AUTH with masteruser/masterauth when
// masterauth is set, REPLCONF listening-port and capa psync2, then PSYNC ?
// -1, which a master answers +FULLRESYNC <replid> <offset> and the RDB
// payload as a bulk ($<len>: this replica does not offer capa eof, so the
// master writes the payload to its disk first). The payload replaces the
// node's data (upstream_load.go); the command stream follows
// (upstream_stream.go). Any failure closes the connection and, a second
// later, the link starts again with PSYNC <replid> <offset+1>, the
// offset being the last byte of the stream applied here: a master that
// still holds its stream from there answers +CONTINUE and sends the rest,
// else it synchronizes in full again.

// Bounds on what a master may send, so that a broken or hostile one cannot
// make the node allocate without limit or wait for ever.
const (
	upstreamRetry     = time.Second // the wait before connecting again
	maxUpstreamLine   = 64 << 10    // a status line or a header
	maxUpstreamBulk   = 512 << 20   // one argument (proto-max-bulk-len's default)
	maxUpstreamArgs   = 1 << 20     // arguments of one command
	maxUpstreamRDB    = 1 << 40     // the payload, written to the data directory while it comes
	upstreamReadBytes = 64 << 10
)

var errUpstreamProtocol = errors.New("protocol error from the master")

// runUpstream keeps u's link up until u stops, or the node is found not
// to be alone in its configuration (a cluster's replication is Raft's).
func (s *Server) runUpstream(u *masterLink) {
	defer close(u.done)
	for !u.stopped() {
		if !s.waitAlone(u) {
			s.log.Warn("REPLICAOF: the node is not alone in its configuration; replication stopped")
			go s.stopUpstreamIf(u)
			return
		}
		err := s.syncUpstream(u)
		u.closeConn()
		if u.state.Swap(int32(linkConnect)) == int32(linkConnected) {
			u.downSince.Store(time.Now().Unix())
		}
		if u.stopped() {
			return
		}
		s.log.Warn("REPLICAOF: link to the master lost, connecting again", "host", u.host, "port", u.port, "err", err)
		select {
		case <-u.stop:
			return
		case <-time.After(upstreamRetry):
		}
	}
}

// syncUpstream connects to the master, synchronizes and applies its
// stream until the link fails or u stops.
func (s *Server) syncUpstream(u *masterLink) error {
	cfg, err := s.masterTLS() // upstream_tls.go
	if err != nil {
		return err
	}
	nc, err := u.dial(cfg, s.replTimeout())
	if err != nil {
		return err
	}
	nc = timeoutConn{Conn: nc, timeout: s.replTimeout} // upstream_timeout.go
	if !u.setConn(nc) {
		return nil
	}
	u.state.Store(int32(linkConnecting))
	rd := bufio.NewReaderSize(nc, upstreamReadBytes)
	offset, err := s.upstreamHandshake(u, rd)
	if err != nil {
		return err
	}
	if offset >= 0 {
		if err := s.fullSync(u, rd, offset); err != nil {
			u.replid = "" // the next try starts again from nothing
			return err
		}
	} else {
		s.log.Info("REPLICAOF: continuing the master's stream", "host", u.host, "port", u.port, "offset", u.offset.Load())
	}
	u.state.Store(int32(linkConnected))
	stopAcks := s.ackUpstream(u)
	defer stopAcks()
	return s.applyStream(u, rd)
}

// fullSync receives and loads the master's payload; offset is the
// master's offset it stands for.
func (s *Server) fullSync(u *masterLink, rd *bufio.Reader, offset int64) error {
	u.state.Store(int32(linkSync))
	payload, release, err := s.receivePayload(rd)
	if err != nil {
		return err
	}
	u.lastIO.Store(time.Now().Unix())
	err = s.loadUpstream(u, payload)
	release()
	if err != nil {
		return err
	}
	u.offset.Store(offset)
	u.db = 0
	s.log.Info("REPLICAOF: synchronized with the master", "host", u.host, "port", u.port, "offset", offset)
	return nil
}

// upstreamHandshake runs the handshake up to the master's answer to
// PSYNC: +FULLRESYNC, whose offset it returns, or +CONTINUE (-1) when the
// link had synchronized before and the master still holds its stream from
// the offset applied here on.
func (s *Server) upstreamHandshake(u *masterLink, rd *bufio.Reader) (int64, error) {
	ask := func(args ...string) (string, error) {
		bs := make([][]byte, len(args))
		for i, a := range args {
			bs[i] = []byte(a)
		}
		if err := u.write(appendCommand(nil, bs)); err != nil {
			return "", err
		}
		return readStatus(rd)
	}
	if r, err := ask("PING"); err != nil {
		return 0, err
	} else if r != "+PONG" && !strings.HasPrefix(r, "-NOAUTH") && !strings.HasPrefix(r, "-NOPERM") &&
		!strings.HasPrefix(r, "-ERR operation not permitted") {
		return 0, fmt.Errorf("error reply to PING from the master: %q", r)
	}
	if pass := *s.settings.kept["masterauth"].Load(); pass != "" {
		args := []string{"AUTH", pass}
		if user := *s.settings.kept["masteruser"].Load(); user != "" {
			args = []string{"AUTH", user, pass}
		}
		if r, err := ask(args...); err != nil || r[0] == '-' {
			return 0, fmt.Errorf("unable to AUTH to the master: %q %v", r, err)
		}
	}
	// Errors here are not fatal, as for Redis's replica: an older master
	// does not know them.
	if _, err := ask("REPLCONF", "listening-port", strconv.Itoa(s.announcedReplicaPort())); err != nil {
		return 0, err
	}
	if ip := *s.settings.kept["replica-announce-ip"].Load(); ip != "" {
		if _, err := ask("REPLCONF", "ip-address", ip); err != nil {
			return 0, err
		}
	}
	if _, err := ask("REPLCONF", "capa", "psync2"); err != nil {
		return 0, err
	}
	replid, from := "?", "-1"
	if u.replid != "" {
		replid, from = u.replid, strconv.FormatInt(u.offset.Load()+1, 10)
	}
	r, err := ask("PSYNC", replid, from)
	if err != nil {
		return 0, err
	}
	switch f := strings.Fields(r); {
	case len(f) == 3 && f[0] == "+FULLRESYNC":
		u.replid = f[1]
		return strconv.ParseInt(f[2], 10, 64)
	case len(f) <= 2 && f[0] == "+CONTINUE" && u.replid != "":
		if len(f) == 2 {
			u.replid = f[1] // the master's new replication ID (it was promoted)
		}
		return -1, nil
	}
	u.replid = ""
	return 0, fmt.Errorf("unexpected reply to PSYNC from the master: %q", r)
}

// announcedReplicaPort is the port the master shows for this replica
// (its INFO replication, what Sentinel finds): replica-announce-port when
// set, else the TLS port with tls-replication, else the plain port, as a
// Redis replica says.
func (s *Server) announcedReplicaPort() int {
	if p, _ := strconv.Atoi(*s.settings.kept["replica-announce-port"].Load()); p != 0 {
		return p
	}
	if s.settings.tlsReplication.Load() && s.settings.tlsPort != 0 {
		return s.settings.tlsPort
	}
	return int(s.settings.port.Load())
}

// readStatus reads one status or error line, skipping the empty lines a
// master sends to keep the link alive, and returns it without its CRLF.
func readStatus(rd *bufio.Reader) (string, error) {
	for {
		line, err := readUpstreamLine(rd)
		if err != nil {
			return "", err
		}
		if line == "" {
			continue
		}
		if line[0] != '+' && line[0] != '-' {
			return "", fmt.Errorf("%w: %q", errUpstreamProtocol, line)
		}
		return line, nil
	}
}

// readUpstreamLine reads a line of at most maxUpstreamLine bytes, without
// its CRLF (or bare LF).
func readUpstreamLine(rd *bufio.Reader) (string, error) {
	var line []byte
	for {
		part, err := rd.ReadSlice('\n')
		line = append(line, part...)
		if len(line) > maxUpstreamLine {
			return "", fmt.Errorf("%w: a line longer than %d bytes", errUpstreamProtocol, maxUpstreamLine)
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err != nil {
			return "", err
		}
		return strings.TrimRight(string(line), "\r\n"), nil
	}
}

// payloadHeader reads the payload's header, $<len>, and returns the
// length.
func payloadHeader(rd *bufio.Reader) (int64, error) {
	var line string
	for line == "" { // newlines while the master prepares the payload
		var err error
		if line, err = readUpstreamLine(rd); err != nil {
			return 0, err
		}
	}
	if line[0] == '-' {
		return 0, fmt.Errorf("the master refused the synchronization: %q", line)
	}
	n, err := strconv.ParseInt(strings.TrimPrefix(line, "$"), 10, 64)
	if line[0] != '$' || err != nil || n < 0 {
		return 0, fmt.Errorf("%w: bad payload header %q", errUpstreamProtocol, line)
	}
	if n > maxUpstreamRDB {
		return 0, fmt.Errorf("the master's payload is %d bytes, more than this node loads (%d)", n, int64(maxUpstreamRDB))
	}
	return n, nil
}

// ackUpstream sends REPLCONF ACK <offset> every second, as a Redis
// replica does, until the returned func is called.
func (s *Server) ackUpstream(u *masterLink) func() {
	stop := make(chan struct{})
	go func() {
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				if !s.alone() { // nodes joined: the cluster's replication is Raft's
					s.log.Warn("REPLICAOF: the node is no longer alone in its configuration; replication stopped")
					go s.stopUpstreamIf(u)
					return
				}
				u.ack()
			}
		}
	}()
	return func() { close(stop) }
}

// ack sends REPLCONF ACK with the offset applied.
func (u *masterLink) ack() error {
	off := strconv.FormatInt(u.offset.Load(), 10)
	return u.write(appendCommand(nil, [][]byte{[]byte("REPLCONF"), []byte("ACK"), []byte(off)}))
}

// waitAlone waits until this node is its whole configuration (at start a
// single node may not have elected itself yet), at most the election
// wait, and reports whether it is.
func (s *Server) waitAlone(u *masterLink) bool {
	deadline := time.Now().Add(max(s.cfg.ElectionWait, time.Second))
	for !s.alone() {
		if time.Now().After(deadline) || u.stopped() {
			return false
		}
		time.Sleep(50 * time.Millisecond)
	}
	return true
}

// dial connects to the master, over TLS with cfg unless it is nil,
// giving up after timeout or when u stops (REPLICAOF NO ONE must not wait
// for an unreachable host).
func (u *masterLink) dial(cfg *tls.Config, timeout time.Duration) (net.Conn, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	go func() {
		select {
		case <-u.stop:
			cancel()
		case <-ctx.Done():
		}
	}()
	var d net.Dialer
	nc, err := d.DialContext(ctx, "tcp", net.JoinHostPort(u.host, strconv.Itoa(u.port)))
	if err != nil || cfg == nil {
		return nc, err
	}
	tc := tls.Client(nc, cfg)
	if err := tc.HandshakeContext(ctx); err != nil {
		nc.Close()
		return nil, err
	}
	return tc, nil
}
