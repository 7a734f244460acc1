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

// TestBlockedMoveDestinationIsNotATaker: a BLMOVE blocked on its source is
// queued on its destination too, but never takes from it: a pop on the
// destination is served at once, and a push to the destination wakes the
// client that pops from it.
func TestBlockedMoveDestinationIsNotATaker(t *testing.T) {
	n := startNode(t)
	cl := n.Client()
	mover := n.Client(noRetries)
	moved := make(chan string, 1)
	go func() { moved <- mover.BLMove(ctx, "src", "dst", "right", "left", 0).Val() }()
	waitFor(t, 5*time.Second, func() error {
		if !strings.Contains(cl.Info(ctx, "clients").Val(), "blocked_clients:1") {
			return redis.Nil
		}
		return nil
	})
	popper := n.Client(noRetries)
	cl.RPush(ctx, "dst", "x")
	if v, err := popper.BLPop(ctx, 3*time.Second, "dst").Result(); err != nil || v[1] != "x" {
		t.Fatalf("BLPOP dst with a BLMOVE blocked on src: %v %v, want x", v, err)
	}
	got := make(chan []string, 1)
	go func() { got <- popper.BLPop(ctx, 5*time.Second, "dst").Val() }()
	waitFor(t, 5*time.Second, func() error {
		if !strings.Contains(cl.Info(ctx, "clients").Val(), "blocked_clients:2") {
			return redis.Nil
		}
		return nil
	})
	cl.RPush(ctx, "dst", "y")
	if v := <-got; len(v) != 2 || v[1] != "y" {
		t.Fatalf("BLPOP dst blocked behind a BLMOVE whose destination is dst: got %v, want y", v)
	}
	cl.RPush(ctx, "src", "z")
	if v := <-moved; v != "z" {
		t.Fatalf("BLMOVE got %q, want z", v)
	}
}
