package cluster

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"time"
)

// Config says how to open a node.
type Config struct {
	// NodeID names this node in the Raft configuration.
	NodeID string
	// RaftAddr is the host:port the Raft transport listens on and
	// advertises; the host must be an address other nodes can dial.
	RaftAddr string
	// Dir holds the Raft log, stable store and snapshots.
	Dir string
	// ApplyTimeout bounds how long a proposal waits to enter the log.
	ApplyTimeout time.Duration
	// SnapshotThreshold, SnapshotInterval and TrailingLogs are passed to
	// raft: a snapshot is taken when SnapshotThreshold entries are in the
	// log, checked every SnapshotInterval, keeping TrailingLogs entries.
	SnapshotThreshold uint64
	SnapshotInterval  time.Duration
	TrailingLogs      uint64
	// ExpiryInterval is how often the leader looks for expired keys.
	ExpiryInterval time.Duration
	// Logger receives the node's logs; RaftLogLevel and RaftLogOutput
	// configure the Raft library's own logger.
	Logger        *slog.Logger
	RaftLogLevel  string
	RaftLogOutput io.Writer
}

// DefaultConfig returns the single-node defaults.
func DefaultConfig() Config {
	return Config{
		NodeID:            "node1",
		RaftAddr:          "127.0.0.1:16379",
		Dir:               "data",
		ApplyTimeout:      5 * time.Second,
		SnapshotThreshold: 8192,
		SnapshotInterval:  30 * time.Second,
		TrailingLogs:      10240,
		ExpiryInterval:    100 * time.Millisecond,
		Logger:            slog.New(slog.DiscardHandler),
		RaftLogLevel:      "warn",
		RaftLogOutput:     io.Discard,
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
	host, port, err := net.SplitHostPort(c.RaftAddr)
	if err != nil || port == "" {
		return fmt.Errorf("raft-addr must be host:port, got %q", c.RaftAddr)
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		return fmt.Errorf("raft-addr must name an address other nodes can dial, not %q", c.RaftAddr)
	}
	if c.ApplyTimeout <= 0 || c.SnapshotInterval <= 0 || c.ExpiryInterval <= 0 {
		return errors.New("timeouts and intervals must be positive")
	}
	if c.SnapshotThreshold == 0 {
		return errors.New("snapshot threshold must be positive")
	}
	return nil
}
