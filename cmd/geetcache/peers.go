package main

import (
	"fmt"
	"net"
	"strconv"
	"strings"

	"github.com/geetcache/geetcache/cluster"
)

// optBool is a boolean flag that remembers whether it was given.
type optBool struct {
	set, value bool
}

func (b *optBool) String() string {
	if b == nil || !b.set {
		return ""
	}
	return strconv.FormatBool(b.value)
}

func (b *optBool) Set(s string) error {
	v, err := strconv.ParseBool(s)
	if err != nil {
		return fmt.Errorf("must be true or false")
	}
	b.set, b.value = true, v
	return nil
}

func (b *optBool) IsBoolFlag() bool { return true }

// or returns the value given, or def when none was.
func (b *optBool) or(def bool) bool {
	if b.set {
		return b.value
	}
	return def
}

// validatePeers parses -peers and settles -advertise.
func (c *config) validatePeers() error {
	if c.peersFlag == "" {
		return c.validateAdvertise()
	}
	seen := map[string]bool{}
	self := false
	for _, item := range strings.Split(c.peersFlag, ",") {
		p, err := parsePeer(item)
		if err != nil {
			return fmt.Errorf("invalid value %q for -peers: %v", c.peersFlag, err)
		}
		if seen[p.ID] {
			return fmt.Errorf("invalid value %q for -peers: node %q is named twice", c.peersFlag, p.ID)
		}
		seen[p.ID] = true
		if p.ID == c.nodeID {
			if p.RaftAddr != c.raftAddr {
				return fmt.Errorf("invalid value %q for -peers: it gives this node %q raft address %s, but -raft-addr is %s", c.peersFlag, p.ID, p.RaftAddr, c.raftAddr)
			}
			self = true
		}
		c.peers = append(c.peers, p)
	}
	if !self {
		return fmt.Errorf("invalid value %q for -peers: it must include this node, -node-id %q, as %s=%s", c.peersFlag, c.nodeID, c.nodeID, c.raftAddr)
	}
	return c.validateAdvertise()
}

// parsePeer parses one "id=host:port".
func parsePeer(item string) (cluster.Peer, error) {
	id, addr, ok := strings.Cut(strings.TrimSpace(item), "=")
	if !ok || id == "" {
		return cluster.Peer{}, fmt.Errorf("%q is not id=host:port", item)
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil || host == "" || port == "" {
		return cluster.Peer{}, fmt.Errorf("%q: raft address must be host:port", item)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return cluster.Peer{}, fmt.Errorf("%q: port must be from 1 to 65535", item)
	}
	return cluster.Peer{ID: id, RaftAddr: addr}, nil
}

// validateAdvertise checks -advertise or derives it from -bind and -port.
// A cluster member (-peers or -join) must have one; a single node gets one
// when its binds allow (so that nodes which later --join it learn where
// its clients connect, and can forward to it), and goes without otherwise.
func (c *config) validateAdvertise() error {
	if c.advertise != "" {
		host, port, err := net.SplitHostPort(c.advertise)
		if n, perr := strconv.Atoi(port); err != nil || host == "" || perr != nil || n < 1 || n > 65535 {
			return fmt.Errorf("invalid value %q for -advertise: must be host:port with a port from 1 to 65535", c.advertise)
		}
		return nil
	}
	single := c.peersFlag == "" && c.join == ""
	port := c.clientPort()
	if single && port == 0 {
		return nil
	}
	if port == 0 {
		return fmt.Errorf("invalid value 0 for -port: -advertise must be given with -peers or -join when the port is picked at random")
	}
	for _, b := range c.binds() {
		if ip := net.ParseIP(strings.TrimPrefix(b, "-")); ip != nil && !ip.IsUnspecified() {
			c.advertise = net.JoinHostPort(ip.String(), strconv.Itoa(port))
			return nil
		}
	}
	if single {
		return nil
	}
	return fmt.Errorf("invalid value %q for -bind: every address is a wildcard, so -advertise must be given with -peers or -join", c.bind)
}
