package server

import (
	"time"

	"github.com/geetcache/geetcache/datatypes"
	"github.com/geetcache/geetcache/protocol"
)

// Lazy expiry (docs/consistency.md, "Lazy expiry on read"): a read that
// finds keys held past their expiry (hidden from it, not yet deleted: the
// leader's active expiry is off, DEBUG SET-ACTIVE-EXPIRE 0, or has not got
// to them) asks the leader to delete them through the log, as Redis
// deletes an expired key a lookup meets; the connection's next command
// waits until that deletion is applied, so it sees the keys gone (DBSIZE
// counts them no more), and keyspace events, trackers and every replica
// see the deletion as the log's.

// lazyExpirer is the node's lazy expiry (cluster.Node.ExpireKeys).
type lazyExpirer interface {
	ExpireKeys(db int, keys []string) <-chan struct{}
}

// expireRead asks for the deletion of the keys of a read (cmd with args,
// just run on ks at now) that are held but expired; nothing while this
// node's clients are paused (CLIENT PAUSE: pause.go). Called under the
// read lock: it only looks and queues.
func (s *Server) expireRead(c *client, ks *datatypes.Keyspace, now int64, cmd *protocol.Command, args [][]byte) {
	le, ok := s.admin.(lazyExpirer)
	if !ok || s.pause.on.Load() || !ks.HoldsExpired(now) {
		return
	}
	var expired []string
	if walksKeys[cmd.Name] {
		expired = ks.ExpiredKeys(now, walkExpiredMax)
	}
	for _, k := range keysOf(cmd, args) {
		if ks.HeldExpired(string(k), now) {
			expired = append(expired, string(k))
		}
	}
	var done <-chan struct{}
	switch {
	case s.router.IsLeader():
		done = le.ExpireKeys(c.db, expired)
	case !c.readonly: // a READONLY connection's reads stay local
		done = s.askLeader(c.db, expired)
	}
	if done != nil {
		c.expiring = done
	}
}

// walksKeys are the reads that meet keys they do not name: Redis's SCAN
// and RANDOMKEY delete each expired key they come across. Here they ask
// for the deletion of the database's expired keys, oldest first, up to
// walkExpiredMax at a time (a SCAN may not have visited all of them: the
// keys are hidden from reads either way, and were due for deletion).
var walksKeys = map[string]bool{"scan": true, "randomkey": true}

const walkExpiredMax = 64

// awaitExpiry waits until the deletion c's last read asked for is applied,
// at most the election wait (after which the command goes on: the keys
// stay hidden from reads either way).
func (s *Server) awaitExpiry(c *client) {
	if c.expiring == nil {
		return
	}
	t := time.NewTimer(s.cfg.ElectionWait)
	defer t.Stop()
	select {
	case <-c.expiring:
	case <-t.C:
	}
	c.expiring = nil
}
