package main

import (
	"fmt"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// followerTxStep is one command of a transaction test through a follower:
// on the transaction's connection (tx) or another one (!tx), and the reply
// redis-server 7.0.15 gives it (checked by hand, same steps, one node).
type followerTxStep struct {
	tx   bool
	args []any
	want string
}

const oomText = "OOM command not allowed when used memory > 'maxmemory'."

// followerOOMSteps are Redis's unit/multi maxmemory tests, in a row:
// "EXEC fails if there are errors while queueing commands #2", "DISCARD
// should not fail during OOM", "EXEC with only read commands should not
// be rejected when OOM", "EXEC with at least one use-memory command should
// fail".
var followerOOMSteps = []followerTxStep{
	{true, []any{"set", "x", "value"}, "OK"},
	{true, []any{"multi"}, "OK"},
	{true, []any{"set", "foo1", "bar1"}, "QUEUED"},
	{false, []any{"config", "set", "maxmemory", "1"}, "OK"},
	{true, []any{"lpush", "mylist", "v"}, oomText},
	{false, []any{"config", "set", "maxmemory", "0"}, "OK"},
	{true, []any{"set", "foo2", "bar2"}, "QUEUED"},
	{true, []any{"exec"}, "EXECABORT Transaction discarded because of previous errors."},
	{true, []any{"exists", "foo1", "foo2"}, "0"},
	{false, []any{"config", "set", "maxmemory", "1"}, "OK"},
	{true, []any{"multi"}, "OK"},
	{true, []any{"set", "x", "1"}, oomText},
	{true, []any{"discard"}, "OK"},
	{false, []any{"config", "set", "maxmemory", "0"}, "OK"},
	{true, []any{"multi"}, "OK"},
	{true, []any{"get", "x"}, "QUEUED"},
	{true, []any{"ping"}, "QUEUED"},
	{false, []any{"config", "set", "maxmemory", "1"}, "OK"},
	{true, []any{"exec"}, "[value PONG]"},
	{false, []any{"config", "set", "maxmemory", "0"}, "OK"},
	{true, []any{"multi"}, "OK"},
	{true, []any{"set", "x", "1"}, "QUEUED"},
	{true, []any{"get", "x"}, "QUEUED"},
	{false, []any{"config", "set", "maxmemory", "1"}, "OK"},
	{true, []any{"exec"}, "EXECABORT Transaction discarded because of: " + oomText},
	{false, []any{"config", "set", "maxmemory", "0"}, "OK"},
	{true, []any{"get", "x"}, "value"},
}

// TestTransactionOOMThroughFollower: a transaction on a follower's
// connection gets Redis's replies while memory is above maxmemory
// (noeviction): a command queued then is refused with OOM as it is queued,
// EXEC of one queued before is refused with the OOM reason, and EXEC of
// reads only runs. Before, the follower queued every command and the
// leader judged the forwarded block as if queued there: QUEUED where Redis
// answers OOM (the transaction then ran), and EXECABORT for reads only.
func TestTransactionOOMThroughFollower(t *testing.T) {
	_, _, follower := startClusterWithFollower(t)
	tx, other := follower.Client(noRetries).Conn(), follower.Client(noRetries).Conn()
	defer tx.Close()
	defer other.Close()
	for i, st := range followerOOMSteps {
		c := other
		if st.tx {
			c = tx
		}
		got, err := c.Do(ctx, st.args...).Result()
		text := fmt.Sprint(got)
		if err != nil {
			text = err.Error()
		}
		if text != st.want {
			t.Errorf("step %d %v: %q, want %q (Redis's)", i, st.args, text, st.want)
		}
	}
}

// TestWatchThroughFollowerRestrictedUser: a user without @admin and
// @dangerous WATCHes a key through a follower; another client changes it;
// EXEC must answer null, and the ACL log stays empty. Before, the leader
// refused the link's RAFT WATCHED (the link is logged in as the client's
// user, and RAFT needs @admin): the transaction ran without its watch, and
// ACL LOG held a denial of raft|watched.
func TestWatchThroughFollowerRestrictedUser(t *testing.T) {
	_, leader, follower := startClusterWithFollower(t)
	admin := leader.Client(noRetries)
	if err := admin.Do(ctx, "acl", "setuser", "app", "on", ">pw", "~*", "+@all", "-@dangerous").Err(); err != nil {
		t.Fatal(err)
	}
	app := follower.Client(noRetries, func(o *redis.Options) { o.Username, o.Password = "app", "pw" })
	waitFor(t, 5*time.Second, func() error { return app.Ping(ctx).Err() })
	err := app.Watch(ctx, func(w *redis.Tx) error {
		if err := admin.Set(ctx, "k", "theirs", 0).Err(); err != nil {
			return err
		}
		_, err := w.TxPipelined(ctx, func(p redis.Pipeliner) error { return p.Set(ctx, "k", "mine", 0).Err() })
		return err
	}, "k")
	if err != redis.TxFailedErr {
		t.Errorf("EXEC after a watched key changed: %v, want redis.TxFailedErr", err)
	}
	if got, _ := admin.Get(ctx, "k").Result(); got != "theirs" {
		t.Errorf("k = %q, want %q", got, "theirs")
	}
	if log, err := admin.Do(ctx, "acl", "log").Slice(); err != nil || len(log) != 0 {
		t.Errorf("ACL LOG = %v, %v; want empty", log, err)
	}
}
