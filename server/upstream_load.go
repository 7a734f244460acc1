package server

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/geetcache/geetcache/cluster"
	"github.com/geetcache/geetcache/datatypes/rdb"
	"github.com/geetcache/geetcache/protocol"
)

// loadUpstream replaces the node's data with the master's RDB payload (a
// mapped file: each record is copied before it is submitted),
// through the log as a client's writes: the payload is checked whole
// first (its CRC-64, every value decoded: rdb.ReadFile), then FLUSHALL
// and FUNCTION FLUSH, then each key as RESTORE key <expiry ms> payload
// ABSTTL REPLACE in its database and each function library as FUNCTION
// RESTORE payload REPLACE. A key already expired is not created, as Redis
// skips it when it loads a file. Until the load ends, reads see the keys
// loaded so far (a Redis replica answers LOADING meanwhile); REPLICAOF NO
// ONE during the load ends it where it is.
func (s *Server) loadUpstream(u *masterLink, payload []byte) error {
	if err := rdb.ReadFile(payload, func(rdb.FileRecord) error { return nil }); err != nil {
		return fmt.Errorf("the master's payload: %w", err)
	}
	l := upstreamApplier{s: s}
	l.submit(0, false, [][]byte{[]byte("FLUSHALL")})
	l.submit(0, false, [][]byte{[]byte("FUNCTION"), []byte("FLUSH")})
	now := time.Now().UnixMilli()
	dbs := uint64(s.databases())
	err := rdb.ReadFile(payload, func(r rdb.FileRecord) error {
		switch {
		case r.Key == nil:
			l.submit(0, false, [][]byte{[]byte("FUNCTION"), []byte("RESTORE"), bytes.Clone(r.Payload), []byte("REPLACE")})
		case r.DB >= dbs:
			return fmt.Errorf("the master's payload has database %d; this node has %d", r.DB, dbs)
		case r.ExpireAt > 0 && r.ExpireAt <= now:
		default:
			l.submit(int(r.DB), false, [][]byte{[]byte("RESTORE"), bytes.Clone(r.Key), []byte(strconv.FormatInt(r.ExpireAt, 10)),
				bytes.Clone(r.Payload), []byte("ABSTTL"), []byte("REPLACE")})
		}
		if len(l.pending) < upstreamWindow {
			return nil
		}
		if u.stopped() {
			return errLoadStopped
		}
		return l.wait()
	})
	if err != nil {
		l.wait()
		return err
	}
	return l.wait()
}

// errLoadStopped ends a load that REPLICAOF NO ONE (or another master)
// interrupted: the keys loaded so far stay.
var errLoadStopped = errors.New("replication stopped during the load")

// upstreamWindow bounds the units the link has in the log's queue at once.
const upstreamWindow = 512

// upstreamApplier submits the master's writes to the log in order and
// waits for them in windows.
type upstreamApplier struct {
	s       *Server
	pending []*cluster.Pending
	failed  int // replies that were errors, logged up to a few
}

// submit queues one command (or a MULTI block, cmds after MULTI and
// before EXEC) for the log, starting in database db.
func (l *upstreamApplier) submit(db int, multi bool, cmds ...[][]byte) {
	u := protocol.Unit{Proto: 2, Multi: multi, Cmds: cmds, DB: db}
	l.pending = append(l.pending, l.s.proposer.Submit(u))
}

// wait waits for every queued unit to be applied; a unit the log could
// not take (no leader: the node is stopping) is an error, a command's
// error reply is logged and passed over, as a Redis replica passes over
// its master's commands that fail.
func (l *upstreamApplier) wait() error {
	var err error
	for i, p := range l.pending {
		reply := p.Reply()
		if len(reply) == 0 || reply[0] != '-' {
			continue
		}
		if notApplied(reply) {
			err = fmt.Errorf("the log did not take the master's writes: %q", reply)
			continue
		}
		if l.failed++; l.failed <= 10 {
			l.s.log.Warn("REPLICAOF: a command from the master failed here", "cmd", string(p.Unit().Cmds[0][0]),
				"reply", string(reply[:min(len(reply), 200)]), "n", i)
		}
	}
	clear(l.pending)
	l.pending = l.pending[:0]
	return err
}
