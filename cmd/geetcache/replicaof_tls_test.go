package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/geetcache/geetcache/tlsconf/tlstest"
)

// TestReplicaOfTLSMaster: with tls-replication yes, a node replicates a
// Redis 7.0 master through its TLS port, presenting its own certificate
// (the master requires one from its CA) and checking the master's; a
// master whose certificate another CA signed is never trusted (the link
// stays down and the node keeps its data); CONFIG SET tls-replication
// changes the next connection.
func TestReplicaOfTLSMaster(t *testing.T) {
	dir := t.TempDir()
	f := tlstest.Write(t, dir)
	masterCert, masterKey := f.CAObj.WritePair(t, dir, "master", "127.0.0.1")
	tlsPort := strconv.Itoa(freePorts(t, 1)[0])
	master := startRedisServer(t, "--tls-port", tlsPort, "--tls-cert-file", masterCert, "--tls-key-file", masterKey,
		"--tls-ca-cert-file", f.CA)
	m := dialDiffSide(t, "master", master)
	mustReply(t, m, "+OK\r\n", "SET", "k", "v")

	// No tls-port: the material serves the link to the master alone.
	n := startNode(t, "--tls-cert-file", f.Cert, "--tls-key-file", f.Key, "--tls-ca-cert-file", f.CA, "--tls-replication", "yes")
	g := dialDiffSide(t, "geetcache", n.addr())
	mustReply(t, g, "*2\r\n$15\r\ntls-replication\r\n$3\r\nyes\r\n", "CONFIG", "GET", "tls-replication")
	mustReply(t, g, "+OK\r\n", "REPLICAOF", "127.0.0.1", tlsPort)
	waitReplicaUp(t, n.addr())
	runAll(t, m, [][]string{{"SET", "after", "sync"}, {"HSET", "h", "f", "v"}})
	mustReply(t, m, ":1\r\n", "WAIT", "1", "10000") // the master counts the node over TLS
	requireSameReads(t, master, n.addr(), [][]string{{"GET", "k"}, {"GET", "after"}, {"HGETALL", "h"}, {"DBSIZE"}})

	// Plain TCP to the TLS port: the handshake fails and the link stays down.
	mustReply(t, g, "+OK\r\n", "CONFIG", "SET", "tls-replication", "no")
	mustReply(t, m, ":1\r\n", "CLIENT", "KILL", "TYPE", "replica")
	requireLinkDown(t, n.addr(), 3*time.Second)
	mustReply(t, g, "+OK\r\n", "CONFIG", "SET", "tls-replication", "yes")
	waitReplicaUp(t, n.addr())
	mustReply(t, g, "+OK\r\n", "REPLICAOF", "NO", "ONE")

	// A master of another CA: never trusted.
	rogueTLS := strconv.Itoa(freePorts(t, 1)[0])
	rogue := startRedisServer(t, "--tls-port", rogueTLS, "--tls-cert-file", f.RogueCert, "--tls-key-file", f.RogueKey,
		"--tls-ca-cert-file", f.CA, "--tls-auth-clients", "no")
	mustReply(t, dialDiffSide(t, "rogue", rogue), "+OK\r\n", "FLUSHALL")
	mustReply(t, g, "+OK\r\n", "REPLICAOF", "127.0.0.1", rogueTLS)
	requireLinkDown(t, n.addr(), 3*time.Second)
	mustReply(t, g, "$1\r\nv\r\n", "GET", "k") // nothing of the rogue master's (empty) data replaced it
	if !n.logged("certificate signed by unknown authority") {
		t.Error("the node's log does not say why the rogue master was refused")
	}
}

// TestTLSReplicationNeedsTLS: without the node's TLS material,
// tls-replication yes is refused as Redis refuses it.
func TestTLSReplicationNeedsTLS(t *testing.T) {
	p := newDiffPair(t, 2, startRedisServer(t), startNode(t).addr())
	p.requireSame(t, "tls-replication without TLS", [][]string{
		{"CONFIG", "SET", "tls-replication", "yes"}, {"CONFIG", "GET", "tls-replication"},
		{"CONFIG", "SET", "tls-replication", "maybe"}, {"CONFIG", "SET", "tls-replication", "no"},
	})
}

// requireLinkDown waits until INFO replication at addr says the link is
// down, then requires it to say so throughout d.
func requireLinkDown(t *testing.T, addr string, d time.Duration) {
	t.Helper()
	waitFor(t, 20*time.Second, func() error {
		if info := infoText(t, addr, "replication"); !strings.Contains(info, "master_link_status:down") {
			return fmt.Errorf("the link is up: %s", info)
		}
		return nil
	})
	for end := time.Now().Add(d); time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
		if info := infoText(t, addr, "replication"); !strings.Contains(info, "master_link_status:down") {
			t.Fatalf("the link is up: %s", info)
		}
	}
}

// TestTLSReplicationConfig: tls-replication yes on the command line (or in
// a configuration file) needs the node's certificate and a CA, as Redis
// will not start without them; the files are read later, at start.
func TestTLSReplicationConfig(t *testing.T) {
	cert := []string{"--tls-cert-file", "n1.crt", "--tls-key-file", "n1.key"}
	ca := []string{"--tls-ca-cert-file", "ca.crt"}
	for _, tc := range []struct {
		name string
		args []string
		want string // error text; "" for none
	}{
		{"yes", append(append(cert, ca...), "--tls-replication", "yes"), ""},
		{"no", []string{"--tls-replication", "no"}, ""},
		{"yes, then no", []string{"--tls-replication", "yes", "--tls-replication", "no"}, ""},
		{"yes without a certificate", append(ca, "--tls-replication", "yes"), "-tls-cert-file, -tls-key-file and -tls-ca-cert-file"},
		{"yes without a CA", append(cert, "--tls-auth-clients", "no", "--tls-replication", "yes"), "-tls-ca-cert-file"},
		{"bad value", []string{"--tls-replication", "maybe"}, "argument must be 'yes' or 'no'"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseConfig(tc.args, func(string) string { return "" }, io.Discard)
			switch {
			case tc.want == "" && err != nil:
				t.Fatal(err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("err = %v, want one containing %q", err, tc.want)
			}
		})
	}
}
