package pubsub

import (
	"fmt"
	"sync"
	"testing"
)

// recorder is a Receiver that keeps what it was pushed.
type recorder struct {
	proto int
	mu    sync.Mutex
	got   []string
}

func (r *recorder) Proto() int { return r.proto }

func (r *recorder) Push(frame []byte) {
	r.mu.Lock()
	r.got = append(r.got, string(frame))
	r.mu.Unlock()
}

func TestPublishReachesSubscribers(t *testing.T) {
	type sub struct {
		who  int
		kind Kind
		name string
	}
	cases := []struct {
		name    string
		subs    []sub
		channel string
		shard   bool
		want    int
		frames  [2][]string // per receiver
	}{
		{"nobody", nil, "a", false, 0, [2][]string{}},
		{"channel", []sub{{0, Channel, "a"}}, "a", false, 1,
			[2][]string{{"*3\r\n$7\r\nmessage\r\n$1\r\na\r\n$2\r\nhi\r\n"}}},
		{"other channel", []sub{{0, Channel, "b"}}, "a", false, 0, [2][]string{}},
		{"pattern", []sub{{0, Pattern, "a*"}}, "ab", false, 1,
			[2][]string{{"*4\r\n$8\r\npmessage\r\n$2\r\na*\r\n$2\r\nab\r\n$2\r\nhi\r\n"}}},
		{"channel and pattern count twice", []sub{{0, Channel, "ab"}, {0, Pattern, "a?"}}, "ab", false, 2,
			[2][]string{{"*3\r\n$7\r\nmessage\r\n$2\r\nab\r\n$2\r\nhi\r\n", "*4\r\n$8\r\npmessage\r\n$2\r\na?\r\n$2\r\nab\r\n$2\r\nhi\r\n"}}},
		{"shard is its own namespace", []sub{{0, Channel, "a"}, {1, Shard, "a"}}, "a", true, 1,
			[2][]string{nil, {">3\r\n$8\r\nsmessage\r\n$1\r\na\r\n$2\r\nhi\r\n"}}},
		{"publish skips shard subscribers", []sub{{1, Shard, "a"}, {0, Pattern, "*"}}, "a", false, 1,
			[2][]string{{"*4\r\n$8\r\npmessage\r\n$1\r\n*\r\n$1\r\na\r\n$2\r\nhi\r\n"}}},
		{"two receivers, RESP2 and RESP3", []sub{{0, Channel, "a"}, {1, Channel, "a"}}, "a", false, 2,
			[2][]string{{"*3\r\n$7\r\nmessage\r\n$1\r\na\r\n$2\r\nhi\r\n"}, {">3\r\n$7\r\nmessage\r\n$1\r\na\r\n$2\r\nhi\r\n"}}},
		{"subscribed twice counts once", []sub{{0, Channel, "a"}, {0, Channel, "a"}}, "a", false, 1,
			[2][]string{{"*3\r\n$7\r\nmessage\r\n$1\r\na\r\n$2\r\nhi\r\n"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := NewBroker()
			rs := [2]*recorder{{proto: 2}, {proto: 3}}
			for _, s := range tc.subs {
				b.Subscribe(rs[s.who], s.kind, s.name, func() {})
			}
			if got := b.Receivers([]byte(tc.channel), tc.shard); got != tc.want {
				t.Errorf("Receivers = %d, want %d", got, tc.want)
			}
			if got := b.Publish([]byte(tc.channel), []byte("hi"), tc.shard); got != tc.want {
				t.Errorf("Publish = %d, want %d", got, tc.want)
			}
			for i, r := range rs {
				if fmt.Sprint(r.got) != fmt.Sprint(tc.frames[i]) {
					t.Errorf("receiver %d got %q, want %q", i, r.got, tc.frames[i])
				}
			}
		})
	}
}

func TestUnsubscribeAndIntrospection(t *testing.T) {
	b := NewBroker()
	r1, r2 := &recorder{proto: 2}, &recorder{proto: 2}
	steps := []struct {
		name string
		do   func() bool
		want bool
	}{
		{"r1 a", func() bool { return b.Subscribe(r1, Channel, "a", func() {}) }, true},
		{"r2 a", func() bool { return b.Subscribe(r2, Channel, "a", func() {}) }, true},
		{"r1 a again", func() bool { return b.Subscribe(r1, Channel, "a", func() {}) }, false},
		{"r1 foo*", func() bool { return b.Subscribe(r1, Pattern, "foo*", func() {}) }, true},
		{"r2 foo*", func() bool { return b.Subscribe(r2, Pattern, "foo*", func() {}) }, true},
		{"r2 bar*", func() bool { return b.Subscribe(r2, Pattern, "bar*", func() {}) }, true},
		{"r1 shard s", func() bool { return b.Subscribe(r1, Shard, "s", func() {}) }, true},
		{"r1 unsub b", func() bool { return b.Unsubscribe(r1, Channel, "b", func() {}) }, false},
	}
	for _, s := range steps {
		if got := s.do(); got != s.want {
			t.Fatalf("%s: %v, want %v", s.name, got, s.want)
		}
	}
	if got := b.NumSub(Channel, []byte("a")); got != 2 {
		t.Errorf("NumSub a = %d", got)
	}
	if got := b.NumPat(); got != 2 {
		t.Errorf("NumPat = %d", got)
	}
	if got := fmt.Sprint(b.Channels(Channel, nil), b.Channels(Shard, nil), b.Channels(Channel, []byte("x*"))); got != "[a] [s] []" {
		t.Errorf("Channels = %s", got)
	}
	b.Unsubscribe(r1, Channel, "a", func() {})
	b.Unsubscribe(r2, Channel, "a", func() {})
	b.Unsubscribe(r2, Pattern, "foo*", func() {})
	if got := fmt.Sprint(b.Channels(Channel, nil), b.NumPat(), b.Publish([]byte("foo1"), []byte("m"), false)); got != "[] 2 1" {
		t.Errorf("after unsubscribing: %s", got)
	}
}

// TestConfirmOrdersMessages checks that a message published concurrently
// with a subscription is queued after its confirmation, never before.
func TestConfirmOrdersMessages(t *testing.T) {
	for i := 0; i < 200; i++ {
		b := NewBroker()
		r := &recorder{proto: 2}
		done := make(chan struct{})
		go func() {
			defer close(done)
			for j := 0; j < 20; j++ {
				b.Publish([]byte("a"), []byte("m"), false)
			}
		}()
		b.Subscribe(r, Channel, "a", func() { r.Push([]byte("confirm")) })
		<-done
		r.mu.Lock()
		if len(r.got) == 0 || r.got[0] != "confirm" {
			t.Fatalf("run %d: first push %q, want the confirmation", i, r.got)
		}
		r.mu.Unlock()
	}
}
