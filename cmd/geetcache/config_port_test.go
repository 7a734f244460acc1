package main

import (
	"fmt"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestConfigSetPortMatchesRedis: CONFIG SET port on redis-server 7.0.15 and
// a node, step by step: a port in use fails the whole CONFIG SET with
// Redis's error and changes nothing (unit/introspection's "CONFIG SET
// rollback on apply error"); a free port is served at once, the old one is
// closed, and a connection made through it stays.
func TestConfigSetPortMatchesRedis(t *testing.T) {
	for _, side := range redisAndNode(t) {
		busy, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer busy.Close()
		_, busyPort, _ := net.SplitHostPort(busy.Addr().String())
		_, oldPort, _ := net.SplitHostPort(side.addr)
		s := dialDiffSide(t, side.name, side.addr)
		mustReply(t, s, "-ERR CONFIG SET failed (possibly related to argument 'port') - Unable to listen on this port. Check server logs.\r\n",
			"CONFIG", "SET", "maxmemory", "10000001", "port", busyPort, "client-query-buffer-limit", "10mb")
		mustReply(t, s, "*2\r\n$9\r\nmaxmemory\r\n$1\r\n0\r\n", "CONFIG", "GET", "maxmemory")
		mustReply(t, s, "*2\r\n$25\r\nclient-query-buffer-limit\r\n$10\r\n1073741824\r\n", "CONFIG", "GET", "client-query-buffer-limit")
		mustReply(t, s, fmt.Sprintf("*2\r\n$4\r\nport\r\n$%d\r\n%s\r\n", len(oldPort), oldPort), "CONFIG", "GET", "port")
		mustReply(t, s, "-ERR CONFIG SET failed (possibly related to argument 'port') - argument couldn't be parsed into an integer\r\n",
			"CONFIG", "SET", "port", "abc")
		mustReply(t, s, "-ERR CONFIG SET failed (possibly related to argument 'port') - argument must be between 0 and 65535 inclusive\r\n",
			"CONFIG", "SET", "port", "65536")
		mustReply(t, s, "+OK\r\n", "CONFIG", "SET", "port", oldPort) // the same port: nothing to do

		newPort := strconv.Itoa(freePorts(t, 1)[0])
		mustReply(t, s, "+OK\r\n", "CONFIG", "SET", "port", newPort)
		mustReply(t, s, "+PONG\r\n", "PING") // made through the old port
		fresh := dialDiffSide(t, side.name+" new port", "127.0.0.1:"+newPort)
		mustReply(t, fresh, fmt.Sprintf("*2\r\n$4\r\nport\r\n$%d\r\n%s\r\n", len(newPort), newPort), "CONFIG", "GET", "port")
		if c, err := net.DialTimeout("tcp", side.addr, time.Second); err == nil {
			c.Close()
			t.Fatalf("%s: the old port %s still accepts connections", side.name, oldPort)
		}
		mustReply(t, fresh, "+OK\r\n", "CONFIG", "SET", "port", oldPort) // back, for the cleanup
	}
}

// TestConfigSetPortInCluster: a follower and then the leader move to a new
// port: each announces its new client address (RAFT MEMBERS, CLUSTER
// NODES on the other nodes), and writes sent to a follower reach the
// leader at its new port.
func TestConfigSetPortInCluster(t *testing.T) {
	nodes, leader, follower := startClusterWithFollower(t)
	other := others(others(nodes, leader), follower)[0]
	move := func(n *node) {
		port := freePorts(t, 1)[0]
		if err := n.Client(noRetries).Do(ctx, "CONFIG", "SET", "port", strconv.Itoa(port)).Err(); err != nil {
			t.Fatalf("CONFIG SET port on %s: %v", n.addr(), err)
		}
		n.port = port
	}
	announced := func(at, n *node) {
		t.Helper()
		waitFor(t, 10*time.Second, func() error {
			nodesText, err := at.Client(noRetries).Do(ctx, "CLUSTER", "NODES").Text()
			if err != nil {
				return err
			}
			if !strings.Contains(nodesText, n.addr()+"@") {
				return fmt.Errorf("%s's CLUSTER NODES lacks %s:\n%s", at.addr(), n.addr(), nodesText)
			}
			return nil
		})
	}
	move(follower)
	announced(leader, follower)
	announced(other, follower)
	mustSet := func(via *node, key string) {
		t.Helper()
		waitFor(t, 10*time.Second, func() error { return via.Client(noRetries).Set(ctx, key, "1", 0).Err() })
	}
	mustSet(follower, "via-moved-follower")

	move(leader)
	announced(follower, leader)
	announced(other, leader)
	mustSet(other, "to-moved-leader")
	mustSet(follower, "from-moved-follower-to-moved-leader")
	waitSameDigest(t, nodes)
}
