package main

import (
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// TestBlockedPopKeepsItsTurn: a client blocked on a list keeps its turn
// against a pop that arrives with the push that feeds the list, as Redis
// serves blocked clients right after the push: the first BRPOPLPUSH
// (whose destination has the wrong type) fails with WRONGTYPE, and the
// second, sent just before the push, takes the element (Redis's
// unit/type/list "BRPOPLPUSH with multiple blocked clients"). Before,
// the second pop's first attempt could reach the log between the push
// and the first pop's retry and take the element, leaving the first
// blocked.
func TestBlockedPopKeepsItsTurn(t *testing.T) {
	n := startNode(t)
	cl := n.Client()
	for i := range 20 {
		cl.Del(ctx, "blist", "target1", "target2")
		cl.Set(ctx, "target1", "nolist", 0)
		first, second := n.Client(noRetries), n.Client(noRetries)
		got1, got2 := make(chan error, 1), make(chan string, 1)
		go func() { got1 <- first.BRPopLPush(ctx, "blist", "target1", 0).Err() }()
		waitFor(t, 5*time.Second, func() error {
			if !strings.Contains(cl.Info(ctx, "clients").Val(), "blocked_clients:1") {
				return redis.Nil
			}
			return nil
		})
		go func() { got2 <- second.BRPopLPush(ctx, "blist", "target2", 0).Val() }()
		cl.LPush(ctx, "blist", "foo")
		select {
		case err := <-got1:
			if err == nil || !strings.HasPrefix(err.Error(), "WRONGTYPE") {
				t.Fatalf("try %d: the first pop answered %v, want WRONGTYPE", i, err)
			}
		case <-time.After(3 * time.Second):
			t.Fatalf("try %d: the first pop is still blocked: the second took its element", i)
		}
		if v := <-got2; v != "foo" {
			t.Fatalf("try %d: the second pop got %q, want foo", i, v)
		}
		first.Close()
		second.Close()
	}
}
