package protocol

import (
	"strconv"

	"github.com/geetcache/geetcache/datatypes"
	"github.com/geetcache/geetcache/datatypes/rdb"
)

// The replication stream (Redis 7.0's SYNC/PSYNC command stream) is made
// inside the state machine, as each command applies: what a command
// propagates is decided by the state it ran on and changed, so every node
// makes the same stream from the same log.
//
// Redis propagates a command only when it changed the dataset, verbatim
// unless the command has a rewrite (propagate_rules.go): relative and
// absolute TTLs become PXAT/PEXPIREAT, random and blocking commands their
// effects. A write command that has neither a rule nor a deterministic
// verbatim form propagates its effect per key (fallback: DEL, or RESTORE
// of the value with its absolute TTL), so that a replica always ends up
// holding what this node holds.

// ReplOp is one command of the replication stream, to run in database DB.
type ReplOp struct {
	DB   int
	Argv [][]byte
}

// ReplLog collects, for the state machine, the commands one call (a
// client's command, a MULTI block, a script) propagates. It is used by
// the state machine's goroutine only.
type ReplLog struct {
	// Ops is what the call propagated so far, in order.
	Ops []ReplOp
	// Changes counts the key changes the keyspace reported (the state
	// machine's Recorder adds to it); Keys holds the keys changed, for the
	// fallback. A key an expiry removed is counted by Expired, not here.
	Changes int
	Keys    []string
	// NoMulti is set when the call touches arbitrary keys (Redis's
	// CMD_TOUCHES_ARBITRARY_KEYS: SCAN, RANDOMKEY, KEYS): its ops are not
	// wrapped in MULTI/EXEC.
	NoMulti bool
}

// ReplMark is where a ReplLog stood before a command ran (Mark).
type ReplMark struct{ changes, keys int }

// Mark returns where l stands, to tell after a command whether it
// changed anything, and which keys (Called).
func (l *ReplLog) Mark() ReplMark { return ReplMark{l.Changes, len(l.Keys)} }

// Modified counts a key a write changed (a datatypes.Recorder's call).
func (l *ReplLog) Modified(key string) {
	l.Changes++
	if len(l.Keys) < maxFallbackKeys {
		l.Keys = append(l.Keys, key)
	}
}

// maxFallbackKeys bounds the keys kept for the fallback; a command that
// changed more keys has no fallback rule anyway (FLUSHALL, SWAPDB).
const maxFallbackKeys = 1 << 16

// Flushed counts a FLUSHALL or FLUSHDB.
func (l *ReplLog) Flushed() { l.Changes++ }

// Expired records that a writer removed key of database db because its
// TTL had passed: Redis propagates that as DEL (lazyfree-lazy-expire no).
// The removal's own change report (just made) is not the command's.
func (l *ReplLog) Expired(db int, key string) {
	l.Changes--
	if n := len(l.Keys); n > 0 && l.Keys[n-1] == key {
		l.Keys = l.Keys[:n-1]
	}
	l.add(db, []byte("DEL"), []byte(key))
}

// Evicted records that eviction removed key of database db: DEL.
func (l *ReplLog) Evicted(db int, key []byte) { l.add(db, []byte("DEL"), key) }

// Reset empties l for the next call.
func (l *ReplLog) Reset() {
	clear(l.Ops)
	clear(l.Keys)
	l.Ops, l.Keys, l.Changes, l.NoMulti = l.Ops[:0], l.Keys[:0], 0, false
}

func (l *ReplLog) add(db int, argv ...[]byte) {
	l.Ops = append(l.Ops, ReplOp{DB: db, Argv: argv})
}

// Called records what cmd, just run with c (its reply is reply, c.DBIndex
// the database it left selected), propagates. db is the database it ran
// in and mark the change count before it ran (Mark). A command that
// changed nothing (no key reported changed, no dirty count) propagates nothing, except the few Redis propagates
// whenever they succeed (FLUSHALL, SWAPDB, FUNCTION LOAD...).
func (l *ReplLog) Called(cmd *Command, c *Ctx, db int, mark ReplMark, reply []byte) {
	if arbitraryKeys[cmd.Name] {
		l.NoMulti = true
	}
	if cmd.FlagsFor(c.Args)&(Write|MayReplicate) == 0 || effectsOnly[cmd.Name] { // MayReplicate: PFCOUNT storing a count
		return
	}
	changed := l.Changes > mark.changes || c.Dirty != nil && c.Dirty.Amount() > 0 // Redis's rule: server.dirty grew
	if said := changedByReply[cmd.Name]; said != nil && said(c.Args, reply) {
		changed = true // Redis counts the change even when the TTL set is the one held
	}
	if !changed && !(alwaysPropagated[cmd.Name] && !isErrorReply(reply)) {
		return
	}
	call := replCall{log: l, c: c, db: db, reply: reply, keys: l.Keys[min(len(l.Keys), mark.keys):]}
	if rule := replRules[cmd.Name]; rule != nil {
		rule(&call)
		return
	}
	if fallbackCommands[cmd.Name] {
		call.fallback()
		return
	}
	call.verbatim()
}

func isErrorReply(reply []byte) bool { return len(reply) > 0 && reply[0] == '-' }

// replCall is one command's propagation being decided.
type replCall struct {
	log   *ReplLog
	c     *Ctx
	db    int
	reply []byte
	keys  []string // keys the command changed (fallback), may repeat
}

func (r *replCall) emit(argv ...[]byte) { r.log.add(r.db, argv...) }

// verbatim propagates the command as it was called.
func (r *replCall) verbatim() { r.emit(cloneArgv(r.c.Args)...) }

// keyspace is the database the command ran in.
func (r *replCall) keyspace() *datatypes.Keyspace { return r.c.DBs.DB(r.db) }

// fallback propagates the command's effect on each key it changed: DEL
// for a key now gone, else RESTORE of its value (REPLACE, ABSTTL with its
// expiry), so a replica holds exactly this node's value.
func (r *replCall) fallback() {
	ks := r.keyspace()
	seen := map[string]bool{}
	for _, k := range r.keys {
		if seen[k] {
			continue
		}
		seen[k] = true
		e := ks.Lookup(k, r.c.Now)
		if e == nil {
			r.emit([]byte("DEL"), []byte(k))
			continue
		}
		payload := rdb.Dump(e.Value, ks.EncodingLimits())
		r.emit([]byte("RESTORE"), []byte(k), strconv.AppendInt(nil, e.ExpireAt, 10), payload, []byte("REPLACE"), []byte("ABSTTL"))
	}
}

func cloneArgv(argv [][]byte) [][]byte {
	out := make([][]byte, len(argv))
	for i, a := range argv {
		out[i] = append([]byte(nil), a...)
	}
	return out
}

// AppendMultiBulk appends argv as a RESP array of bulk strings.
func AppendMultiBulk(b []byte, argv [][]byte) []byte {
	b = strconv.AppendInt(append(b, '*'), int64(len(argv)), 10)
	b = append(b, '\r', '\n')
	for _, a := range argv {
		b = strconv.AppendInt(append(b, '$'), int64(len(a)), 10)
		b = append(append(append(b, '\r', '\n'), a...), '\r', '\n')
	}
	return b
}
