// Package pubsub is a node's publish/subscribe broker: who is subscribed to
// which channel, pattern or shard channel on this node, and the delivery of
// a published message to them.
//
// Messages reach the broker from the state machine, in log order, as each
// PUBLISH or SPUBLISH entry is applied (cluster.FSM); every node runs its own
// broker for its own connections, so every subscriber on every node sees
// the same sequence. Publish never blocks: it appends a frame to each
// receiver's outgoing buffer (Receiver.Push), and the receiver writes it to
// its socket on its own goroutine, cutting itself off when it falls too far
// behind (server's output buffer limits).
package pubsub
