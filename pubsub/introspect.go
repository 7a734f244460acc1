package pubsub

import (
	"slices"

	"github.com/geetcache/geetcache/datatypes"
)

// Channels returns the names of kind k with at least one subscriber on
// this node that match pattern (every name when pattern is nil), sorted
// (PUBSUB CHANNELS, PUBSUB SHARDCHANNELS).
func (b *Broker) Channels(k Kind, pattern []byte) []string {
	b.mu.RLock()
	defer b.mu.RUnlock()
	var out []string
	for name := range b.names[k] {
		if pattern == nil || datatypes.MatchGlob(string(pattern), name, false) {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

// NumSub returns how many connections on this node subscribe to name, of
// kind k (PUBSUB NUMSUB, PUBSUB SHARDNUMSUB).
func (b *Broker) NumSub(k Kind, name []byte) int {
	b.mu.RLock()
	defer b.mu.RUnlock()
	if set := b.names[k][string(name)]; set != nil {
		return len(set.list)
	}
	return 0
}

// Count returns how many distinct names of kind k have a subscriber on
// this node (INFO's pubsub_channels, pubsub_patterns,
// pubsubshard_channels).
func (b *Broker) Count(k Kind) int {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return len(b.names[k])
}

// NumPat returns how many distinct patterns connections on this node
// subscribe to (PUBSUB NUMPAT).
func (b *Broker) NumPat() int {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return len(b.patterns)
}

// Receivers returns how many deliveries a PUBLISH (or, with shard, an
// SPUBLISH) on channel would make on this node now.
func (b *Broker) Receivers(channel []byte, shard bool) int {
	b.mu.RLock()
	defer b.mu.RUnlock()
	if shard {
		if set := b.names[Shard][string(channel)]; set != nil {
			return len(set.list)
		}
		return 0
	}
	n := 0
	if set := b.names[Channel][string(channel)]; set != nil {
		n = len(set.list)
	}
	for _, p := range b.patterns {
		if datatypes.MatchGlob(p, string(channel), false) {
			n += len(b.names[Pattern][p].list)
		}
	}
	return n
}
