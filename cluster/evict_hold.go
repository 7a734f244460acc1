package cluster

// HoldEviction gives the node held, asked before each eviction round and
// each OOM judgement: while it answers true, the node neither evicts nor
// refuses a write for memory, as a Redis replica with
// replica-ignore-maxmemory yes leaves eviction to its master.
func (n *Node) HoldEviction(held func() bool) { n.evict.held.Store(&held) }

// evictionHeld reports whether eviction is held now.
func (n *Node) evictionHeld() bool {
	p := n.evict.held.Load()
	return p != nil && (*p)()
}
