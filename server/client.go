package server

import (
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/geetcache/geetcache/cluster"
	"github.com/geetcache/geetcache/protocol"
	"github.com/geetcache/geetcache/scripting"
)

// client is one connection's state. Fields under mu are read by CLIENT LIST
// and INFO from other goroutines; the rest belong to the serving goroutine.
type client struct {
	pathReply cluster.PathMark // when a reply was taken (stage timing, cluster/pathtimes.go)
	id        int64
	nc        net.Conn
	created   time.Time
	out       protocol.Writer
	quit      bool
	rd        *reader
	cmdName   string // the last command run, published by touch
	// db is the selected database (SELECT), below dbLimit, the number of
	// databases; read by CLIENT LIST under mu (dbShown).
	db, dbLimit int
	ctx         protocol.Ctx // reused by read groups
	pass        viewPass     // ViewAt's callbacks, bound once (dispatch.go)
	// expiring is closed once the deletion of the expired keys this
	// connection's last read found is applied (lazy_expiry.go); nil: none
	// asked.
	expiring <-chan struct{}
	batch    batch // the pipeline being run; its arrays are reused by the next (conn.go)
	// events publishes the keymiss events of this connection's reads
	// (readEvents).
	events protocol.Events
	calls  []call // the pipeline being run, resolved (route.go)
	// readonly (READONLY) serves reads from local state without the
	// read barrier: possibly stale, on any node.
	readonly bool
	// upstream is this connection's link to the leader, for commands a
	// follower forwards; nil until needed.
	upstream *upstream
	// forwards counts requests sent to the leader (upstreamFor calls).
	forwards uint64
	// readonlyAt is forwards when a READONLY read (or INFO, CONFIG GET,
	// FUNCTION STATS: catchup.go) last made sure this node applied what
	// the connection sent to the leader (readYourWrites).
	readonlyAt uint64
	// multi is the open transaction, between MULTI and EXEC or DISCARD.
	multi *multiState
	// watch is what WATCH saw, until EXEC, DISCARD or UNWATCH.
	watch *protocol.Watch
	// probing is set while a script that may write runs as a read first
	// (probe.go); probeNeed is what it reported.
	probing   bool
	probeNeed scripting.ProbeNeed
	// probeSeen is forwards when a try behind the read barrier last ran
	// (probe.go): a follower tries a script on its local state only if
	// nothing was sent to the leader since.
	probeSeen uint64
	// probeDeny is the error a probe's first write gets instead of
	// stopping it ("": none; min_replicas.go).
	probeDeny string
	// replicasUnknown: the leader could not say whether it lacks good
	// replicas for the call being routed, so the call goes to it
	// (min_replicas_follower.go).
	replicasUnknown bool
	// probeOOM: memory was above maxmemory when the probe started, so its
	// first write, if denyoom, fails (script_oom.go).
	probeOOM bool
	// probeACL: the connection's user has restrictions, so its probe runs
	// up to the first write for the calls' ACL checks, even for a known
	// writer (probe.go).
	probeACL bool
	// acl is the connection's user and whether it authenticated.
	acl aclState
	// aclCheck checks a script's call against the user (acl.go); nil
	// without ACL.
	aclCheck func(argv [][]byte, log bool) string
	// stale reports whether the node is a stale replica now (ScriptStale).
	stale func() bool
	// stat is the counters of the call being routed (cmdstats_count.go);
	// replyMark is where in out.B the reply of a call that settled the
	// pipeline's writes itself (a probe, EXEC) begins.
	stat *cmdStat
	cur  *call // the call being routed, for the slow log (slowcall.go)
	// replica is set once the connection sent SYNC or PSYNC; replPort and
	// replAddr are what its REPLCONF said (replication.go).
	replica            atomic.Bool
	replPort, replAddr string
	// monitoring is set while the connection is a MONITOR (monitor.go).
	monitoring atomic.Bool
	monitorFed *call // the script call last shown to the monitors
	replyMark  int
	marks      []int // where each reply of a group of reads begins (readSome)
	// scriptCalls are the commands of a script's try, counted once it is
	// final (cmdstats_scripts.go).
	scriptCalls []scriptCall
	// push, once the connection has subscribed, carries all its output
	// (pubsub_out.go); subs is what it subscribes to.
	push     *pushOut
	pushView atomic.Pointer[pushOut] // push, for other goroutines (CLIENT LIST)
	subs     subscriptions
	// waiting is the waiter of the connection while it is blocked (past
	// its first attempt), for CLIENT UNBLOCK; nil otherwise.
	waiting atomic.Pointer[waiter]
	// blockedAtLeader is set while a blocking command this follower sent
	// to the leader waits there (forwardOnce), for CLIENT LIST's b flag.
	blockedAtLeader atomic.Bool
	// paused is set while CLIENT PAUSE holds the connection's command
	// (pause_hold.go), for CLIENT LIST's b flag.
	paused atomic.Bool
	// keyStats counts this connection's read lookups (keyspace_hits and
	// keyspace_misses); foldedHits and foldedMisses is what the server
	// took of them into its own count when it stopped listing the client
	// (keystats.go). Under the server's mu.
	keyStats                 protocol.KeyStats
	foldedHits, foldedMisses int64
	// probeStats counts a script's try as a read (probe.go), kept only
	// when that try answers it.
	probeStats protocol.KeyStats
	// idAtLeader is, while blockedAtLeader, the ID the leader gave the
	// connection's link (0: unknown), for CLIENT UNBLOCK (unblock_leader.go).
	idAtLeader atomic.Int64
	// execing is set while EXEC runs its connection commands (execMixed).
	execing bool
	// subscribed is set while the connection has any subscription: it is
	// then of the pubsub class.
	subscribed atomic.Bool
	// reply is CLIENT REPLY's mode; replyOnNow is set by CLIENT REPLY ON
	// (client_reply.go).
	reply      replyMode
	replyOnNow bool
	// trk is CLIENT TRACKING's mode (tracking.go); mailbox holds the
	// invalidations that wait while the connection runs commands
	// (tracking_send.go); origin, on a follower's link to the leader, is
	// the mark its writes carry (RAFT ORIGIN).
	trk        trackState
	scriptRead bool // a script run now called a read-only command
	mailbox    mailbox
	origin     string
	// queuedByFollower: the next transaction's commands were queued, and
	// judged against maxmemory, on a follower (RAFT QUEUED; roomFor judges
	// only its EXEC here), until that EXEC.
	queuedByFollower bool
	// forwarded is when the next blocking command of a follower's link
	// arrived at that follower (RAFT ARRIVED, arrival.go), until the batch
	// ends.
	forwarded arrival
	// streamWin is when this pipeline's blocking XREADGROUP may have met
	// another client's change before it was queued (stream_gone.go).
	streamWin streamWindow
	// xreadFrom is when this pipeline's blocking XREAD arrived here (unix
	// ns; 0 when unknown or not the pipeline's first call:
	// xread_retyped.go).
	xreadFrom int64
	// member caches fromMember: 0 not asked yet, 1 a node's connection,
	// -1 not (member_link.go).
	member int8
	// handoffs counts the times its replies went to the push queue
	// (handoff), which empties out.B under a quiet call's mark.
	handoffs int

	// The reply side (reply_write.go): out.B[:sent] is written; tried is
	// pendingOut at the last write attempt; softSince is when the pending
	// output went above the soft limit; werr is the error that ends the
	// connection (a failed write, the output limit, shutdown).
	sent          int
	tried         int
	softSince     time.Time
	writeDeadline time.Time
	werr          error

	// lastIO is when bytes last moved either way (unix ns); busy is set
	// while the connection runs commands (a blocked command included) and
	// not while it waits to write. The idle timeout reads both.
	lastIO atomic.Int64
	// readBuf is the size of the reader's buffer (readbuf.go); releaseRead
	// asks the connection to give it back when next woken between commands.
	readBuf     atomic.Int64
	releaseRead atomic.Bool
	busy        atomic.Bool
	// room is what the eviction before the current command found
	// (evict_first.go); the connection's goroutine's own.
	room roomVerdict
	// inBatch is set while serve runs a batch and writes its replies,
	// waiting for the client to read them included (unlike busy): a
	// connection closed then would lose replies. recheckUser is set by
	// watchUsers when it found the connection inBatch after a change of
	// the users: serve checks its user again once the replies are out
	// (acl.go, userGone).
	inBatch     atomic.Bool
	recheckUser atomic.Bool

	mu       sync.Mutex
	name     string
	userName string // the ACL user, for CLIENT LIST
	noEvict  bool   // CLIENT NO-EVICT ON
	proto    int
	lastCmd  string
	lastUsed time.Time
	queued   int  // commands in the open transaction; -1 outside one
	readOnly bool // published copy of readonly
}

func newClient(id int64, nc net.Conn) *client {
	now := time.Now()
	c := &client{id: id, created: now, lastUsed: now, proto: 2, queued: -1, out: protocol.Writer{Proto: 2}}
	c.lastIO.Store(now.UnixNano())
	c.nc = newIOConn(nc, &c.lastIO)
	return c
}

func (c *client) setProto(p int) {
	c.mu.Lock()
	c.proto = p
	c.mu.Unlock()
	c.out.Proto = p
	if c.push != nil {
		c.push.proto.Store(int32(p))
	}
}

func (c *client) setSubscribed(on bool) { c.subscribed.Store(on) }

// restricted reports whether the connection is in RESP2's subscribed
// mode, where only (P|S)SUBSCRIBE, (P|S)UNSUBSCRIBE, PING, QUIT and RESET
// may run.
func (c *client) restricted() bool { return c.out.Proto == 2 && c.subscribed.Load() }

func (c *client) touch(cmd string) {
	c.mu.Lock()
	c.lastCmd = cmd
	c.lastUsed = time.Now()
	c.queued = -1
	if c.multi != nil {
		c.queued = len(c.multi.items)
	}
	c.readOnly = c.readonly
	c.mu.Unlock()
}
