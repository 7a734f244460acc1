package cluster

import (
	"github.com/hashicorp/raft"

	"github.com/geetcache/geetcache/protocol"
)

// lazyQueue bounds the reads' expiry requests waiting to be proposed; past
// it they are dropped (active expiry deletes those keys anyway).
const lazyQueue = 64

// ExpireKeys asks for the deletion of keys a read on this node found
// expired but still held (Redis's lazy expiry, whose deletion a tracking
// client is told of): while this node leads, a worker proposes an expiry
// entry for them, which deletes each key only if it has expired by the
// entry's time, as active expiry's do. It never waits, so it may be called
// under the state's read lock; on a follower, or when the queue is full,
// it does nothing.
func (n *Node) ExpireKeys(keys []string) {
	if len(keys) == 0 || n.raft.State() != raft.Leader {
		return
	}
	n.lazyOnce.Do(func() {
		n.lazy = make(chan []string, lazyQueue)
		go n.lazyExpiryLoop()
	})
	select {
	case n.lazy <- keys:
	default:
	}
}

func (n *Node) lazyExpiryLoop() {
	for {
		select {
		case <-n.stop:
			return
		case keys := <-n.lazy:
			argv := make([][]byte, len(keys))
			for i, k := range keys {
				argv[i] = []byte(k)
			}
			e := &protocol.Entry{Kind: protocol.EntryExpire, Units: []protocol.Unit{{Proto: 2, Cmds: [][][]byte{argv}}}}
			if err := n.propose(e); err != nil {
				n.cfg.Logger.Debug("lazy expiry failed", "err", err)
			}
		}
	}
}
