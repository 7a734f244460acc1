package main

import (
	"fmt"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// outsideIP returns a non-loopback IPv4 address of this machine: a client
// connecting to it is not on the loopback interface.
func outsideIP(t *testing.T) string {
	t.Helper()
	addrs, _ := net.InterfaceAddrs()
	for _, a := range addrs {
		if ipn, ok := a.(*net.IPNet); ok && !ipn.IP.IsLoopback() && ipn.IP.To4() != nil {
			return ipn.IP.String()
		}
	}
	t.Skip("no non-loopback IPv4 address on this machine")
	return ""
}

// TestRaftChangesLoopbackOnly: with no password and protected-mode no
// (with it on, such a client is refused at once), RAFT's changes are
// refused (DENIED) from a client that is not on the loopback interface and
// accepted from one that is; RAFT MEMBERS stays open; a node joining from
// its own non-loopback address may still add itself (--join), and every
// change is logged with its caller.
func TestRaftChangesLoopbackOnly(t *testing.T) {
	ip := outsideIP(t)
	ports := freePorts(t, 2)
	n1 := &node{t: t, port: ports[0], raftPort: ports[1], dir: t.TempDir()}
	n1.args = []string{"--port", strconv.Itoa(n1.port), "--bind", "127.0.0.1," + ip, "--dir", n1.dir,
		"--node-id", "n1", "--raft-addr", "127.0.0.1:" + strconv.Itoa(n1.raftPort),
		"--peers", "n1=127.0.0.1:" + strconv.Itoa(n1.raftPort), "--bootstrap", "--advertise", ip + ":" + strconv.Itoa(n1.port),
		"--protected-mode", "no"} // protected mode would refuse the outside client before any command (TestProtectedMode)
	n1.launch()
	outside := redis.NewClient(&redis.Options{Addr: ip + ":" + strconv.Itoa(n1.port), MaxRetries: -1})
	defer outside.Close()
	for _, cmd := range [][]any{
		{"RAFT", "ADDVOTER", "evil", "127.0.0.1:1"}, {"RAFT", "REMOVE", "n1"},
		{"RAFT", "TRANSFER"}, {"RAFT", "SNAPSHOT"}, {"RAFT", "ADVERTISE", "n1", "10.9.9.9:6379"},
	} {
		err := outside.Do(ctx, cmd...).Err()
		if err == nil || !strings.HasPrefix(err.Error(), "DENIED RAFT membership, leadership and snapshot commands are accepted only from the loopback interface") {
			t.Errorf("%v from %s: %v, want DENIED", cmd, ip, err)
		}
	}
	if err := outside.Do(ctx, "RAFT", "MEMBERS").Err(); err != nil {
		t.Errorf("RAFT MEMBERS from %s: %v", ip, err)
	}
	if err := n1.Client(noRetries).Do(ctx, "RAFT", "SNAPSHOT").Err(); err != nil {
		t.Errorf("RAFT SNAPSHOT from 127.0.0.1: %v", err)
	}
	waitFor(t, 5*time.Second, func() error {
		if !n1.logged("refused a RAFT change from a non-loopback client") || !n1.logged("msg=\"RAFT change\"") {
			return fmt.Errorf("the refusals and changes were not logged")
		}
		return nil
	})

	ports = freePorts(t, 2)
	n2 := &node{t: t, port: ports[0], raftPort: ports[1], dir: t.TempDir()}
	n2.args = []string{"--port", strconv.Itoa(n2.port), "--bind", "127.0.0.1," + ip, "--dir", n2.dir,
		"--node-id", "n2", "--raft-addr", ip + ":" + strconv.Itoa(n2.raftPort), "--join", ip + ":" + strconv.Itoa(n1.port),
		"--protected-mode", "no"}
	n2.launch()
	waitMembers(t, n1, 2)                     // n2 added itself from its own, non-loopback, address
	waitFor(t, 10*time.Second, func() error { // and recorded its client address from there too
		_, ms, err := raftInfo(n1)
		if err != nil || len(ms) != 2 || ms[1].clientAddr == "" {
			return fmt.Errorf("members %+v, %v", ms, err)
		}
		return nil
	})
}

// TestRaftChangesWithPassword: once the default user has a password, a
// client on another interface that authenticated may run RAFT's changes,
// as ACL allows: a user without @admin gets NOPERM for RAFT REMOVE and
// the membership is unchanged; the default user may take a snapshot.
func TestRaftChangesWithPassword(t *testing.T) {
	ip := outsideIP(t)
	ports := freePorts(t, 2)
	n1 := &node{t: t, port: ports[0], raftPort: ports[1], dir: t.TempDir()}
	n1.args = []string{"--port", strconv.Itoa(n1.port), "--bind", "127.0.0.1," + ip, "--dir", n1.dir,
		"--node-id", "n1", "--raft-addr", "127.0.0.1:" + strconv.Itoa(n1.raftPort),
		"--peers", "n1=127.0.0.1:" + strconv.Itoa(n1.raftPort), "--bootstrap"}
	n1.launch()
	local := n1.Client(noRetries)
	for _, cmd := range [][]any{{"ACL", "SETUSER", "app", "on", ">pw", "+@all", "-@admin", "~*"}, {"CONFIG", "SET", "requirepass", "adm"}} {
		if err := local.Do(ctx, cmd...).Err(); err != nil {
			t.Fatal(err)
		}
	}
	addr := ip + ":" + strconv.Itoa(n1.port)
	app := redis.NewClient(&redis.Options{Addr: addr, Username: "app", Password: "pw", MaxRetries: -1})
	defer app.Close()
	if err := app.Do(ctx, "RAFT", "REMOVE", "n1").Err(); err == nil || err.Error() != "NOPERM this user has no permissions to run the 'raft|remove' command" {
		t.Fatalf("RAFT REMOVE as a user without @admin: %v", err)
	}
	admin := redis.NewClient(&redis.Options{Addr: addr, Username: "default", Password: "adm", MaxRetries: -1})
	defer admin.Close()
	if err := admin.Do(ctx, "RAFT", "SNAPSHOT").Err(); err != nil {
		t.Fatalf("RAFT SNAPSHOT from %s as default with its password: %v", ip, err)
	}
	if ms, err := admin.Do(ctx, "RAFT", "MEMBERS").Slice(); err != nil || len(ms) != 1 {
		t.Fatalf("RAFT MEMBERS = %v, %v", ms, err)
	}
	if err := local.Do(ctx, "CONFIG", "SET", "requirepass", "").Err(); err != nil { // for the harness's PING
		t.Fatal(err)
	}
}
