package cluster

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"time"

	"github.com/hashicorp/raft"

	"github.com/geetcache/geetcache/acl"
	"github.com/geetcache/geetcache/protocol"
	"github.com/geetcache/geetcache/scripting"
)

// Config says how to open a node.
type Config struct {
	// NodeID names this node in the Raft configuration.
	NodeID string
	// RaftAddr is the host:port the Raft transport listens on and
	// advertises; the host must be an address other nodes can dial.
	RaftAddr string
	// Peers, when not empty, is the whole initial configuration (this node
	// included); when empty the node bootstraps a single-voter cluster of
	// itself.
	Peers []Peer
	// Bootstrap allows forming a new cluster (Peers, or this node alone)
	// when Dir holds no Raft state. Without it such a node waits to be
	// added by an existing cluster's leader.
	Bootstrap bool
	// ClientAddr is the host:port clients reach this node at; the leader
	// records it in the replicated state so every node can name it.
	ClientAddr string
	// Dir holds the Raft log, stable store and snapshots.
	Dir string
	// RaftLog selects the Raft log and stable store: RaftLogWAL (Dir/wal/)
	// or RaftLogBolt (Dir/raft.db). With RaftLogWAL a bolt log found in
	// Dir is migrated into a new wal store on start; with RaftLogBolt a
	// directory holding a wal store is refused.
	RaftLog string
	// Scripting is the replicated scripting state (script cache, function
	// libraries) the state machine keeps in its snapshots: the one the
	// scripting engine registered in the command table reads and writes.
	// Nil gives the state machine a state of its own.
	Scripting *scripting.State
	// Databases is how many databases (SELECT's indexes) the node has;
	// 0 means datatypes.DefaultDatabases. Every node of a cluster must be
	// configured alike, as Redis's replicas must.
	Databases int
	// Users is the replicated ACL user table; nil: the default user alone.
	Users *acl.Users
	// ScriptACL checks a script's call inside the state machine against
	// the user a unit names (Unit.User): "" when allowed, else the error
	// the call answers (server.ScriptCallCheck). Nil: units' users are not
	// checked (tests without ACL).
	ScriptACL ScriptACLFunc
	// PeerTLS, when set, makes the Raft transport mutual TLS: the node
	// listens requiring a certificate of the cluster from every caller and
	// dials the other members presenting its own. Nil: plain TCP.
	PeerTLS *PeerTLS
	// DialClient connects to another member's client port, for the RAFT
	// admin commands this node sends there (RAFT ADVERTISE); nil: plain TCP.
	DialClient DialFunc
	// Password, if not empty, is sent with AUTH before the RAFT admin
	// commands this node sends to another member's client port (RAFT
	// ADVERTISE; Join takes its own): the default user's password
	// (--requirepass).
	Password string
	// Publisher delivers PUBLISH and SPUBLISH messages to this node's
	// subscribers as their entries are applied (pubsub.Broker); nil: none
	// are delivered.
	Publisher protocol.Publisher
	// OnMaxMemory, when set, is told the applied maxmemory (bytes, 0 for
	// none) whenever it changes, from inside the state machine: it must be
	// quick (cmd/geetcache sizes the Go runtime's memory limit by it).
	OnMaxMemory func(bytes int64)
	// InitialSettings are replicated settings (name, canonical value) this
	// node proposes whenever it leads and the cluster never set them
	// (--maxmemory, --maxmemory-policy): CONFIG SET, or an earlier leader's
	// proposal, wins.
	InitialSettings [][2]string
	// Tracker hears of the keys each live entry changes (client-side
	// caching, pubsub.Tracking); nil: nobody does.
	Tracker Tracker
	// ApplyTimeout bounds how long a proposal waits to enter the log.
	ApplyTimeout time.Duration
	// SnapshotThreshold, SnapshotInterval and TrailingLogs are passed to
	// raft: a snapshot is taken when SnapshotThreshold entries are in the
	// log, checked every SnapshotInterval, keeping TrailingLogs entries.
	SnapshotThreshold uint64
	SnapshotInterval  time.Duration
	TrailingLogs      uint64
	// SnapshotThresholdBytes also triggers a snapshot: once this many bytes
	// of entries, or the newest snapshot's size if larger, were stored in
	// the log since the last one. TrailingBytes
	// bounds, in bytes, the newest entries kept after a snapshot (at most
	// TrailingLogs of them). See docs/architecture.md, "Raft limits in
	// bytes".
	SnapshotThresholdBytes uint64
	TrailingBytes          uint64
	// ExpiryInterval is how often the leader looks for expired keys.
	ExpiryInterval time.Duration
	// TestClockOffset skews this node's clock, for tests of clock skew
	// only (cmd/geetcache sets it from GEETCACHE_TEST_CLOCK_OFFSET). It
	// moves the time this node stamps on entries and judges reads by; the
	// state machine never reads it (entries carry their time).
	TestClockOffset time.Duration
	// Logger receives the node's logs. RaftLogger receives the Raft
	// library's (hashicorp/raft's hclog lines, in slog; Logger when nil),
	// at RaftLogLevel (hclog's level names).
	Logger       *slog.Logger
	RaftLogger   *slog.Logger
	RaftLogLevel string

	// wrapLog, in this package's tests, wraps the log store on disk (to
	// hold or fail its writes).
	wrapLog func(raft.LogStore) raft.LogStore
}

// DefaultConfig returns the single-node defaults.
func DefaultConfig() Config {
	return Config{
		NodeID:                 "node1",
		RaftAddr:               "127.0.0.1:16379",
		Dir:                    "data",
		RaftLog:                RaftLogWAL,
		Bootstrap:              true,
		ApplyTimeout:           5 * time.Second,
		SnapshotThreshold:      8192,
		SnapshotInterval:       30 * time.Second,
		TrailingLogs:           10240,
		SnapshotThresholdBytes: 64 << 20,
		TrailingBytes:          64 << 20,
		ExpiryInterval:         100 * time.Millisecond,
		Logger:                 slog.New(slog.DiscardHandler),
		RaftLogLevel:           "warn",
	}
}

// Validate checks every field and names the first bad one.
func (c *Config) Validate() error {
	if c.NodeID == "" {
		return errors.New("node-id must not be empty")
	}
	if c.Dir == "" {
		return errors.New("dir must not be empty")
	}
	if c.RaftLog != RaftLogWAL && c.RaftLog != RaftLogBolt {
		return fmt.Errorf("raft-log must be %s or %s, got %q", RaftLogWAL, RaftLogBolt, c.RaftLog)
	}
	host, port, err := net.SplitHostPort(c.RaftAddr)
	if err != nil || port == "" {
		return fmt.Errorf("raft-addr must be host:port, got %q", c.RaftAddr)
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		return fmt.Errorf("raft-addr must name an address other nodes can dial, not %q", c.RaftAddr)
	}
	if err := c.validatePeers(); err != nil {
		return err
	}
	if c.PeerTLS != nil {
		if err := c.PeerTLS.check(); err != nil {
			return err
		}
	}
	if c.ApplyTimeout <= 0 || c.SnapshotInterval <= 0 || c.ExpiryInterval <= 0 {
		return errors.New("timeouts and intervals must be positive")
	}
	if c.SnapshotThreshold == 0 || c.SnapshotThresholdBytes == 0 {
		return errors.New("snapshot thresholds must be positive")
	}
	return nil
}

// Peer is one member of the initial configuration.
type Peer struct {
	ID       string
	RaftAddr string
}

// validatePeers checks that the peers are distinct and include this node
// with its own raft address.
func (c *Config) validatePeers() error {
	if len(c.Peers) == 0 {
		return nil
	}
	seen := map[string]bool{}
	self := false
	for _, p := range c.Peers {
		if seen[p.ID] {
			return fmt.Errorf("peers name node %q twice", p.ID)
		}
		seen[p.ID] = true
		if p.ID == c.NodeID {
			if p.RaftAddr != c.RaftAddr {
				return fmt.Errorf("peers give node %q raft address %s, but its raft-addr is %s", p.ID, p.RaftAddr, c.RaftAddr)
			}
			self = true
		}
	}
	if !self {
		return fmt.Errorf("peers do not include this node %q", c.NodeID)
	}
	return nil
}
