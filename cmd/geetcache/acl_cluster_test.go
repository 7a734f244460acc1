package main

import (
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// as returns client options logging in as user with pass.
func as(user, pass string) func(*redis.Options) {
	return func(o *redis.Options) { o.Username, o.Password, o.MaxRetries = user, pass, -1 }
}

// TestACLUsersAcrossNodes: a user created through a follower can log in on
// every node (its writes through followers are forwarded over links that
// log in as it); a password given to the default user through a follower
// is required on every node; a user deleted through a follower is refused
// everywhere, and one deleting itself there is closed after the reply;
// the users survive a leader kill, its restart and a restart of all three
// nodes; a user without @admin gets NOPERM for RAFT REMOVE on every node
// and the membership is unchanged; a script's DEL after its first write
// is refused on every node.
func TestACLUsersAcrossNodes(t *testing.T) {
	nodes := startCluster(t)
	leader := waitForLeader(t, nodes, 10*time.Second)
	f := others(nodes, leader)
	waitFor(t, 10*time.Second, func() error {
		return f[0].Client(noRetries).Do(ctx, "ACL", "SETUSER", "app", "on", ">pw", "~app:*", "+get", "+set", "+eval").Err()
	})
	// A script's calls after its first write run only in the state
	// machines; they are checked there against the caller, on every node.
	script := "redis.call('set', KEYS[1], 'w'); return redis.call('del', KEYS[1])"
	for i, n := range nodes {
		err := n.Client(as("app", "pw")).Eval(ctx, script, []string{"app:s"}).Err()
		if err == nil || !strings.HasPrefix(err.Error(), "ERR The user executing the script can't run this command or subcommand") {
			t.Fatalf("node %d: EVAL of a DEL after a SET as app: %v", i, err)
		}
	}
	for i, n := range nodes {
		c := n.Client(as("app", "pw"))
		waitFor(t, 5*time.Second, func() error { return c.Set(ctx, fmt.Sprint("app:", i), "v", 0).Err() })
		if err := c.Set(ctx, "other", "v", 0).Err(); err == nil || !strings.HasPrefix(err.Error(), "NOPERM this user has no permissions to access one of the keys") {
			t.Fatalf("node %d: SET other as app: %v", i, err)
		}
		if err := c.Del(ctx, "app:0").Err(); err == nil || err.Error() != "NOPERM this user has no permissions to run the 'del' command" {
			t.Fatalf("node %d: DEL as app: %v", i, err)
		}
	}
	if err := f[1].Client(noRetries).Do(ctx, "ACL", "SETUSER", "default", ">adm").Err(); err != nil {
		t.Fatal(err)
	}
	for i, n := range nodes {
		waitFor(t, 5*time.Second, func() error {
			// PING runs on the node itself: NOAUTH once it applied the change.
			if err := n.Client(noRetries).Ping(ctx).Err(); err == nil || err.Error() != "NOAUTH Authentication required." {
				return fmt.Errorf("node %d: PING without a password: %v", i, err)
			}
			return nil
		})
		if err := n.Client(as("default", "adm")).Set(ctx, "k", fmt.Sprint(i), 0).Err(); err != nil {
			t.Fatalf("node %d: SET as default: %v", i, err)
		}
	}
	// A user deleting itself through a follower, with a PING in the same
	// write: the follower applies the change before it relays the reply,
	// so the PING is not answered and the connection closes (as Redis).
	if err := f[1].Client(as("default", "adm")).Do(ctx, "ACL", "SETUSER", "gone", "on", ">pw", "+acl", "+ping").Err(); err != nil {
		t.Fatal(err)
	}
	gone := dialDiffSide(t, "follower", f[1].addr())
	mustReply(t, gone, "+OK\r\n", "AUTH", "gone", "pw")
	gone.send([][]string{{"ACL", "DELUSER", "gone"}, {"PING"}})
	requireRepliesThenEOF(t, gone, ":1\r\n")
	if n, err := f[1].Client(as("default", "adm")).Do(ctx, "ACL", "DELUSER", "app").Int(); err != nil || n != 1 {
		t.Fatalf("ACL DELUSER app through a follower = %d, %v", n, err)
	}
	for i, n := range nodes {
		waitFor(t, 5*time.Second, func() error {
			err := n.Client(as("app", "pw")).Ping(ctx).Err()
			if err == nil || !strings.HasPrefix(err.Error(), "WRONGPASS") {
				return fmt.Errorf("node %d: a deleted user logs in: %v", i, err)
			}
			return nil
		})
	}

	// The harness pings without a password: the default user gets its
	// "nopass" back; "keep" (with a selector) must survive a leader kill,
	// its restart and a restart of all three nodes.
	admin := f[0].Client(as("default", "adm"))
	for _, cmd := range [][]any{{"CONFIG", "SET", "acl-pubsub-default", "allchannels"},
		{"ACL", "SETUSER", "keep", "on", ">k", "+@all", "-@admin", "~*", "(+raft|members ~x)"},
		{"CONFIG", "SET", "acl-pubsub-default", "resetchannels"}, {"ACL", "SETUSER", "default", "nopass"}} {
		if err := admin.Do(ctx, cmd...).Err(); err != nil {
			t.Fatal(err)
		}
	}
	leader.Kill9()
	waitFor(t, 15*time.Second, func() error { return f[0].Client(as("keep", "k")).Set(ctx, "after", "1", 0).Err() })
	leader.Restart()
	requireUsersOnEveryNode(t, nodes)
	for _, n := range nodes {
		n.Term()
	}
	for _, n := range nodes {
		n.Restart()
	}
	waitForLeader(t, nodes, 15*time.Second)
	requireUsersOnEveryNode(t, nodes)
}

// requireUsersOnEveryNode checks, on each node, what TestACLUsersAcrossNodes
// left: "keep" logs in (not with a wrong password), writes, keeps its
// selector and the channels acl-pubsub-default allchannels gave it when
// it was created (through the log, so on every node), gets NOPERM for RAFT REMOVE (no @admin), which leaves the
// three members; "app" stays deleted.
func requireUsersOnEveryNode(t *testing.T, nodes []*node) {
	t.Helper()
	for i, n := range nodes {
		keep := n.Client(as("keep", "k"))
		waitFor(t, 15*time.Second, func() error { return keep.Set(ctx, "after", fmt.Sprint(i), 0).Err() })
		if err := n.Client(as("keep", "wrong")).Ping(ctx).Err(); err == nil || !strings.HasPrefix(err.Error(), "WRONGPASS") {
			t.Fatalf("node %d: keep with a wrong password: %v", i, err)
		}
		if err := n.Client(as("app", "pw")).Ping(ctx).Err(); err == nil || !strings.HasPrefix(err.Error(), "WRONGPASS") {
			t.Fatalf("node %d: the deleted user app logs in: %v", i, err)
		}
		victim := nodes[(i+1)%len(nodes)]
		id := "n" + fmt.Sprint((i+1)%len(nodes)+1)
		if err := keep.Do(ctx, "RAFT", "REMOVE", id).Err(); err == nil || err.Error() != "NOPERM this user has no permissions to run the 'raft|remove' command" {
			t.Fatalf("node %d: RAFT REMOVE %s (%s) as keep: %v", i, id, victim.addr(), err)
		}
		ms, err := keep.Do(ctx, "RAFT", "MEMBERS").Slice()
		if err != nil || len(ms) != 3 {
			t.Fatalf("node %d: RAFT MEMBERS as keep = %v, %v", i, ms, err)
		}
		u, err := n.Client(noRetries).Do(ctx, "ACL", "GETUSER", "keep").Result()
		if m, _ := u.(map[any]any); err != nil || fmt.Sprint(m["selectors"]) != "[map[channels:&* commands:-@all +raft|members keys:~x]]" ||
			m["channels"] != "&*" {
			t.Fatalf("node %d: keep's selectors: %v, %v", i, u, err)
		}
	}
}

// TestRequirepassFlag: a node started with GEETCACHE_REQUIREPASS needs the
// password at once, gives it to the default user through the log (as a
// digest: the data directory never holds it in clear), keeps it across a
// restart, and CONFIG SET requirepass replaces it.
func TestRequirepassFlag(t *testing.T) {
	n := startNodeEnv(t, []string{"GEETCACHE_REQUIREPASS=s3cret"})
	if err := n.Client(noRetries).Ping(ctx).Err(); err == nil || err.Error() != "NOAUTH Authentication required." {
		t.Fatalf("PING without the password: %v", err)
	}
	admin := n.Client(as("default", "s3cret"))
	waitFor(t, 10*time.Second, func() error {
		u, err := admin.Do(ctx, "ACL", "GETUSER", "default").Result()
		if err != nil || strings.Contains(fmt.Sprint(u), "nopass") {
			return fmt.Errorf("default user still nopass: %v", u)
		}
		return nil
	})
	n.Term()
	n.Restart()
	if err := n.Client(as("default", "wrong")).Ping(ctx).Err(); err == nil || !strings.HasPrefix(err.Error(), "WRONGPASS") {
		t.Fatalf("a wrong password after the restart: %v", err)
	}
	if err := n.Client(as("default", "s3cret")).Do(ctx, "CONFIG", "SET", "requirepass", "other").Err(); err != nil {
		t.Fatal(err)
	}
	if err := n.Client(as("default", "s3cret")).Ping(ctx).Err(); err == nil || !strings.HasPrefix(err.Error(), "WRONGPASS") {
		t.Fatalf("the flag's password after CONFIG SET requirepass: %v", err)
	}
	if err := n.Client(as("default", "other")).Ping(ctx).Err(); err != nil {
		t.Fatal(err)
	}
	n.Term()
	if out, _ := exec.Command("grep", "-r", "-l", "s3cret", n.dir).Output(); len(out) > 0 {
		t.Fatalf("the password is in clear in %s", out)
	}
}

// TestJoinWithPassword: a node started with --join and the cluster's
// --requirepass authenticates its RAFT ADDVOTER and RAFT ADVERTISE, so it
// joins a cluster whose default user has a password and receives its
// users.
func TestJoinWithPassword(t *testing.T) {
	env := []string{"GEETCACHE_REQUIREPASS=s3cret"}
	n1 := startNodeEnv(t, env)
	admin := n1.Client(as("default", "s3cret"))
	waitFor(t, 10*time.Second, func() error { // the leader gave the default user the password
		if err := n1.Client(as("default", "nope")).Ping(ctx).Err(); err == nil || !strings.HasPrefix(err.Error(), "WRONGPASS") {
			return fmt.Errorf("a wrong password: %v", err)
		}
		return nil
	})
	ports := freePorts(t, 2)
	n2 := &node{t: t, port: ports[0], raftPort: ports[1], dir: t.TempDir(), env: env}
	n2.args = []string{"--port", strconv.Itoa(n2.port), "--bind", "127.0.0.1", "--dir", n2.dir,
		"--node-id", "n2", "--raft-addr", "127.0.0.1:" + strconv.Itoa(n2.raftPort), "--join", n1.addr()}
	n2.launch()
	waitFor(t, 15*time.Second, func() error {
		ms, err := admin.Do(ctx, "RAFT", "MEMBERS").Slice()
		if err != nil || len(ms) != 2 {
			return fmt.Errorf("members %v, %v", ms, err)
		}
		return nil
	})
	// n2 holds the replicated users: its own flag's password works, and
	// the default user's digest came through the log.
	waitFor(t, 10*time.Second, func() error {
		u, err := n2.Client(as("default", "s3cret")).Do(ctx, "ACL", "GETUSER", "default").Result()
		if err != nil || strings.Contains(fmt.Sprint(u), "nopass") {
			return fmt.Errorf("default user on n2: %v, %v", u, err)
		}
		return nil
	})
}

// TestDeletedUserDisconnected: deleting a user closes its connections, as
// Redis does, even one that only listens (a subscriber), so it receives
// nothing more.
func TestDeletedUserDisconnected(t *testing.T) {
	n := startNode(t)
	admin := n.Client(noRetries)
	if err := admin.Do(ctx, "ACL", "SETUSER", "sub", "on", ">p", "+@all", "allchannels").Err(); err != nil {
		t.Fatal(err)
	}
	c := n.Dial()
	if _, err := c.Write([]byte("AUTH sub p\r\nSUBSCRIBE news\r\n")); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 256)
	got := ""
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	for !strings.Contains(got, "subscribe") {
		k, err := c.Read(buf)
		if err != nil {
			t.Fatalf("before DELUSER: %v (read %q)", err, got)
		}
		got += string(buf[:k])
	}
	if err := admin.Do(ctx, "ACL", "DELUSER", "sub").Err(); err != nil {
		t.Fatal(err)
	}
	admin.Publish(ctx, "news", "secret")
	rest, err := readUntilClosed(c, 5*time.Second)
	if err != nil || strings.Contains(string(rest), "secret") {
		t.Fatalf("the deleted user's subscriber: %v, read %q", err, rest)
	}
}

// TestAuthRightAfterSetUserOnFollower: ACL SETUSER then AUTH through a
// follower, back to back on one connection (as Redis's unit/scripting
// does), logs in: AUTH on a follower that does not know the user waits
// until it has applied the leader's read index before refusing.
func TestAuthRightAfterSetUserOnFollower(t *testing.T) {
	nodes := startCluster(t)
	leader := waitForLeader(t, nodes, 10*time.Second)
	f := others(nodes, leader)[0]
	waitFor(t, 10*time.Second, func() error { return f.Client(noRetries).Set(ctx, "warm", "1", 0).Err() })
	for i := range 5 {
		user := fmt.Sprintf("u%d", i)
		c := f.Client(noRetries)
		if err := c.Do(ctx, "ACL", "SETUSER", user, "on", ">pw", "+@all", "~*").Err(); err != nil {
			t.Fatal(err)
		}
		if err := c.Do(ctx, "AUTH", user, "pw").Err(); err != nil {
			t.Fatalf("AUTH %s right after ACL SETUSER through a follower: %v", user, err)
		}
		if err := c.Do(ctx, "AUTH", user, "wrong").Err(); err == nil || !strings.HasPrefix(err.Error(), "WRONGPASS") {
			t.Fatalf("AUTH %s with a wrong password: %v", user, err)
		}
		c.Close()
	}
}
