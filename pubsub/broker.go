package pubsub

import (
	"slices"
	"sync"

	"github.com/geetcache/geetcache/datatypes"
)

// Receiver is a subscribed connection, as the broker sees it.
type Receiver interface {
	// Proto is the connection's RESP version (2 or 3); it may be called
	// from any goroutine.
	Proto() int
	// Push queues frame for the connection. It is called with the
	// broker's lock held, from the state machine's goroutine among
	// others, so it must return at once: append, never write to a
	// socket. It must not keep frame, which is shared.
	Push(frame []byte)
}

// Broker is one node's subscriptions. Its methods may be called
// concurrently. Publish holds a read lock while it pushes, and Subscribe
// and Unsubscribe push their confirmation under the write lock, so a
// connection's confirmation and the messages it receives are queued in
// the order the broker saw them: no message before the confirmation of
// the subscription that brought it, none after the confirmation of the
// unsubscription that ended it.
type Broker struct {
	mu    sync.RWMutex
	names [numKinds]map[string]*receivers
	// patterns lists the names of names[Pattern] in the order they were
	// first subscribed to, so that Publish walks them in a fixed order.
	patterns []string
}

// receivers is a set of receivers in subscription order (a removal moves
// the last one into its place).
type receivers struct {
	list []Receiver
	at   map[Receiver]int
}

// NewBroker returns a broker with no subscriptions.
func NewBroker() *Broker {
	b := &Broker{}
	for k := range b.names {
		b.names[k] = map[string]*receivers{}
	}
	return b
}

// Subscribe subscribes r to name, of kind k, and calls confirm (which
// should push the confirmation to r) before any message can reach r
// through it. It reports whether r was not subscribed to it already.
func (b *Broker) Subscribe(r Receiver, k Kind, name string, confirm func()) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	added := b.add(r, k, name)
	confirm()
	return added
}

// Unsubscribe unsubscribes r from name, of kind k, and calls confirm,
// after which no message reaches r through it. It reports whether r was
// subscribed to it.
func (b *Broker) Unsubscribe(r Receiver, k Kind, name string, confirm func()) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	removed := b.remove(r, k, name)
	confirm()
	return removed
}

func (b *Broker) add(r Receiver, k Kind, name string) bool {
	set := b.names[k][name]
	if set == nil {
		set = &receivers{at: map[Receiver]int{}}
		b.names[k][name] = set
		if k == Pattern {
			b.patterns = append(b.patterns, name)
		}
	}
	if _, ok := set.at[r]; ok {
		return false
	}
	set.at[r] = len(set.list)
	set.list = append(set.list, r)
	return true
}

func (b *Broker) remove(r Receiver, k Kind, name string) bool {
	set := b.names[k][name]
	if set == nil {
		return false
	}
	i, ok := set.at[r]
	if !ok {
		return false
	}
	last := len(set.list) - 1
	set.list[i] = set.list[last]
	set.at[set.list[i]] = i
	set.list[last] = nil
	set.list = set.list[:last]
	delete(set.at, r)
	if len(set.list) == 0 {
		delete(b.names[k], name)
		if k == Pattern {
			b.patterns = slices.DeleteFunc(b.patterns, func(p string) bool { return p == name })
		}
	}
	return true
}

// Publish delivers msg on channel: to the shard channel's subscribers
// when shard is set (SPUBLISH), else to the channel's subscribers, then to
// each pattern's whose pattern matches the channel (PUBLISH). It returns
// how many deliveries it made (a connection subscribed to the channel and
// to a matching pattern counts twice, as in Redis). It never blocks on a
// connection.
func (b *Broker) Publish(channel, msg []byte, shard bool) int {
	b.mu.RLock()
	defer b.mu.RUnlock()
	k := Channel
	if shard {
		k = Shard
	}
	var f frames
	n := b.deliver(b.names[k][string(channel)], &f, k, nil, channel, msg)
	if shard {
		return n
	}
	for _, p := range b.patterns {
		if datatypes.MatchGlob(p, string(channel), false) {
			var pf frames
			n += b.deliver(b.names[Pattern][p], &pf, Pattern, []byte(p), channel, msg)
		}
	}
	return n
}

func (b *Broker) deliver(set *receivers, f *frames, k Kind, pattern, channel, msg []byte) int {
	if set == nil {
		return 0
	}
	for _, r := range set.list {
		r.Push(f.get(r.Proto(), k, pattern, channel, msg))
	}
	return len(set.list)
}

// frames holds one message's push, built once per RESP version.
type frames [2][]byte

func (f *frames) get(proto int, k Kind, pattern, channel, msg []byte) []byte {
	i := 0
	if proto == 3 {
		i = 1
	}
	if f[i] == nil {
		f[i] = appendMessage(nil, proto, k, pattern, channel, msg)
	}
	return f[i]
}
