package main

import (
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// TestDatabasesSingleNode: SELECT, MOVE, SWAPDB, COPY ... DB, FLUSHDB and
// FLUSHALL on the real binary, each reply as Redis 7.0 gives it; a
// transaction's SELECT switches the database of the commands after it and
// of the connection after EXEC; a script's SELECT leaves the caller's; the
// databases come back after a restart from a snapshot.
func TestDatabasesSingleNode(t *testing.T) {
	n := startNode(t)
	c3 := n.Client(func(o *redis.Options) { o.DB = 3 })
	c0 := n.Client()
	steps := []struct {
		c    *redis.Client
		args []any
		want string
	}{
		{c3, []any{"SET", "k", "three"}, "OK"},
		{c0, []any{"GET", "k"}, "redis: nil"},
		{c0, []any{"SET", "k", "zero"}, "OK"},
		{c3, []any{"GET", "k"}, "three"},
		{c0, []any{"MOVE", "k", "3"}, "0"},
		{c0, []any{"MOVE", "k", "5"}, "1"},
		{c0, []any{"MOVE", "k", "16"}, "ERR DB index is out of range"},
		{c0, []any{"SWAPDB", "5", "3"}, "OK"},
		{c3, []any{"GET", "k"}, "zero"},
		{c3, []any{"COPY", "k", "k", "DB", "0"}, "1"},
		{c0, []any{"GET", "k"}, "zero"},
		{c0, []any{"SELECT", "16"}, "ERR DB index is out of range"},
		{c0, []any{"SELECT", "x"}, "ERR value is not an integer or out of range"},
		{c0, []any{"SWAPDB", "x", "1"}, "ERR invalid first DB index"},
		{c0, []any{"CONFIG", "GET", "databases"}, "map[databases:16]"},
		{c0, []any{"EVAL", "redis.call('select', 9); return redis.call('set', 's', 'nine')", "0"}, "OK"},
		{c0, []any{"EXISTS", "s"}, "0"},
		{c3, []any{"FLUSHDB"}, "OK"},
		{c3, []any{"DBSIZE"}, "0"},
		{c0, []any{"DBSIZE"}, "1"},
	}
	for _, st := range steps {
		if got := result(st.c.Do(ctx, st.args...)); got != st.want {
			t.Fatalf("%v = %q, want %q", st.args, got, st.want)
		}
	}
	info := result(c0.Do(ctx, "INFO", "keyspace"))
	for _, line := range []string{"db0:keys=1,expires=0,avg_ttl=0", "db5:keys=1,", "db9:keys=1,"} {
		if !strings.Contains(info, line) {
			t.Fatalf("INFO keyspace = %q, want a line %q", info, line)
		}
	}
	if strings.Contains(info, "db3:") {
		t.Fatalf("INFO keyspace = %q: database 3 was flushed", info)
	}
	checkTransactionSelect(t, n)
	before := result(c0.Do(ctx, "DEBUG", "DIGEST"))
	if err := c0.Do(ctx, "RAFT", "SNAPSHOT").Err(); err != nil {
		t.Fatal(err)
	}
	n.Term()
	n.Restart()
	after := n.Client()
	waitFor(t, 10*time.Second, func() error {
		if d := result(after.Do(ctx, "DEBUG", "DIGEST")); d != before {
			return fmt.Errorf("digest after restart %s, before %s", d, before)
		}
		return nil
	})
	if got := result(n.Client(func(o *redis.Options) { o.DB = 9 }).Get(ctx, "s")); got != "nine" {
		t.Fatalf("GET s in database 9 after restart = %q", got)
	}
}

// TestDatabasesScriptSelect: a script's SELECT is checked against the
// caller's ACL as any command it calls, and after a script's SWAPDB its
// next calls see the keyspace now at its database's index, as Redis 7.0
// gives them (both compared with redis-server 7.0.15).
func TestDatabasesScriptSelect(t *testing.T) {
	n := startNode(t)
	c0 := n.Client()
	if err := c0.Do(ctx, "ACL", "SETUSER", "nosel", "on", ">pw", "~*", "&*", "+@all", "-select").Err(); err != nil {
		t.Fatal(err)
	}
	u := n.Client(as("nosel", "pw"))
	want := "ERR The user executing the script can't run this command or subcommand"
	if got := result(u.Do(ctx, "EVAL", "return redis.call('select', 1)", "0")); !strings.HasPrefix(got, want) {
		t.Fatalf("EVAL SELECT without +select = %q, want %q...", got, want)
	}
	steps := []struct {
		args []any
		want string
	}{
		{[]any{"SET", "k", "zero"}, "OK"},
		{[]any{"EVAL", "redis.call('swapdb', 0, 1); return redis.call('get', 'k')", "0"}, "redis: nil"},
		{[]any{"EVAL", "redis.call('select', 1); return redis.call('get', 'k')", "0"}, "zero"},
		{[]any{"GET", "k"}, "redis: nil"},
	}
	for _, st := range steps {
		if got := result(c0.Do(ctx, st.args...)); got != st.want {
			t.Fatalf("%v = %q, want %q", st.args, got, st.want)
		}
	}
}

// checkTransactionSelect: MULTI; SELECT 7; SET; EXEC writes in database 7
// and leaves the connection there (CLIENT LIST db=7); RESET goes back to 0.
func checkTransactionSelect(t *testing.T, n *node) {
	t.Helper()
	conn := n.Client().Conn() // one connection: SELECT's effect is the connection's
	t.Cleanup(func() { conn.Close() })
	if _, err := conn.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.Do(ctx, "SELECT", "7")
		p.Set(ctx, "m", "seven", 0)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if got := result(conn.Get(ctx, "m")); got != "seven" {
		t.Fatalf("GET m after MULTI SELECT 7 = %q", got)
	}
	if list := result(conn.Do(ctx, "CLIENT", "INFO")); !strings.Contains(list, " db=7 ") {
		t.Fatalf("CLIENT INFO = %q, want db=7", list)
	}
	if got := result(n.Client().Get(ctx, "m")); got != "redis: nil" {
		t.Fatalf("GET m in database 0 = %q", got)
	}
	if err := conn.Do(ctx, "RESET").Err(); err != nil {
		t.Fatal(err)
	}
	if list := result(conn.Do(ctx, "CLIENT", "INFO")); !strings.Contains(list, " db=0 ") {
		t.Fatalf("CLIENT INFO after RESET = %q, want db=0", list)
	}
}

// result renders a reply or its error as one string.
func result(c interface{ Err() error }) string {
	if err := c.Err(); err != nil {
		return err.Error()
	}
	switch v := c.(type) {
	case *redis.Cmd:
		return fmt.Sprint(v.Val())
	case *redis.StringCmd:
		return v.Val()
	}
	return fmt.Sprint(c)
}

// TestDatabasesThroughFollower: a write in database 3 sent to a follower
// is in database 3 (not 0) on every node, a transaction watched in
// database 2 through a follower fails when another client changes the
// key there, and survives a restart of the cluster's nodes.
func TestDatabasesThroughFollower(t *testing.T) {
	nodes := startCluster(t)
	leader := waitForLeader(t, nodes, 10*time.Second)
	f := others(nodes, leader)
	c3 := f[0].Client(func(o *redis.Options) { o.DB = 3; o.MaxRetries = -1 })
	waitFor(t, 10*time.Second, func() error { return c3.Set(ctx, "k", "three", 0).Err() })
	for _, nd := range nodes {
		local := redis.NewClient(&redis.Options{Addr: nd.addr(), DB: 3, MaxRetries: -1,
			OnConnect: func(ctx2 context.Context, cn *redis.Conn) error { return cn.ReadOnly(ctx2).Err() }})
		t.Cleanup(func() { local.Close() })
		waitFor(t, 10*time.Second, func() error {
			if v := result(local.Get(ctx, "k")); v != "three" {
				return fmt.Errorf("GET k in database 3 on %s = %q", nd.addr(), v)
			}
			return nil
		})
		if v := result(local.Do(ctx, "SELECT", "0")); v != "OK" {
			t.Fatal(v)
		}
	}
	if v := leader.Client().Exists(ctx, "k").Val(); v != 0 {
		t.Fatalf("EXISTS k in database 0 on the leader = %d", v)
	}
	checkWatchOtherDB(t, f[1], leader)
	waitSameDigest(t, nodes)
	for _, nd := range nodes {
		nd.Term()
	}
	for _, nd := range nodes {
		nd.Restart()
	}
	waitForLeader(t, nodes, 10*time.Second)
	waitSameDigest(t, nodes)
	waitFor(t, 10*time.Second, func() error {
		if v := result(nodes[0].Client(func(o *redis.Options) { o.DB = 3 }).Get(ctx, "k")); v != "three" {
			return fmt.Errorf("GET k in database 3 after restart = %q", v)
		}
		return nil
	})
}

// checkWatchOtherDB: WATCH in database 2 through follower f, another
// client changes the key in database 2 (the same name in database 0 is
// not it): EXEC answers null; watched again and untouched, it runs.
func checkWatchOtherDB(t *testing.T, f, other *node) {
	t.Helper()
	c := f.Client(func(o *redis.Options) { o.DB = 2; o.MaxRetries = -1 })
	c0 := other.Client()
	c2 := other.Client(func(o *redis.Options) { o.DB = 2 })
	watch := func(touch func()) error {
		return c.Watch(ctx, func(tx *redis.Tx) error {
			touch()
			_, err := tx.TxPipelined(ctx, func(p redis.Pipeliner) error { p.Set(ctx, "w", "tx", 0); return nil })
			return err
		}, "w")
	}
	if err := watch(func() { c0.Set(ctx, "w", "db0", 0) }); err != nil {
		t.Fatalf("EXEC after a change of w in database 0 only: %v, want it to run", err)
	}
	if err := watch(func() { c2.Set(ctx, "w", "db2", 0) }); err != redis.TxFailedErr {
		t.Fatalf("EXEC after a change of w in database 2: %v, want %v", err, redis.TxFailedErr)
	}
}

// TestDatabasesKeyspaceEvents: events name the key's database: a SET in
// database 3, a MOVE from 3 to 4 and an expiry in database 4.
func TestDatabasesKeyspaceEvents(t *testing.T) {
	n := startNode(t)
	c0 := n.Client()
	if err := c0.ConfigSet(ctx, "notify-keyspace-events", "KEAn").Err(); err != nil {
		t.Fatal(err)
	}
	sub := c0.PSubscribe(ctx, "__key*@*__:*")
	t.Cleanup(func() { sub.Close() })
	if _, err := sub.Receive(ctx); err != nil {
		t.Fatal(err)
	}
	c3 := n.Client(func(o *redis.Options) { o.DB = 3 })
	for _, args := range [][]any{{"SET", "k", "v"}, {"MOVE", "k", "4"}} {
		if err := c3.Do(ctx, args...).Err(); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{
		"__keyspace@3__:k new", "__keyevent@3__:new k", "__keyspace@3__:k set", "__keyevent@3__:set k",
		"__keyspace@4__:k new", "__keyevent@4__:new k",
		"__keyspace@3__:k move_from", "__keyevent@3__:move_from k",
		"__keyspace@4__:k move_to", "__keyevent@4__:move_to k",
	}
	for i, w := range want {
		m, err := sub.ReceiveTimeout(ctx, 5*time.Second)
		if err != nil {
			t.Fatalf("event %d: %v (want %q)", i, err, w)
		}
		msg, ok := m.(*redis.Message)
		if got := fmt.Sprintf("%s %s", msg.Channel, msg.Payload); !ok || got != w {
			t.Fatalf("event %d = %q, want %q", i, got, w)
		}
	}
}

// TestImportSeveralDatabases: an RDB file from redis-server with keys in
// databases 0, 3 and 7 (SELECTDB opcodes) imports each key into its own
// database.
func TestImportSeveralDatabases(t *testing.T) {
	redisAddr := startRedisServer(t)
	n := startNode(t)
	want := map[int]int{0: 2, 3: 5, 7: 1}
	for db, count := range want {
		rc := redis.NewClient(&redis.Options{Addr: redisAddr, DB: db, MaxRetries: -1})
		for i := range count {
			if err := rc.Set(ctx, fmt.Sprintf("k%d", i), fmt.Sprintf("db%d-%d", db, i), 0).Err(); err != nil {
				t.Fatal(err)
			}
		}
		rc.Close()
	}
	rc := redis.NewClient(&redis.Options{Addr: redisAddr, MaxRetries: -1})
	t.Cleanup(func() { rc.Close() })
	if err := rc.Save(ctx).Err(); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(rc.ConfigGet(ctx, "dir").Val()["dir"], rc.ConfigGet(ctx, "dbfilename").Val()["dbfilename"])
	if out, err := exec.Command(binPath, "import", "-addr", n.addr(), file).CombinedOutput(); err != nil {
		t.Fatalf("geetcache import: %v\n%s", err, out)
	}
	for db := range 16 {
		gc := n.Client(func(o *redis.Options) { o.DB = db })
		if got := gc.DBSize(ctx).Val(); got != int64(want[db]) {
			t.Fatalf("database %d holds %d keys, want %d", db, got, want[db])
		}
		if want[db] > 0 {
			if v := gc.Get(ctx, "k0").Val(); v != fmt.Sprintf("db%d-0", db) {
				t.Fatalf("GET k0 in database %d = %q", db, v)
			}
		}
	}
}
