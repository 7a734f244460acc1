package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// TestBlockingPops covers BLPOP and friends against the real binary.
func TestBlockingPops(t *testing.T) {
	n := startNode(t)
	ctx := context.Background()
	producer := n.Client()

	t.Run("woken by a push on another connection", func(t *testing.T) {
		got := make(chan []string, 1)
		go func() {
			v, _ := n.Client().BLPop(ctx, 0, "q1").Result()
			got <- v
		}()
		waitBlocked(t, producer, 1)
		producer.RPush(ctx, "q1", "job")
		select {
		case v := <-got:
			if len(v) != 2 || v[0] != "q1" || v[1] != "job" {
				t.Fatalf("BLPOP = %q", v)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("BLPOP was not woken by RPUSH")
		}
	})

	t.Run("timeout", func(t *testing.T) {
		start := time.Now()
		_, err := n.Client().BLPop(ctx, 200*time.Millisecond, "empty").Result()
		if !errors.Is(err, redis.Nil) {
			t.Fatalf("err = %v, want redis.Nil", err)
		}
		if time.Since(start) < 200*time.Millisecond {
			t.Fatalf("returned after %v, before the timeout", time.Since(start))
		}
	})

	t.Run("served in arrival order", func(t *testing.T) {
		const waiters = 4
		got := make([]chan string, waiters)
		for i := range got {
			got[i] = make(chan string, 1)
			go func(ch chan string) {
				v, err := n.Client().BRPop(ctx, 10*time.Second, "fifo").Result()
				if err != nil {
					ch <- err.Error()
					return
				}
				ch <- v[1]
			}(got[i])
			waitBlocked(t, producer, i+1)
		}
		producer.LPush(ctx, "fifo", "a", "b", "c", "d") // list is d c b a; BRPOP takes a first
		for i, want := range []string{"a", "b", "c", "d"} {
			if v := <-got[i]; v != want {
				t.Fatalf("waiter %d got %q, want %q", i, v, want)
			}
		}
	})

	t.Run("a client that left takes nothing", func(t *testing.T) {
		gone := n.Dial()
		gone.Write([]byte("*3\r\n$5\r\nBLPOP\r\n$4\r\nleft\r\n$1\r\n0\r\n"))
		waitBlocked(t, producer, 1)
		gone.Close()
		waitBlocked(t, producer, 0)
		producer.RPush(ctx, "left", "kept")
		if v, _ := producer.LRange(ctx, "left", 0, -1).Result(); len(v) != 1 || v[0] != "kept" {
			t.Fatalf("list = %q, want [kept]", v)
		}
	})

	t.Run("commands pipelined after a blocking one", func(t *testing.T) {
		c := n.Dial()
		defer c.Close()
		// A timed-out BLMOVE replies a null array, as Redis does.
		c.Write([]byte("BLPOP nothing 0.2\r\nBLMOVE none x left left 0.01\r\nPING\r\n"))
		c.SetReadDeadline(time.Now().Add(5 * time.Second))
		r := bufio.NewReader(c)
		for _, want := range []string{"*-1\r\n", "*-1\r\n", "+PONG\r\n"} {
			line, err := r.ReadString('\n')
			if err != nil || line != want {
				t.Fatalf("got %q (%v), want %q", line, err, want)
			}
		}
	})

	t.Run("BZPOPMIN woken by ZADD", func(t *testing.T) {
		done := make(chan *redis.ZWithKey, 1)
		go func() {
			v, _ := n.Client().BZPopMin(ctx, 5*time.Second, "zq").Result()
			done <- v
		}()
		waitBlocked(t, producer, 1)
		producer.ZAdd(ctx, "zq", redis.Z{Score: 2, Member: "m"})
		if v := <-done; v == nil || v.Key != "zq" || v.Member != "m" || v.Score != 2 {
			t.Fatalf("BZPOPMIN = %+v", v)
		}
	})

	t.Run("BLMOVE and BLMPOP", func(t *testing.T) {
		done := make(chan string, 1)
		go func() {
			v, _ := n.Client().BLMove(ctx, "src", "dst", "LEFT", "RIGHT", 5*time.Second).Result()
			done <- v
		}()
		waitBlocked(t, producer, 1)
		producer.RPush(ctx, "src", "x")
		if v := <-done; v != "x" {
			t.Fatalf("BLMOVE = %q", v)
		}
		key, vals, err := producer.BLMPop(ctx, time.Second, "left", 2, "nope", "dst").Result()
		if err != nil || key != "dst" || len(vals) != 1 || vals[0] != "x" {
			t.Fatalf("BLMPOP = %q %q %v", key, vals, err)
		}
	})
}

// TestBlockedPushSurvivesRestart: an item pushed (acknowledged) while
// nobody is waiting is there after kill -9 for the next BLPOP.
func TestBlockedPushSurvivesRestart(t *testing.T) {
	n := startNode(t)
	ctx := context.Background()
	if err := n.Client().RPush(ctx, "jobs", "j1").Err(); err != nil {
		t.Fatal(err)
	}
	n.Kill9()
	n.Restart()
	v, err := n.Client().BLPop(ctx, 2*time.Second, "jobs").Result()
	if err != nil || v[1] != "j1" {
		t.Fatalf("BLPOP after restart = %q, %v", v, err)
	}
}

// waitBlocked polls INFO clients until blocked_clients is want.
func waitBlocked(t *testing.T, c *redis.Client, want int) {
	t.Helper()
	waitFor(t, 5*time.Second, func() error {
		info, err := c.Info(context.Background(), "clients").Result()
		if err != nil {
			return err
		}
		if !containsLine(info, "blocked_clients:", want) {
			return errors.New("blocked_clients not yet " + info)
		}
		return nil
	})
}

// containsLine reports whether INFO text has the line "<field><want>".
func containsLine(info, field string, want int) bool {
	for _, line := range strings.Split(info, "\r\n") {
		if line == field+strconv.Itoa(want) {
			return true
		}
	}
	return false
}

// TestBlockedFlagThroughFollower: a client of a follower blocked in BRPOP
// (which the follower sends to the leader) shows flags=b in the follower's
// CLIENT LIST, as a blocked client does on Redis (unit/type/list "SWAPDB
// wants to wake blocked client, but the key already expired"), and is
// counted in INFO blocked_clients; both end when it is served. Before,
// CLIENT LIST showed flags=N.
func TestBlockedFlagThroughFollower(t *testing.T) {
	_, _, follower := startClusterWithFollower(t)
	blocked := follower.Client(noRetries).Conn()
	defer blocked.Close()
	id, err := blocked.ClientID(ctx).Result()
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- blocked.BRPop(ctx, 0, "bk").Err() }()
	other := follower.Client(noRetries)
	flags := func() string {
		line, _ := other.Do(ctx, "client", "list", "id", id).Text()
		for _, f := range strings.Fields(line) {
			if strings.HasPrefix(f, "flags=") {
				return f
			}
		}
		return line
	}
	waitFor(t, 5*time.Second, func() error {
		if f := flags(); f != "flags=b" {
			return fmt.Errorf("CLIENT LIST of the blocked client: %s, want flags=b", f)
		}
		return nil
	})
	if info := other.Info(ctx, "clients").Val(); !strings.Contains(info, "blocked_clients:1\r\n") {
		t.Errorf("INFO clients while one client is blocked:\n%s", info)
	}
	if err := other.LPush(ctx, "bk", "v").Err(); err != nil {
		t.Fatal(err)
	}
	if err := <-served; err != nil {
		t.Fatal(err)
	}
	if f := flags(); f != "flags=N" {
		t.Errorf("CLIENT LIST once served: %s, want flags=N", f)
	}
}

// TestBlockedClientLeavesThroughFollower: a client of a follower blocked
// in BRPOP (held by the leader) closes its connection; both nodes stop
// counting it in INFO blocked_clients, and a later LPUSH is not taken by
// it. Before, the follower waited for the leader's reply for ever (timeout
// 0), and both nodes kept counting the client (Redis's unit/type/stream
// then timed out waiting for the blocked clients of its later tests).
func TestBlockedClientLeavesThroughFollower(t *testing.T) {
	_, leader, follower := startClusterWithFollower(t)
	nc := follower.Dial()
	if _, err := nc.Write([]byte("*3\r\n$5\r\nBRPOP\r\n$2\r\nlk\r\n$1\r\n0\r\n")); err != nil {
		t.Fatal(err)
	}
	fc, lc := follower.Client(noRetries), leader.Client(noRetries)
	blockedIs := func(want string) func() error {
		return func() error {
			for name, c := range map[string]*redis.Client{"follower": fc, "leader": lc} {
				if info := c.Info(ctx, "clients").Val(); !strings.Contains(info, "blocked_clients:"+want+"\r\n") {
					return fmt.Errorf("%s: INFO clients has no blocked_clients:%s:\n%s", name, want, info)
				}
			}
			return nil
		}
	}
	waitFor(t, 5*time.Second, blockedIs("1"))
	nc.Close()
	waitFor(t, 5*time.Second, blockedIs("0"))
	if err := fc.LPush(ctx, "lk", "v").Err(); err != nil {
		t.Fatal(err)
	}
	if n, err := lc.LLen(ctx, "lk").Result(); err != nil || n != 1 {
		t.Errorf("LLEN after the blocked client left: %d, %v; want 1", n, err)
	}
}
