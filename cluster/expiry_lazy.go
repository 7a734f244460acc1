package cluster

import (
	"github.com/hashicorp/raft"

	"github.com/geetcache/geetcache/protocol"
)

// lazyQueue bounds the reads' expiry requests waiting to be proposed; past
// it they are dropped (active expiry deletes those keys anyway).
const lazyQueue = 64

// lazyRequest is one read's expiry request: keys of database db; done is
// closed once the entry deleting them has been applied, or it failed.
type lazyRequest struct {
	db   int
	keys []string
	done chan struct{}
}

// ExpireKeys asks for the deletion of keys of database db that a read on
// this node found expired but still held (Redis's lazy expiry): while this
// node leads, a worker proposes an expiry entry for them, which deletes
// each key only if it has expired by the entry's time, as active expiry's
// do, so the deletion reaches every replica, keyspace events ("expired")
// and trackers through the log. It never waits, so it may be called under
// the state's read lock. The channel it returns is closed once that entry
// has been applied on this node (or proposing it failed): a connection
// waits for it before its next command, so that command sees the keys
// gone, as in Redis. It returns nil when it asks nothing: no keys, a
// follower (the leader's active expiry deletes them), expiry held
// (HoldExpiry), or a full queue.
func (n *Node) ExpireKeys(db int, keys []string) <-chan struct{} {
	if len(keys) == 0 || n.raft.State() != raft.Leader || n.expiry.held.Load() {
		return nil
	}
	n.lazyOnce.Do(func() {
		n.lazy = make(chan lazyRequest, lazyQueue)
		go n.lazyExpiryLoop()
	})
	req := lazyRequest{db: db, keys: keys, done: make(chan struct{})}
	select {
	case n.lazy <- req:
		return req.done
	default:
		return nil
	}
}

// lazyExpiryLoop proposes the requests waiting, in order, several in one
// entry (one unit each), and tells each request's reader when it is
// applied.
func (n *Node) lazyExpiryLoop() {
	for {
		select {
		case <-n.stop:
			return
		case req := <-n.lazy:
			reqs := n.drainLazy([]lazyRequest{req})
			e := &protocol.Entry{Kind: protocol.EntryExpire}
			for _, r := range reqs {
				argv := make([][]byte, len(r.keys))
				for i, k := range r.keys {
					argv[i] = []byte(k)
				}
				e.Units = append(e.Units, protocol.Unit{Proto: 2, DB: r.db, Cmds: [][][]byte{argv}})
			}
			if err := n.propose(e); err != nil {
				n.cfg.Logger.Debug("lazy expiry failed", "err", err)
			}
			for _, r := range reqs {
				close(r.done)
			}
		}
	}
}

// drainLazy appends the requests already waiting to reqs.
func (n *Node) drainLazy(reqs []lazyRequest) []lazyRequest {
	for len(reqs) < lazyQueue {
		select {
		case r := <-n.lazy:
			reqs = append(reqs, r)
		default:
			return reqs
		}
	}
	return reqs
}
