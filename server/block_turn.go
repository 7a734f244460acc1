package server

import (
	"runtime"
	"time"

	"github.com/geetcache/geetcache/datatypes"
	"github.com/geetcache/geetcache/protocol"
)

// A blocking pop that arrives while other clients are blocked on every key
// it pops from waits for its turn instead of trying at once. Redis serves
// blocked clients, in the order they blocked, right after the write that
// fed their key, before it reads any other client's command; here the
// woken clients retry through the log, so a pop that tried at once could
// reach the log between the write and their retries and take what was
// theirs (Redis's unit/type/list "BRPOPLPUSH with multiple blocked
// clients" sends two pops and a push without waiting). It waits only
// when each key is missing or holds the type it pops (a key of another
// type answers WRONGTYPE at once, as in Redis); it is woken when the
// clients ahead leave (blocker.remove) or its key changes, and then tries.

// waitTurn reports whether the blocking command of c, queued as w, should
// wait for the blocked clients ahead of it instead of trying now.
func (s *Server) waitTurn(c *client, cmd *protocol.Command, args [][]byte, w *waiter) bool {
	src := popSources(cmd.Name, args)
	if src == nil {
		return false
	}
	letEarlierQueue(arrivalOf(c))
	if !s.blocker.takersAhead(c.db, src, w) {
		return false
	}
	ok := true
	s.view.ViewAt(s.view.LocalTime(), func(dbs *datatypes.DBs, now int64) {
		ks := dbs.DB(c.db)
		if ks == nil {
			ok = false
			return
		}
		for _, k := range src {
			if e := ks.Lookup(string(k), now); e != nil && !popsFrom(cmd.Name, e.Value) {
				ok = false
			}
		}
	})
	return ok
}

// settleTime is how long after its arrival a blocking pop first looks
// for the clients queued ahead of it.
const settleTime = 200 * time.Microsecond

// letEarlierQueue gives a pop that arrived just before this one, on
// another connection, the time to queue (ahead of this one, arrival.go)
// before this one looks: its goroutine runs at about the same time, and
// is most often ready to run now. A pop that arrived on this node less
// than settleTime ago waits until then; any other yields once.
func letEarlierQueue(at arrival) {
	if at.origin == "" && at.at != 0 {
		if d := time.Duration(at.at + int64(settleTime) - time.Now().UnixNano()); d > 0 {
			time.Sleep(min(d, settleTime))
			return
		}
	}
	runtime.Gosched()
}

// popSources returns the keys a blocking pop takes from, nil for any
// other blocking command.
func popSources(name string, args [][]byte) [][]byte {
	switch name {
	case "blpop", "brpop", "bzpopmin", "bzpopmax":
		return args[1 : len(args)-1]
	case "brpoplpush", "blmove":
		return args[1:2]
	case "blmpop", "bzmpop":
		n, ok := protocol.ParseInt(args[2])
		if !ok || n < 1 || int(n) > len(args)-3 {
			return nil
		}
		return args[3 : 3+n]
	}
	return nil
}

// popsFrom reports whether the pop name takes from a value like v.
func popsFrom(name string, v datatypes.Value) bool {
	switch v.(type) {
	case *datatypes.List:
		return name[1] == 'l' || name == "brpop" || name == "brpoplpush"
	case *datatypes.ZSet:
		return name[1] == 'z'
	}
	return false
}

// takersAhead records src, in database db, as the keys w takes from, and
// reports whether every one of them has a waiter that takes from it (not a
// reader, nor a BLMOVE queued on it as its destination) queued before w.
func (b *blocker) takersAhead(db int, src [][]byte, w *waiter) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, k := range src {
		w.sources = append(w.sources, blockKey(db, k))
	}
	for _, key := range w.sources {
		ahead := false
		for _, other := range b.queues[key] {
			if other == w {
				break
			}
			ahead = ahead || !other.reader && other.takes(key)
		}
		if !ahead {
			return false
		}
	}
	return true
}

// takes reports whether w takes from the key named key (a queue name).
func (w *waiter) takes(key string) bool {
	if w.sources == nil {
		return true
	}
	for _, k := range w.sources {
		if k == key {
			return true
		}
	}
	return false
}
