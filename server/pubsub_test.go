package server

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/geetcache/geetcache/cluster"
	"github.com/geetcache/geetcache/pubsub"
)

// startPubSubServer is a test server whose state machine publishes to the
// server's broker, as cmd/geetcache wires them.
func startPubSubServer(t *testing.T) string {
	t.Helper()
	b := pubsub.NewBroker()
	return startServerWithNode(t, func(cc *cluster.Config) { cc.Publisher = b }, func(c *Config) { c.Broker = b }).addr
}

// messagePayload returns the payload of a RESP2 message push, or "".
func messagePayload(raw string) string {
	if !strings.HasPrefix(raw, "*3\r\n$7\r\nmessage\r\n") {
		return ""
	}
	parts := strings.Split(strings.TrimSuffix(raw, "\r\n"), "\r\n")
	return parts[len(parts)-1]
}

// TestSubscribersSeeOneOrder: publishers pipelining at once, subscribers
// reading, and a connection subscribing and unsubscribing all the while:
// every subscriber receives every message in one order (each publisher's
// in its order), and the churning connection's confirmations count up and
// down in turn. Run with -race in CI: the broker, the push queues and the
// writers meet here.
func TestSubscribersSeeOneOrder(t *testing.T) {
	addr := startPubSubServer(t)
	const publishers, perPublisher, batch = 3, 120, 20
	subs := make([]*rawClient, 4)
	for i := range subs {
		subs[i] = dialRaw(t, addr)
		if got := subs[i].do("SUBSCRIBE", "c"); got != "*3\r\n$9\r\nsubscribe\r\n$1\r\nc\r\n:1\r\n" {
			t.Fatalf("SUBSCRIBE: %q", got)
		}
	}
	churn := dialRaw(t, addr)
	stop := make(chan struct{})
	var churnErr error
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			churn.send("SUBSCRIBE", "other")
			churn.send("PING")
			churn.send("UNSUBSCRIBE", "other")
			want := []string{"*3\r\n$9\r\nsubscribe\r\n$5\r\nother\r\n:1\r\n", "*2\r\n$4\r\npong\r\n$0\r\n\r\n",
				"*3\r\n$11\r\nunsubscribe\r\n$5\r\nother\r\n:0\r\n"}
			for _, w := range want {
				if got := churn.reply(); got != w && churnErr == nil {
					churnErr = fmt.Errorf("round %d: %q, want %q", i, got, w)
				}
			}
		}
	}()
	for p := range publishers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			pub := dialRaw(t, addr)
			for j := 0; j < perPublisher; j += batch {
				for k := j; k < j+batch; k++ {
					pub.send("PUBLISH", "c", fmt.Sprintf("%d-%04d", p, k))
				}
				for range batch {
					pub.reply()
				}
			}
		}()
	}
	var first []string
	for i, s := range subs {
		var got []string
		for len(got) < publishers*perPublisher {
			if m := messagePayload(s.reply()); m != "" {
				got = append(got, m)
			}
		}
		for p := range publishers {
			var mine []string
			for _, m := range got {
				if strings.HasPrefix(m, fmt.Sprintf("%d-", p)) {
					mine = append(mine, m)
				}
			}
			if !slices.IsSorted(mine) || len(mine) != perPublisher {
				t.Fatalf("subscriber %d: publisher %d's %d messages out of order or missing", i, p, len(mine))
			}
		}
		if first == nil {
			first = got
		} else if !slices.Equal(got, first) {
			t.Fatalf("subscriber %d received another order than subscriber 0", i)
		}
	}
	close(stop)
	wg.Wait()
	if churnErr != nil {
		t.Fatalf("the subscribing and unsubscribing connection: %v", churnErr)
	}
}

// TestInfoPubSubCounts: INFO stats counts this node's distinct channels,
// patterns and shard channels with a subscriber, as Redis 7.0 does.
func TestInfoPubSubCounts(t *testing.T) {
	addr := startPubSubServer(t)
	a, b := dialRaw(t, addr), dialRaw(t, addr)
	steps := []struct {
		c    *rawClient
		args []string
		want string // the three INFO lines after the step
	}{
		{a, nil, "pubsub_channels:0 pubsub_patterns:0 pubsubshard_channels:0"},
		{a, []string{"SUBSCRIBE", "x", "y"}, "pubsub_channels:2 pubsub_patterns:0 pubsubshard_channels:0"},
		{b, []string{"SUBSCRIBE", "x"}, "pubsub_channels:2 pubsub_patterns:0 pubsubshard_channels:0"},
		{b, []string{"PSUBSCRIBE", "p*", "q*"}, "pubsub_channels:2 pubsub_patterns:2 pubsubshard_channels:0"},
		{a, []string{"SSUBSCRIBE", "s"}, "pubsub_channels:2 pubsub_patterns:2 pubsubshard_channels:1"},
		{a, []string{"UNSUBSCRIBE", "x", "y"}, "pubsub_channels:1 pubsub_patterns:2 pubsubshard_channels:1"},
		{b, []string{"RESET"}, "pubsub_channels:0 pubsub_patterns:0 pubsubshard_channels:1"},
	}
	info := dialRaw(t, addr)
	for i, st := range steps {
		if st.args != nil {
			st.c.send(st.args...)
			n := len(st.args) - 1
			if st.args[0] == "RESET" {
				n = 1
			}
			for range n {
				st.c.reply()
			}
		}
		var got []string
		for _, l := range strings.Split(info.do("INFO", "stats"), "\r\n") {
			if strings.HasPrefix(l, "pubsub") {
				got = append(got, l)
			}
		}
		if strings.Join(got, " ") != st.want {
			t.Errorf("step %d %q: %q, want %q", i, st.args, got, st.want)
		}
	}
}

// TestClientListShowsQueuedPushes: CLIENT LIST's omem is what a subscriber
// that does not read has queued (before: always 0).
func TestClientListShowsQueuedPushes(t *testing.T) {
	addr := startPubSubServer(t)
	slow := dialRaw(t, addr)
	slow.do("SUBSCRIBE", "big")
	pub := dialRaw(t, addr)
	payload := strings.Repeat("p", 256<<10)
	var omem string
	for i := 0; i < 200 && (omem == "" || omem == "0"); i++ {
		pub.do("PUBLISH", "big", payload)
		for _, l := range strings.Split(pub.do("CLIENT", "LIST", "TYPE", "pubsub"), " ") {
			if v, ok := strings.CutPrefix(l, "omem="); ok {
				omem = v
			}
		}
	}
	if omem == "" || omem == "0" {
		t.Fatalf("a non-reading subscriber's omem stayed %q after 50 MB of messages", omem)
	}
	t.Logf("omem=%s", omem)
}

// TestSubscribeInExecOrder: a SUBSCRIBE inside MULTI while its channel is
// being published to: EXEC's array holds the confirmation, and no message
// of that channel arrives before it (pushes wait while EXEC's reply is
// built), every later one after it.
func TestSubscribeInExecOrder(t *testing.T) {
	addr := startPubSubServer(t)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		pub := dialRaw(t, addr)
		for {
			select {
			case <-stop:
				return
			default:
			}
			pub.do("PUBLISH", "d", "m")
		}
	}()
	defer func() { close(stop); wg.Wait() }()
	const infos = 300
	for round := range 10 {
		sub := dialRaw(t, addr)
		sub.send("MULTI")
		sub.send("SUBSCRIBE", "d")
		for range infos { // EXEC takes a while after the subscription: messages come meanwhile
			sub.send("INFO")
		}
		sub.send("EXEC")
		for _, w := range []string{"+OK\r\n", "+QUEUED\r\n"} {
			if got := sub.reply(); got != w {
				t.Fatalf("round %d: %q, want %q", round, got, w)
			}
		}
		for range infos {
			sub.reply()
		}
		want := "*" + fmt.Sprint(infos+1) + "\r\n*3\r\n$9\r\nsubscribe\r\n$1\r\nd\r\n:1\r\n"
		if got := sub.reply(); !strings.HasPrefix(got, want) {
			t.Fatalf("round %d: %.80q, want EXEC's array starting %q", round, got, want)
		}
		if got := sub.reply(); got != "*3\r\n$7\r\nmessage\r\n$1\r\nd\r\n$1\r\nm\r\n" {
			t.Fatalf("round %d: after EXEC %q, want a message", round, got)
		}
		sub.nc.Close()
	}
}
