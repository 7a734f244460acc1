package server

import (
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/geetcache/geetcache/protocol"
)

// REPLICAOF host port (and SLAVEOF) makes a node that is its whole
// configuration a replica of a Redis master, as a Redis replica: it
// connects, synchronizes in full (the master's RDB payload replaces the
// node's data) and applies the master's command stream from then on,
// acknowledging its offset every second and on REPLCONF GETACK, so that
// the master's WAIT counts it. Everything it applies goes through the
// log, as a client's writes do (upstream_link.go). While it is a replica
// and replica-read-only is yes (the default), the calls Redis refuses on a
// read-only replica get its READONLY error; reads are served as always.
// REPLICAOF NO ONE stops replicating and keeps the data. The replica state
// is the node's own, not in the log, and does not outlive a restart (as
// Redis's, unless it rewrites its configuration file). A node of a
// cluster of several refuses both, as a Redis Cluster node does: the
// cluster's own replication is Raft's. This is the way to move a running
// Redis's data into geetcache without stopping it (operations.md).

// masterLink is the master a node replicates and its link's state.
type masterLink struct {
	host string
	port int
	stop chan struct{} // closed by REPLICAOF NO ONE, another REPLICAOF or Close
	done chan struct{} // closed once the link's goroutine ended

	mu sync.Mutex // guards nc and writes to it
	nc net.Conn   // the connection to the master, nil between tries

	replid    string       // the master's replication ID, "" before a synchronization (the link's goroutine's)
	db        int          // the database the stream had selected at offset (likewise)
	state     atomic.Int32 // a linkState
	offset    atomic.Int64 // the master's offset applied here; -1 before the first synchronization
	lastIO    atomic.Int64 // unix seconds of the master's last bytes
	downSince atomic.Int64 // unix seconds the link went down; 0 if it never was up
}

// linkState is the link's state, as ROLE names it.
type linkState int32

const (
	linkConnect    linkState = iota // waiting to connect
	linkConnecting                  // connected, in the handshake
	linkSync                        // receiving and loading the payload
	linkConnected                   // applying the stream
)

var linkStateNames = [...]string{"connect", "connecting", "sync", "connected"}

// Redis's replies.
const (
	errReplicaofCluster = "ERR REPLICAOF not allowed in cluster mode."
	errMasterPort       = "ERR Invalid master port"
	errReadonlyReplica  = "READONLY You can't write against a read only replica."
	alreadyConnected    = "OK Already connected to specified master"
)

func (s *Server) replicaofCommands() []*protocol.Command {
	h := protocol.HandlerFunc(s.replicaof)
	flags := protocol.Admin | protocol.NoScript | protocol.Stale | protocol.NoAsyncLoading
	return []*protocol.Command{
		{Name: "replicaof", Arity: 3, Flags: flags, Group: "server", Since: "5.0.0",
			Summary: "Make the server a replica of another instance, or promote it as master.", Handler: h},
		{Name: "slaveof", Arity: 3, Flags: flags, Group: "server", Since: "1.0.0",
			Summary: "Make the server a replica of another instance, or promote it as master.", Handler: h},
	}
}

// REPLICAOF host port | NO ONE, in Redis's order of checks.
func (s *Server) replicaof(c *protocol.Ctx) {
	s.masterMu.Lock() // two at once must not leave two links
	defer s.masterMu.Unlock()
	if !s.alone() {
		c.Out.Error(errReplicaofCluster)
		return
	}
	if protocol.EqualFold(c.Args[1], "no") && protocol.EqualFold(c.Args[2], "one") {
		if s.stopUpstream() {
			s.log.Info("MASTER MODE enabled (user request)")
		}
		c.Out.OK()
		return
	}
	port, ok := protocol.ParseInt(c.Args[2]) // Redis's string2ll: no sign, space or leading zero
	if !ok || port < 0 || port > 65535 {
		c.Out.Error(errMasterPort)
		return
	}
	host := string(c.Args[1])
	if u := s.master.Load(); u != nil && strings.EqualFold(u.host, host) && u.port == int(port) { // as Redis compares
		c.Out.Simple(alreadyConnected)
		return
	}
	s.stopUpstream()
	s.startUpstream(host, int(port))
	s.log.Info("REPLICAOF: connecting to the master", "host", host, "port", port)
	c.Out.OK()
}

// startConfiguredUpstream starts replicating the master a configuration
// file or the command line named (replicaof host port), once the node
// listens. A node that is not alone never loads the master's data
// (syncUpstream checks).
func (s *Server) startConfiguredUpstream() {
	v := *s.settings.replicaOf.Load()
	host, port, ok := strings.Cut(v, " ")
	if !ok {
		return
	}
	p, _ := strconv.Atoi(port) // checked by fileReplicaOf
	s.masterMu.Lock()
	defer s.masterMu.Unlock()
	s.startUpstream(host, p)
	s.log.Info("replicaof: connecting to the master", "host", host, "port", p)
}

// startUpstream makes this node a replica of host:port (s.masterMu is
// held), unless the server is closing.
func (s *Server) startUpstream(host string, port int) {
	if s.closing.Load() {
		return
	}
	u := &masterLink{host: host, port: port, stop: make(chan struct{}), done: make(chan struct{})}
	u.offset.Store(-1)
	v := host + " " + strconv.Itoa(port) // CONFIG GET replicaof's form
	s.settings.replicaOf.Store(&v)
	s.master.Store(u)
	go s.runUpstream(u)
}

// stopUpstream ends replication, if any, and waits for its link to stop
// applying; it reports whether there was one. REPLICAOF holds s.masterMu;
// Close calls it once closing is set, so no link starts after it.
func (s *Server) stopUpstream() bool {
	u := s.master.Swap(nil)
	if u == nil {
		return false
	}
	s.endUpstream(u)
	return true
}

// stopUpstreamIf stops replication when u is still the node's upstream.
func (s *Server) stopUpstreamIf(u *masterLink) {
	if s.master.CompareAndSwap(u, nil) {
		s.endUpstream(u)
	}
}

// endUpstream stops u, no longer the node's upstream, and waits for it.
func (s *Server) endUpstream(u *masterLink) {
	empty := ""
	s.settings.replicaOf.Store(&empty)
	close(u.stop)
	u.closeConn()
	<-u.done
}

// stopped reports whether u was told to stop.
func (u *masterLink) stopped() bool {
	select {
	case <-u.stop:
		return true
	default:
		return false
	}
}

// setConn makes nc the link's connection, or closes it when u stopped.
func (u *masterLink) setConn(nc net.Conn) bool {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.stopped() {
		nc.Close()
		return false
	}
	u.nc = nc
	return true
}

// closeConn closes the link's connection, if any.
func (u *masterLink) closeConn() {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.nc != nil {
		u.nc.Close()
		u.nc = nil
	}
}

// write sends b to the master (the stream's reader and the acknowledger
// both write).
func (u *masterLink) write(b []byte) error {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.nc == nil {
		return net.ErrClosed
	}
	_, err := u.nc.Write(b) // within repl-timeout (timeoutConn)
	return err
}

// readonlyReplica reports whether this node is a replica that refuses
// writes (replica-read-only yes).
func (s *Server) readonlyReplica() bool {
	return s.master.Load() != nil && *s.settings.kept["replica-read-only"].Load() == "yes"
}

// evictionHolder is the node's switch for eviction (cluster.Node).
type evictionHolder interface{ HoldEviction(held func() bool) }

// replicaIgnoresMaxMemory reports whether this node is a replica that
// leaves eviction to its master (replica-ignore-maxmemory yes, the
// default): it then neither evicts nor answers OOM, as a Redis replica.
func (s *Server) replicaIgnoresMaxMemory() bool {
	return s.master.Load() != nil && *s.settings.kept["replica-ignore-maxmemory"].Load() == "yes"
}

// writeRefusal is the error a write gets before it runs, "" for none: a
// read-only replica's READONLY, or a master's NOREPLICAS (min_replicas.go).
func (s *Server) writeRefusal() string {
	if s.readonlyReplica() {
		return errReadonlyReplica
	}
	return s.lackingReplicas()
}

// replicaWritable answers READONLY to a write (or an EXEC of a
// transaction holding one, which then aborts, or a script that declares
// writes) on a read-only replica, and returns false; true when the call
// may go on. Redis checks it after min-replicas, which never applies to a
// replica.
func (s *Server) replicaWritable(c *client, b *batch, cl *call) bool {
	if !cl.ok || !s.readonlyReplica() || !s.writesIn(c, cl) {
		return true
	}
	s.rejectCall(c, b, cl, errReadonlyReplica)
	return false
}

// role is ROLE's reply on a replica: the master, the link's state and
// the offset applied (-1 before the first synchronization).
func (u *masterLink) role(out *protocol.Writer) {
	out.Array(5)
	out.BulkString("slave")
	out.BulkString(u.host)
	out.Int(int64(u.port))
	out.BulkString(linkStateNames[u.state.Load()])
	out.Int(u.offset.Load())
}

// infoMasterLink is INFO replication on a replica, in Redis's order.
func (s *Server) infoMasterLink(b []byte, u *masterLink) []byte {
	now := time.Now().Unix()
	up := linkState(u.state.Load()) == linkConnected
	offset := max(u.offset.Load(), 0)
	b = infoLine(b, "role", "slave")
	b = infoLine(b, "master_host", u.host)
	b = infoInt(b, "master_port", int64(u.port))
	b = infoLine(b, "master_link_status", ifElse(up, "up", "down"))
	lastIO := int64(-1)
	if at := u.lastIO.Load(); at > 0 {
		lastIO = now - at
	}
	b = infoInt(b, "master_last_io_seconds_ago", lastIO)
	b = infoLine(b, "master_sync_in_progress", ifElse(linkState(u.state.Load()) == linkSync, "1", "0"))
	b = infoInt(b, "slave_read_repl_offset", offset)
	b = infoInt(b, "slave_repl_offset", offset)
	if !up {
		down := int64(-1)
		if at := u.downSince.Load(); at > 0 {
			down = now - at
		}
		b = infoInt(b, "master_link_down_since_seconds", down)
	}
	b = infoLine(b, "slave_priority", *s.settings.kept["replica-priority"].Load())
	b = infoLine(b, "slave_read_only", ifElse(s.readonlyReplica(), "1", "0"))
	b = infoLine(b, "replica_announced", ifElse(*s.settings.kept["replica-announced"].Load() == "yes", "1", "0"))
	b = s.infoReplicaLines(b, 0)
	b = infoLine(b, "master_failover_state", s.failovers.current())
	return infoInt(b, "master_repl_offset", offset)
}
