// Package server is geetcache's RESP front end: it accepts connections,
// keeps per-connection state, and routes each command: writes become log
// entries, reads run on the local state after the read barrier, and
// connection and server commands run here.
package server

import (
	"crypto/tls"
	"errors"
	"fmt"
	"github.com/geetcache/geetcache/acl"
	"log/slog"
	"net"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/geetcache/geetcache/cluster"
	"github.com/geetcache/geetcache/datatypes"
	"github.com/geetcache/geetcache/protocol"
	"github.com/geetcache/geetcache/pubsub"
	"github.com/geetcache/geetcache/scripting"
	"github.com/geetcache/geetcache/tlsconf"
)

// Config says where to listen and what to allow.
type Config struct {
	Binds  []string // addresses; one starting with '-' may fail to bind
	Port   int
	Limits Limits
	Logger *slog.Logger
	// Dir is reported by CONFIG GET dir.
	Dir string
	// Databases is how many databases SELECT may choose from (Redis's
	// `databases`); 0 means datatypes.DefaultDatabases. It must match the
	// node's (cluster.Config.Databases).
	Databases int
	// ElectionWait is how long a command waits for a leader to be known
	// before it fails with CLUSTERDOWN.
	ElectionWait time.Duration
	// DialPeer connects to another member's client port for the links
	// between nodes (forwarding, read index, access reports): TLS with
	// this node's certificate under --tls-cluster; nil: plain TCP.
	DialPeer cluster.DialFunc
	// PeerCheck, when set (--tls-cluster), says whether a TLS connection's
	// peer presented a certificate of the cluster: only such connections
	// may run the commands nodes send each other (member_link.go). Nil:
	// any connection may.
	PeerCheck func(tls.ConnectionState) error
	// FollowerReads is how a follower serves a linearizable read.
	FollowerReads FollowerReads
	// Timeout closes a client idle that long (Redis's timeout, whole
	// seconds); zero never does. CONFIG SET timeout changes it.
	Timeout time.Duration
	// Commands are more rows for the table, beside the data and server
	// commands: the scripting commands (EVAL, SCRIPT...), the same rows
	// the state machine's table holds.
	Commands []*protocol.Command
	// Functions counts the function libraries (DEBUG RELOAD NOFLUSH); nil
	// when there are none.
	Functions FunctionCounter
	// Scripts tells INFO about the script cache and probe.go about known
	// writers; nil: no scripting (DEBUG SET-DISABLE-DENY-SCRIPTS unknown).
	Scripts ScriptSwitches
	// Running knows the scripts running on this node (BUSY, SCRIPT KILL);
	// the scripting engine reports runs to it. Nil: the server makes one.
	Running *scripting.Monitor
	// Broker holds this node's subscriptions; the state machine delivers
	// published messages to it. Nil: the server makes one (and nothing
	// publishes to it).
	Broker *pubsub.Broker
	// Tracking is this node's client-side caching table, which the state
	// machine tells of changed keys (cluster.Config.Tracker); nil: a table
	// of its own that nothing invalidates (tests without a node).
	Tracking *pubsub.Tracking
	// ACL serves the ACL command and holds the replicated users and this
	// node's ACL LOG. Nil: no checks at all (every client is the default
	// user with every permission).
	ACL *acl.Service
	// RequirePass (--requirepass) is a password the default user needs on
	// this node while it has none; the leader started with it gives it
	// to the default user through the log (requirepass.go).
	RequirePass string
	// MasterName is the master name the Sentinel commands answer for
	// (DefaultMasterName when empty).
	MasterName string
	// DownAfter is how long a follower goes without hearing from the
	// leader before it starts an election (cluster.HeartbeatTimeout when
	// zero): Sentinel's down-after-milliseconds.
	DownAfter time.Duration
	// Stopper stops the process on SHUTDOWN; nil: SHUTDOWN fails.
	Stopper Stopper
	// ShutdownTimeout bounds a leader's hand-over when it stops (Redis's
	// shutdown-timeout: CONFIG SET shutdown-timeout changes it).
	ShutdownTimeout time.Duration
	// TLSPort, when not zero, is a port that speaks TLS with TLS's
	// material, on the same addresses as Port. Port 0 with a TLSPort means
	// TLS only, as in Redis (port 0 alone picks a free plain port).
	TLSPort int
	TLS     *tlsconf.Store
	// NoProtectedMode turns Redis's protected mode off (protected.go).
	NoProtectedMode bool
	// LogLevel is the process's log level, which CONFIG SET loglevel
	// changes (nil: notice, fixed).
	LogLevel *LogLevel
	// Supervisor is who was told the node is ready (systemd, upstart), ""
	// for none: INFO's process_supervised.
	Supervisor string
	// StartSettings are parameters fixed at start that CONFIG GET shows
	// (logfile, pidfile, supervised, enable-debug-command: the last one
	// decides whether DEBUG runs, protected_commands.go).
	StartSettings map[string]string
	// ConfigFile is the configuration file the node was started with
	// (an absolute path), which CONFIG REWRITE rewrites; "": none.
	ConfigFile string
}

// Server serves RESP clients.
type Server struct {
	// monitors are the connections that sent MONITOR (monitor.go).
	monitors monitors
	// master is the link to the Redis master this node replicates
	// (REPLICAOF, replicaof.go), nil when none.
	master   atomic.Pointer[masterLink]
	masterMu sync.Mutex // serializes REPLICAOF's stops and starts
	// repl and replicator serve SYNC/PSYNC replicas (replication.go).
	repl       replication
	replicator Replicator
	cfg        Config
	table      *protocol.Table
	log        *slog.Logger
	started    time.Time

	// The node, seen through the narrow interfaces of backend.go.
	proposer Proposer
	router   Router
	linear   Linearizer
	view     StateView
	admin    Admin
	evict    Evictor

	mu        sync.Mutex
	listeners []net.Listener
	plain     []net.Listener // those of the plain port (config_port.go)
	clients   map[int64]*client
	closed    bool
	wg        sync.WaitGroup

	nextID       atomic.Int64
	stats        stats
	cmdStats     *cmdStats  // INFO commandstats (cmdstats.go)
	errors       errorStats // INFO errorstats, total_error_replies
	settings     *settings
	metrics      metricsState                  // INFO's instantaneous rates and memory peak
	saves        saveState                     // SAVE, BGSAVE, LASTSAVE
	blocker      *blocker                      // connections blocked on keys
	scripts      *scripting.Monitor            // scripts running here: BUSY, SCRIPT KILL
	broker       *pubsub.Broker                // this node's subscriptions
	tracking     *pubsub.Tracking              // this node's CLIENT TRACKING table (tracking.go)
	indexer      readIndexer                   // a follower's shared RAFT READINDEX requests
	accesses     accessReports                 // a follower's reads, for the leader (access.go)
	lazyAsks     lazyAsks                      // a follower's lazy expiry requests (lazy_expiry_follower.go)
	replicaAsks  leaderAsks                    // a follower's RAFT REPLICAS requests (min_replicas_follower.go)
	evictAsks    leaderAsks                    // a follower's RAFT MAKEROOM requests (evict_first.go)
	failoverAsks leaderAsks                    // a follower's RAFT FAILOVER requests (cluster_failover.go)
	accessFn     func(*datatypes.Entry, int64) // s.access bound once; nil without a node
	closing      atomic.Bool
	closeAt      atomic.Int64  // unix ns when Close's grace for unread replies ends
	links        leaderLinks   // connections' links to the leader, cut by Close (leader_links.go)
	stopIdle     chan struct{} // closed by Close: ends idleLoop
	leaders      leaderTrack   // the last leader known (discovery.go)
	pause        clientPause   // CLIENT PAUSE (pause.go)
	failovers    failoverState // FAILOVER (failover.go)
	// keyStats holds the lookups of connections no longer listed, and the
	// counts at the last CONFIG RESETSTAT (keystats.go). Under mu.
	keyStats keyStatsState
}

type stats struct {
	connections atomic.Int64
	commands    atomic.Int64
	netIn       atomic.Int64
	netOut      atomic.Int64
	// rejectedConns counts connections refused for maxclients.
	rejectedConns atomic.Int64
	// evictedBase is the node's eviction count at the last CONFIG
	// RESETSTAT (evicted_keys counts from there).
	evictedBase atomic.Int64
	// expiredBase is the node's count of expired keys removed at the last
	// CONFIG RESETSTAT (expired_keys counts from there).
	expiredBase atomic.Int64
}

// New returns a server over backend; Listen starts it.
func New(cfg Config, backend Backend) *Server {
	s := &Server{
		cfg: cfg, log: cfg.Logger, started: time.Now(),
		clients: map[int64]*client{}, settings: newSettings(cfg), blocker: newBlocker(),
	}
	s.indexer.s = s
	s.repl.id = newReplID()
	s.lazyAsks.ch = make(chan lazyAsk, lazyAskQueue)
	if s.cfg.DownAfter == 0 {
		s.cfg.DownAfter = cluster.HeartbeatTimeout
	}
	if s.broker = cfg.Broker; s.broker == nil {
		s.broker = pubsub.NewBroker()
	}
	if s.tracking = cfg.Tracking; s.tracking == nil {
		s.tracking = pubsub.NewTracking()
	}
	s.settings.tracking = s.tracking
	s.scripts = s.settings.scripts
	s.scripts.SetKillForward(s.forwardKill)
	if backend != nil {
		s.proposer, s.router, s.linear, s.view, s.admin, s.evict = backend, backend, backend, backend, backend, backend
		s.replicator = backend
		s.accessFn = s.access
		if h, ok := backend.(expiryHolder); ok {
			s.pause.hold = h.HoldExpiry
		}
		if h, ok := backend.(evictionHolder); ok {
			h.HoldEviction(s.replicaIgnoresMaxMemory) // replicaof.go
		}
		s.view.Watch(s.blocker)
		s.settings.replicated = backend.Setting
		if h, ok := backend.(latencyHooked); ok {
			h.SetLatencyHook(s.settings.latmon.note)
		}
	}
	s.table = protocol.DataTable()
	for _, c := range s.serverCommands() {
		s.table.Register(c)
	}
	for _, c := range cfg.Commands {
		s.table.Register(c)
	}
	s.cmdStats = newCmdStats(s.table.All())
	if cfg.Scripts != nil {
		cfg.Scripts.UseServerTable(s.table.Lookup) // a script's call of CONFIG, CLIENT... is refused as Redis refuses it
	}
	if cfg.ACL != nil {
		cfg.ACL.SetDryRun(s.dryRun)
	}
	s.settings.defaultNoPass = s.defaultNoPass
	return s
}

// Listen binds every configured address and starts accepting.
func (s *Server) Listen() error {
	s.mu.Lock()
	if s.stopIdle == nil && !s.closed {
		s.stopIdle = make(chan struct{})
		s.wg.Add(1)
		go s.idleLoop(s.stopIdle)
		if s.router != nil {
			s.wg.Add(2)
			go s.watchLeader(s.stopIdle)
			go s.lazyAskLoop(s.stopIdle)
		}
		if s.evict != nil {
			s.wg.Add(1)
			go s.accessReportLoop(s.stopIdle)
		}
		if s.cfg.ACL != nil {
			changes := make(chan struct{}, 1)
			s.cfg.ACL.Users().SetOnChange(func() {
				select {
				case changes <- struct{}{}:
				default:
				}
			})
			s.wg.Add(1)
			go s.watchUsers(changes, s.stopIdle)
		}
		if s.cfg.RequirePass != "" && s.cfg.ACL != nil {
			s.wg.Add(1)
			go s.requirepassLoop(s.stopIdle)
		}
	}
	s.mu.Unlock()
	for _, b := range s.cfg.Binds {
		optional := len(b) > 0 && b[0] == '-'
		if optional {
			b = b[1:]
		}
		for _, l := range s.listenPorts() {
			if err := s.listenOn(b, l.port, l.tls, optional); err != nil {
				s.Close()
				return err
			}
		}
	}
	if err := s.listenUnix(); err != nil { // unixsocket.go
		s.Close()
		return err
	}
	s.startConfiguredUpstream() // replicaof.go
	return nil
}

// listenPort is one port to listen on at every bind address.
type listenPort struct {
	port int
	tls  bool
}

// listenPorts are the plain port (unless TLS only) and the TLS port.
func (s *Server) listenPorts() []listenPort {
	var out []listenPort
	if s.cfg.Port != 0 || s.cfg.TLSPort == 0 || s.cfg.TLS == nil {
		out = append(out, listenPort{port: s.cfg.Port})
	}
	if s.cfg.TLSPort != 0 && s.cfg.TLS != nil {
		out = append(out, listenPort{port: s.cfg.TLSPort, tls: true})
	}
	return out
}

// listenOn binds addr:port and starts accepting there; an optional
// address that cannot be bound is skipped with a warning.
func (s *Server) listenOn(addr string, port int, withTLS, optional bool) error {
	ln, err := listenTCP(net.JoinHostPort(addr, strconv.Itoa(port))) // keepalive.go
	if err != nil {
		if optional {
			s.log.Warn("skipping optional bind address", "addr", addr, "err", err)
			return nil
		}
		return fmt.Errorf("failed to listen on %s port %d: %w", addr, port, err)
	}
	s.serveListener(ln, withTLS)
	return nil
}

// serveListener accepts on ln (a plain listener, wrapped here when
// withTLS) until it is closed.
func (s *Server) serveListener(ln net.Listener, withTLS bool) {
	stampListener(ln)                // before TLS wraps it (arrival.go)
	ka := s.newListenerKeepAlive(ln) // likewise (keepalive.go)
	if withTLS {
		cfg := s.cfg.TLS.ServerConfig()
		if s.cfg.PeerCheck != nil { // tls-cluster: see a node's certificate even with tls-auth-clients no
			cfg = s.cfg.TLS.ServerConfigAsking()
		}
		ln = tls.NewListener(ln, cfg)
	}
	s.log.Info("listening", "addr", ln.Addr().String(), "tls", withTLS)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed { // Close ran meanwhile (a CONFIG SET port racing a stop)
		ln.Close()
		return
	}
	s.listeners = append(s.listeners, ln)
	if !withTLS && ln.Addr().Network() == "tcp" { // the plain port's (config_port.go), not the Unix socket
		s.plain = append(s.plain, ln)
	}
	s.wg.Add(1) // under mu: Close waits only after it set closed
	go s.acceptLoop(ln, ka)
}

func (s *Server) acceptLoop(ln net.Listener, ka *listenerKeepAlive) {
	defer s.wg.Done()
	for {
		nc, err := ln.Accept()
		if err != nil {
			if !errors.Is(err, net.ErrClosed) {
				s.log.Error("accept failed", "err", err)
			}
			return
		}
		ka.follow(s, nc)
		if msg := s.refusal(nc); msg != "" {
			go refuse(nc, msg)
			continue
		}
		c := s.addClient(nc)
		if c == nil {
			nc.Close()
			return
		}
		go s.serve(c)
	}
}

func (s *Server) addClient(nc net.Conn) *client {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	c := newClient(s.nextID.Add(1), nc)
	c.stale = s.staleReplica
	c.dbLimit = s.databases()
	s.startACL(c)
	s.clients[c.id] = c
	s.stats.connections.Add(1)
	s.wg.Add(1)
	return c
}

func (s *Server) removeClient(c *client) {
	s.disableTracking(c)
	s.mu.Lock()
	s.forgetClient(c)
	s.mu.Unlock()
	s.wg.Done()
}

// Close stops accepting, lets every connection finish the commands it has
// read (in-flight writes complete and are answered), then closes them. A
// client that does not read its replies is given shutdownGrace to, and a
// connection still waiting on the leader then has its link cut
// (leader_links.go), so Close returns in bounded time.
func (s *Server) Close() {
	s.masterMu.Lock()
	s.closing.Store(true) // no REPLICAOF starts a link from here on (startUpstream)
	s.stopUpstream()      // before the node stops: the link applies through it
	s.masterMu.Unlock()
	s.mu.Lock()
	if !s.closed && s.stopIdle != nil {
		close(s.stopIdle)
	}
	s.closed = true
	s.closeAt.Store(time.Now().Add(shutdownGrace).UnixNano())
	s.closing.Store(true)
	s.blocker.shutdown()
	s.pause.stop()        // the held commands see the server closing (heldByPause)
	s.scripts.StopReads() // a read-only script never ending would hold the shutdown
	for _, ln := range s.listeners {
		ln.Close()
	}
	for _, c := range s.clients {
		c.nc.SetReadDeadline(time.Now())
	}
	s.mu.Unlock()
	cut := time.AfterFunc(linksCutAfter, s.links.cutAll) // leader_links.go
	defer cut.Stop()
	s.wg.Wait()
}

// clearReadDeadline clears nc's read deadline, unless the server is
// closing: then Close's deadline stays, even when Close set it between a
// caller's check and the clear, so no connection goroutine waits for ever
// on a client that sends nothing more.
func (s *Server) clearReadDeadline(nc net.Conn) {
	nc.SetReadDeadline(time.Time{})
	if s.closing.Load() {
		nc.SetReadDeadline(time.Now())
	}
}
