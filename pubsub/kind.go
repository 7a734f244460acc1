package pubsub

// Kind is a kind of subscription: a channel (SUBSCRIBE), a pattern
// (PSUBSCRIBE) or a shard channel (SSUBSCRIBE). Each has its own
// namespace: PUBLISH reaches channels and patterns, SPUBLISH shard
// channels only.
type Kind uint8

// The kinds of subscription.
const (
	Channel Kind = iota
	Pattern
	Shard
	numKinds
)

// kindNames are the words of a kind's replies: the confirmation of a
// subscription, of an unsubscription, and a message's type.
var kindNames = [numKinds]struct{ sub, unsub, message string }{
	Channel: {"subscribe", "unsubscribe", "message"},
	Pattern: {"psubscribe", "punsubscribe", "pmessage"},
	Shard:   {"ssubscribe", "sunsubscribe", "smessage"},
}

// SubscribeWord is the first element of a subscription's confirmation.
func (k Kind) SubscribeWord() string { return kindNames[k].sub }

// UnsubscribeWord is the first element of an unsubscription's confirmation.
func (k Kind) UnsubscribeWord() string { return kindNames[k].unsub }
