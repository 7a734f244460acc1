package main

import (
	"bufio"
	"fmt"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// TestWrongPasswordsHostile: thousands of wrong passwords, pipelined on
// one connection, are each answered WRONGPASS and counted in ACL LOG (one
// entry per user, as Redis groups them; distinct user names fill the log
// up to acllog-max-len and no further); another client's GETs meanwhile
// keep their latency; no password, right or wrong, shows in the node's
// log (at debug level), its data directory, INFO, CONFIG GET, CLIENT LIST
// or ACL LOG.
func TestWrongPasswordsHostile(t *testing.T) {
	const attempts, ghosts = 5000, 500
	n := startNode(t, "--loglevel", "debug")
	admin := n.Client(noRetries)
	for _, cmd := range [][]any{{"ACL", "SETUSER", "app", "on", ">right-secret-7", "~*", "+@all"}, {"SET", "k", "v"}} {
		if err := admin.Do(ctx, cmd...).Err(); err != nil {
			t.Fatal(err)
		}
	}
	other := n.Client(noRetries)
	base := getLatencies(t, other, nil)
	done := make(chan error, 1)
	go func() { done <- wrongPasswords(n, attempts, ghosts) }()
	during := getLatencies(t, other, done)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	t.Logf("another client's GET while %d wrong passwords were tried: p50 %v p99 %v max %v (%d GETs); before: p50 %v p99 %v max %v",
		attempts+ghosts, pct(during, 50), pct(during, 99), pct(during, 100), len(during), pct(base, 50), pct(base, 99), pct(base, 100))
	if limit := 20*pct(base, 99) + 50*time.Millisecond; pct(during, 99) > limit {
		t.Errorf("GET p99 %v during the attempts, over %v", pct(during, 99), limit)
	}

	log := aclLog(t, admin)
	if len(log) != 128 {
		t.Fatalf("ACL LOG holds %d entries after %d distinct users failed, want acllog-max-len 128", len(log), ghosts)
	}
	appEntry := map[any]any(nil)
	for _, e := range log {
		if e["username"] == "app" {
			appEntry = e
		}
	}
	if appEntry == nil {
		// the app entry was pushed out by the ghosts; ask for it again alone
		if err := admin.Do(ctx, "ACL", "LOG", "RESET").Err(); err != nil {
			t.Fatal(err)
		}
		if err := wrongPasswords(n, attempts, 0); err != nil {
			t.Fatal(err)
		}
		log = aclLog(t, admin)
		appEntry = log[0]
	}
	if appEntry["count"] != int64(attempts) || appEntry["reason"] != "auth" || appEntry["object"] != "AUTH" {
		t.Fatalf("ACL LOG entry of app: %v, want count %d, reason auth, object AUTH", appEntry, attempts)
	}
	if err := admin.Do(ctx, "CONFIG", "SET", "acllog-max-len", "10").Err(); err != nil {
		t.Fatal(err)
	}
	if err := wrongPasswords(n, 0, 20); err != nil { // Redis cuts the log at its next entries
		t.Fatal(err)
	}
	if log := aclLog(t, admin); len(log) != 10 {
		t.Fatalf("ACL LOG holds %d entries with acllog-max-len 10", len(log))
	}
	// a password added, then removed by its clear text ("<pass"), leaves
	// only digests in the Raft log
	for _, rule := range []string{">removed-secret-8", "<removed-secret-8"} {
		if err := admin.Do(ctx, "ACL", "SETUSER", "app", rule).Err(); err != nil {
			t.Fatal(err)
		}
	}
	requireNoSecrets(t, n, admin, []string{"right-secret-7", "wrong-pass-", "removed-secret-8"})
}

// wrongPasswords sends attempts AUTH app wrong-pass-N and ghosts AUTH
// ghost-N wrong-pass-ghost, pipelined 100 at a time on one connection,
// and checks each reply is WRONGPASS.
func wrongPasswords(n *node, attempts, ghosts int) error {
	c := n.Dial()
	defer c.Close()
	r := bufio.NewReader(c)
	var cmds []string
	for i := range attempts {
		cmds = append(cmds, fmt.Sprintf("AUTH app wrong-pass-%d\r\n", i))
	}
	for i := range ghosts {
		cmds = append(cmds, fmt.Sprintf("AUTH ghost-%d wrong-pass-ghost\r\n", i))
	}
	for len(cmds) > 0 {
		batch := cmds[:min(100, len(cmds))]
		cmds = cmds[len(batch):]
		c.SetDeadline(time.Now().Add(30 * time.Second))
		if _, err := c.Write([]byte(strings.Join(batch, ""))); err != nil {
			return err
		}
		for range batch {
			line, err := r.ReadString('\n')
			if err != nil {
				return err
			}
			if line != "-WRONGPASS invalid username-password pair or user is disabled.\r\n" {
				return fmt.Errorf("a wrong password answered %q", line)
			}
		}
	}
	return nil
}

// getLatencies times GETs on c, 300 of them, or until done closes when
// done is not nil; it returns them sorted.
func getLatencies(t *testing.T, c *redis.Client, done chan error) []time.Duration {
	t.Helper()
	var out []time.Duration
	for i := 0; ; i++ {
		if done == nil && i == 300 {
			break
		}
		if done != nil && len(done) > 0 {
			break
		}
		start := time.Now()
		if err := c.Get(ctx, "k").Err(); err != nil {
			t.Fatal(err)
		}
		out = append(out, time.Since(start))
	}
	slices.Sort(out)
	return out
}

// pct returns the p-th percentile of sorted durations.
func pct(d []time.Duration, p int) time.Duration {
	if len(d) == 0 {
		return 0
	}
	return d[min(len(d)-1, len(d)*p/100)]
}

func aclLog(t *testing.T, c *redis.Client) []map[any]any {
	t.Helper()
	v, err := c.Do(ctx, "ACL", "LOG").Slice()
	if err != nil {
		t.Fatal(err)
	}
	out := make([]map[any]any, len(v))
	for i, e := range v {
		out[i] = e.(map[any]any)
	}
	return out
}

// requireNoSecrets fails if any of secrets shows in the node's log, its
// data directory, or the answers of INFO, CONFIG GET *, CLIENT LIST and
// ACL LOG.
func requireNoSecrets(t *testing.T, n *node, admin *redis.Client, secrets []string) {
	t.Helper()
	var answers []string
	for _, cmd := range [][]any{{"INFO", "everything"}, {"CONFIG", "GET", "*"}, {"CLIENT", "LIST"}, {"ACL", "LOG"}} {
		v, err := admin.Do(ctx, cmd...).Result()
		if err != nil {
			t.Fatal(err)
		}
		answers = append(answers, fmt.Sprint(v))
	}
	for _, s := range secrets {
		if n.logged(s) {
			t.Errorf("the node's log shows %q", s)
		}
		for i, a := range answers {
			if strings.Contains(a, s) {
				t.Errorf("answer %d (INFO, CONFIG GET, CLIENT LIST, ACL LOG) shows %q", i, s)
			}
		}
		if out, _ := exec.Command("grep", "-r", "-l", s, n.dir).Output(); len(out) > 0 {
			t.Errorf("%q is in clear in %s", s, out)
		}
	}
}

// TestWrongPasswordsOnFollower: on a follower, each failed AUTH first
// applies the leader's read index (the password may have been set through
// this node a moment ago), so wrong passwords cost a round trip to the
// leader each; they are still answered, and another client of the
// follower keeps its latency.
func TestWrongPasswordsOnFollower(t *testing.T) {
	const attempts = 2000
	nodes := startCluster(t)
	leader := waitForLeader(t, nodes, 10*time.Second)
	f := others(nodes, leader)[0]
	waitFor(t, 10*time.Second, func() error {
		return f.Client(noRetries).Do(ctx, "ACL", "SETUSER", "app", "on", ">right-secret-7", "~*", "+@all").Err()
	})
	waitFor(t, 10*time.Second, func() error { return f.Client(noRetries).Set(ctx, "k", "v", 0).Err() })
	other := f.Client(noRetries)
	base := getLatencies(t, other, nil)
	done := make(chan error, 1)
	start := time.Now()
	go func() { done <- wrongPasswords(f, attempts, 0) }()
	during := getLatencies(t, other, done)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	start = time.Now()
	if err := wrongPasswords(leader, attempts, 0); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d wrong passwords: %v on a follower, %v on the leader; another client's GET on the follower meanwhile: p50 %v p99 %v max %v (%d GETs); before: p50 %v p99 %v",
		attempts, took, time.Since(start), pct(during, 50), pct(during, 99), pct(during, 100), len(during), pct(base, 50), pct(base, 99))
	if limit := 20*pct(base, 99) + 50*time.Millisecond; pct(during, 99) > limit {
		t.Errorf("GET p99 %v during the attempts, over %v", pct(during, 99), limit)
	}
}
