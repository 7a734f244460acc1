package server

import (
	"sync"
	"sync/atomic"

	"slices"

	"github.com/geetcache/geetcache/protocol"
	"github.com/geetcache/geetcache/pubsub"
)

// subscriptions is what a connection subscribes to, per kind. The serving
// goroutine owns the sets; counts publishes their sizes for CLIENT LIST
// and for the connection's class (a connection with any is of the pubsub
// class: its output limit, RESP2's command restrictions). mu guards the
// sets' changes against another goroutine's snapshot (ACL's check of a
// user's subscribers); the serving goroutine reads them without it.
type subscriptions struct {
	mu     sync.Mutex
	names  [3]map[string]struct{}
	counts [3]atomic.Int64
}

// snapshot returns a kind's names, for a goroutine other than the
// serving one.
func (ss *subscriptions) snapshot(k pubsub.Kind) []string {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	out := make([]string, 0, len(ss.names[k]))
	for n := range ss.names[k] {
		out = append(out, n)
	}
	return out
}

// count is the count a kind's confirmations show: channels and patterns
// together, shard channels apart (as Redis 7.0 counts them).
func (ss *subscriptions) count(k pubsub.Kind) int {
	if k == pubsub.Shard {
		return len(ss.names[pubsub.Shard])
	}
	return len(ss.names[pubsub.Channel]) + len(ss.names[pubsub.Pattern])
}

func (ss *subscriptions) total() int {
	return len(ss.names[0]) + len(ss.names[1]) + len(ss.names[2])
}

// sorted returns a kind's names in byte order (UNSUBSCRIBE without
// arguments answers them in this order; Redis's order is its hash table's).
func (ss *subscriptions) sorted(k pubsub.Kind) []string {
	out := make([]string, 0, len(ss.names[k]))
	for n := range ss.names[k] {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

func (ss *subscriptions) set(k pubsub.Kind, name string, on bool) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if on {
		if ss.names[k] == nil {
			ss.names[k] = map[string]struct{}{}
		}
		ss.names[k][name] = struct{}{}
	} else {
		delete(ss.names[k], name)
	}
	ss.counts[k].Store(int64(len(ss.names[k])))
}

func (s *Server) pubsubCommands() []*protocol.Command {
	const subFlags = protocol.PubSub | protocol.NoScript | protocol.Loading | protocol.Stale
	row := func(name string, arity int, since, summary string, k pubsub.Kind, h func(pubsub.Kind) protocol.HandlerFunc) *protocol.Command {
		return &protocol.Command{Name: name, Arity: arity, Flags: subFlags, Group: "pubsub", Since: since,
			Summary: summary, Handler: h(k)}
	}
	ssub := row("ssubscribe", -2, "7.0.0", "Listen for messages published to the given shard channels", pubsub.Shard, s.subscribe)
	sunsub := row("sunsubscribe", -1, "7.0.0", "Stop listening for messages posted to the given shard channels", pubsub.Shard, s.unsubscribe)
	ssub.FirstKey, ssub.LastKey, ssub.Step = 1, -1, 1
	sunsub.FirstKey, sunsub.LastKey, sunsub.Step = 1, -1, 1
	return []*protocol.Command{
		row("subscribe", -2, "2.0.0", "Listen for messages published to the given channels", pubsub.Channel, s.subscribe),
		row("psubscribe", -2, "2.0.0", "Listen for messages published to channels matching the given patterns", pubsub.Pattern, s.subscribe),
		ssub,
		row("unsubscribe", -1, "2.0.0", "Stop listening for messages posted to the given channels", pubsub.Channel, s.unsubscribe),
		row("punsubscribe", -1, "2.0.0", "Stop listening for messages posted to channels matching the given patterns", pubsub.Pattern, s.unsubscribe),
		sunsub,
		s.pubsubIntrospection(),
	}
}

// SUBSCRIBE channel [channel ...]
// PSUBSCRIBE pattern [pattern ...]
// SSUBSCRIBE shardchannel [shardchannel ...]
//
// Each confirmation is queued under the broker's lock, so it precedes
// every message the subscription brings.
func (s *Server) subscribe(k pubsub.Kind) protocol.HandlerFunc {
	return func(ctx *protocol.Ctx) {
		c := conn(ctx)
		if !s.startPush(c) {
			return
		}
		for _, arg := range ctx.Args[1:] {
			name := string(arg)
			s.broker.Subscribe(c.push, k, name, func() {
				c.subs.set(k, name, true)
				c.setSubscribed(true)
				c.confirm(pubsub.AppendConfirm(nil, c.out.Proto, k.SubscribeWord(), arg, c.subs.count(k)))
			})
		}
	}
}

// UNSUBSCRIBE [channel [channel ...]]
// PUNSUBSCRIBE [pattern [pattern ...]]
// SUNSUBSCRIBE [shardchannel [shardchannel ...]]
//
// Without arguments, from every one of the kind (a null name when there
// are none). The connection leaves the pubsub class when it has no
// subscription of any kind left.
func (s *Server) unsubscribe(k pubsub.Kind) protocol.HandlerFunc {
	return func(ctx *protocol.Ctx) {
		c := conn(ctx)
		names := ctx.Args[1:]
		if len(names) == 0 {
			for _, n := range c.subs.sorted(k) {
				names = append(names, []byte(n))
			}
		}
		if c.push == nil && (c.reply == replyOn || c.execing) { // never subscribed: nothing to leave, no message to order with
			confirmUnsubscribed(ctx.Out, k, names, c.subs.count(k))
			return
		}
		if !s.startPush(c) { // a confirmation is a push: sent even with CLIENT REPLY OFF
			return
		}
		if len(names) == 0 {
			c.confirm(pubsub.AppendConfirm(nil, c.out.Proto, k.UnsubscribeWord(), nil, c.subs.count(k)))
		}
		for _, arg := range names {
			name := string(arg)
			s.broker.Unsubscribe(c.push, k, name, func() {
				c.subs.set(k, name, false)
				c.confirm(pubsub.AppendConfirm(nil, c.out.Proto, k.UnsubscribeWord(), arg, c.subs.count(k)))
			})
		}
		if c.subs.total() == 0 {
			c.setSubscribed(false)
		}
	}
}

// confirm sends a (un)subscription's confirmation: a push, or, inside
// EXEC, an element of EXEC's array (as Redis puts it there).
func (c *client) confirm(frame []byte) {
	if c.execing {
		c.out.Raw(frame)
		return
	}
	c.push.Push(frame)
}

// confirmUnsubscribed answers an unsubscription of a connection that
// never subscribed.
func confirmUnsubscribed(w *protocol.Writer, k pubsub.Kind, names [][]byte, count int) {
	if len(names) == 0 {
		w.Raw(pubsub.AppendConfirm(nil, w.Proto, k.UnsubscribeWord(), nil, count))
	}
	for _, n := range names {
		w.Raw(pubsub.AppendConfirm(nil, w.Proto, k.UnsubscribeWord(), n, count))
	}
}

// unsubscribeAll leaves every subscription without confirmations (RESET,
// and a connection that ends).
func (s *Server) unsubscribeAll(c *client) {
	for k := pubsub.Channel; k <= pubsub.Shard; k++ {
		for _, name := range c.subs.sorted(k) {
			s.broker.Unsubscribe(c.push, k, name, func() { c.subs.set(k, name, false) })
		}
	}
	c.setSubscribed(false)
}
