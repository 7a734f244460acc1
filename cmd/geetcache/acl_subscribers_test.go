package main

import (
	"bufio"
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestSubscribersKilledOnRevoke is Redis's unit/acl "Subscribers are
// killed when revoked of channel permission" (channel, shard channel),
// "... of pattern permission", "... of allchannels permission" and
// "Subscribers are pardoned if literal permissions are retained and/or
// gaining allchannels": a subscriber whose user loses the permission of
// one of its subscriptions is disconnected (Redis does it before ACL
// SETUSER answers; geetcache right after the change is applied), one that
// keeps them stays.
func TestSubscribersKilledOnRevoke(t *testing.T) {
	n := startNode(t)
	admin := n.Client(noRetries)
	if err := admin.Do(ctx, "ACL", "SETUSER", "psuser", "on", ">pspass", "+acl", "+client", "+@pubsub", "+ping").Err(); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, grant, revoke string
		subs                [][]string
		killed              bool
	}{
		{"channel", "&foo:1", "", [][]string{{"SUBSCRIBE", "foo:1"}}, true},
		{"shard channel", "&foo:1", "", [][]string{{"SSUBSCRIBE", "foo:1"}}, true},
		{"pattern", "&bar:*", "", [][]string{{"PSUBSCRIBE", "bar:*"}}, true},
		{"allchannels", "allchannels", "", [][]string{{"PSUBSCRIBE", "foo"}}, true},
		{"pardoned", "&foo:1 &bar:* &orders", "&foo:1 &bar:* &orders &baz:qaz &zoo:*",
			[][]string{{"SUBSCRIBE", "foo:1"}, {"SSUBSCRIBE", "orders"}, {"PSUBSCRIBE", "bar:*"}}, false},
		{"pardoned, allchannels", "&foo:1 &bar:* &orders", "allchannels",
			[][]string{{"SUBSCRIBE", "foo:1"}, {"SSUBSCRIBE", "orders"}, {"PSUBSCRIBE", "bar:*"}}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if err := admin.Do(ctx, append([]any{"ACL", "SETUSER", "psuser", "resetchannels"}, anyArgs(strings.Fields(tc.grant))...)...).Err(); err != nil {
				t.Fatal(err)
			}
			c := n.Dial()
			defer c.Close()
			r := bufio.NewReader(c)
			cmds := append([][]string{{"AUTH", "psuser", "pspass"}, {"CLIENT", "SETNAME", "sub"}}, tc.subs...)
			for _, cmd := range cmds {
				c.SetDeadline(time.Now().Add(5 * time.Second))
				c.Write(appendCommand(nil, cmd...))
				if rep, err := (&respReader{r: r}).read(); err != nil || rep.kind == '-' {
					t.Fatalf("%v: %q %v", cmd, rep.raw, err)
				}
			}
			if err := admin.Do(ctx, append([]any{"ACL", "SETUSER", "psuser", "resetchannels"}, anyArgs(strings.Fields(tc.revoke))...)...).Err(); err != nil {
				t.Fatal(err)
			}
			listed := func() bool {
				l, err := admin.ClientList(ctx).Result()
				if err != nil {
					t.Fatal(err)
				}
				return strings.Contains(l, "name=sub ")
			}
			if tc.killed {
				waitFor(t, 5*time.Second, func() error {
					if listed() {
						return fmt.Errorf("the subscriber is still connected")
					}
					return nil
				})
				if _, err := readUntilClosed(c, 5*time.Second); err != nil {
					t.Fatal(err)
				}
				return
			}
			c.Write(appendCommand(nil, "PING"))
			if rep, err := (&respReader{r: r}).read(); err != nil || !strings.Contains(string(rep.raw), "pong") {
				t.Fatalf("the pardoned subscriber's PING: %q %v", rep.raw, err)
			}
			if !listed() {
				t.Fatal("the pardoned subscriber is gone")
			}
		})
	}
}
