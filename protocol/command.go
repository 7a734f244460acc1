package protocol

import (
	"slices"
	"strings"

	"github.com/geetcache/geetcache/datatypes"
)

// Flags describe how a command is routed and what COMMAND INFO reports.
type Flags uint32

// Command flags. Write commands become log entries; Readonly commands read
// the keyspace after the read barrier; commands with neither run on the
// connection's node without touching the keyspace through the log.
// Blocking commands are writes that reply null when there is nothing to
// take; the server then waits for one of their keys to change and retries.
const (
	Write Flags = 1 << iota
	Readonly
	DenyOOM
	Admin
	PubSub
	NoScript
	Blocking
	Loading
	Stale
	SkipMonitor
	SkipSlowlog
	// Asking: Redis Cluster serves it for a slot being imported without
	// a preceding ASKING (RESTORE-ASKING); every slot is served here.
	Asking
	Fast
	NoAuth
	// MayReplicate: Redis 7.0's may_replicate (PUBLISH, PFCOUNT, EVAL...),
	// by which CLIENT PAUSE WRITE holds a call; COMMAND INFO hides it, as
	// Redis's does.
	MayReplicate
	// NoMandatoryKeys: the command may name no keys (EVAL with numkeys 0).
	NoMandatoryKeys
	// NoAsyncLoading: Redis refuses it while loading a replica's data in
	// the background; geetcache never does, so it only shows in COMMAND INFO.
	NoAsyncLoading
	NoMulti // refused inside MULTI: "Command not allowed inside a transaction"
	AllowBusy
)

// flagNames are in Redis's COMMAND INFO order (the bits' order).
var flagNames = []string{"write", "readonly", "denyoom", "admin", "pubsub",
	"noscript", "blocking", "loading", "stale", "skip_monitor", "skip_slowlog", "asking", "fast", "no_auth",
	"may_replicate", "no_mandatory_keys", "no_async_loading", "no_multi", "allow_busy"}

// Names returns the flag names in Redis's COMMAND INFO spelling.
func (f Flags) Names() []string {
	var names []string
	for i, n := range flagNames {
		if f&(1<<i) != 0 {
			names = append(names, n)
		}
	}
	return names
}

// Handler serves one command.
type Handler interface {
	ServeRESP(c *Ctx)
}

// HandlerFunc adapts a function to Handler.
type HandlerFunc func(c *Ctx)

// ServeRESP calls f(c).
func (f HandlerFunc) ServeRESP(c *Ctx) { f(c) }

// Command is one row of the command table.
type Command struct {
	Name     string // lower case
	Arity    int    // Redis convention: -N means at least N arguments
	Flags    Flags
	FirstKey int // 1-based positions of keys in argv, 0 when none
	LastKey  int // -1 means the last argument
	Step     int
	// KeyCount is the position of an argument counting the keys that
	// follow it (ZUNIONSTORE's numkeys), 0 when there is none. Such
	// commands are the "movablekeys" ones.
	KeyCount int
	// Reblock is set on a read that may block (XREAD BLOCK). When its
	// first run found nothing (a null array), the server calls Reblock
	// under the same read lock, right after, for the arguments to run
	// again each time one of the keys changes ("$" resolved, no BLOCK) and
	// how long to wait in milliseconds (0: forever).
	Reblock func(c *Ctx) (retry [][]byte, timeoutMs int64)
	Group   string // documentation group: "string", "generic", "server"...
	Summary string
	Since   string
	// Level is the command level (see Table.Level) that introduced this
	// command, or last changed what it does to the keyspace; 0 means 1.
	Level   uint64
	Handler Handler
	// CallFlags, when set, gives the routing flags (Write, Readonly or
	// neither) of one call, for a command whose calls route differently:
	// EVAL of a no-writes script is a read, SCRIPT LOAD a write, SCRIPT
	// EXISTS a read. Flags stays what COMMAND INFO reports. It must be
	// quick and safe for concurrent use.
	CallFlags func(args [][]byte) Flags
	// Keys, when set, returns the positions of a call's keys for a command
	// whose keys no fixed range describes (XREAD's and XREADGROUP's, after
	// STREAMS): Redis's getkeys procedure. nil from it means no keys (a
	// syntax error the handler reports).
	Keys func(argv [][]byte) []int
	// Check, when set, validates a write's arguments where the command
	// arrives, before it is proposed (RESTORE decodes its payload there):
	// a non-empty result is the error reply, and the call goes no further.
	// exists tells whether a key is live after the pipeline's earlier
	// writes (it waits for them: call it only when the answer matters),
	// for a check whose error depends on it.
	// The handler checks again in the state machine (a call inside MULTI
	// or a script is not checked at the door). It must be safe for
	// concurrent use.
	Check func(args [][]byte, exists func(key []byte) bool) string
	// Unchanged, when set, tells a write that would change nothing from
	// the keyspace alone (unchanged.go): run outside the state machine,
	// under the read lock, it writes the call's reply and returns true, or
	// writes nothing and returns false (the call may change something, or
	// the handler has an error to give). A call it answers makes no log
	// entry, as Redis propagates no write that changed nothing.
	Unchanged func(c *Ctx) bool
	// Caches, when set, tells a read that may store what it computed in
	// the value it read, as Redis's single-key PFCOUNT stores the count in
	// the HyperLogLog's header: such a call routes as a write (RouteFlags),
	// so that every node stores it alike, and Unchanged answers it as a
	// read when there is nothing to store. For everything else (ACL,
	// client-side caching, scripts, keyspace statistics) it stays a read.
	Caches func(args [][]byte) bool
}

// MayStore reports whether the call args of c is a read that may store
// what it computes (Caches; its Unchanged tells when it would not).
func (c *Command) MayStore(args [][]byte) bool {
	return c.Caches != nil && c.Unchanged != nil && c.Caches(args)
}

// RouteFlags returns the flags a call routes by: FlagsFor's, a write in
// place of a read when the call may store what it computes (MayStore).
func (c *Command) RouteFlags(args [][]byte) Flags {
	f := c.FlagsFor(args)
	if c.MayStore(args) {
		f = f&^Readonly | Write
	}
	return f
}

// FlagsFor returns the flags of the call args of c: CallFlags' routing
// flags in place of Flags' Write, Readonly and Blocking when CallFlags is
// set (XREAD and XREADGROUP block only when they name BLOCK).
func (c *Command) FlagsFor(args [][]byte) Flags {
	if c.CallFlags == nil {
		return c.Flags
	}
	return c.Flags&^(Write|Readonly|Blocking) | c.CallFlags(args)
}

// ArityOK reports whether argc (including the command name) fits the arity.
func (c *Command) ArityOK(argc int) bool { return ArityFits(c.Arity, argc) }

// ArityFits reports whether argc (including the command name) fits arity,
// by Redis's convention: -N means at least N.
func ArityFits(arity, argc int) bool {
	if arity >= 0 {
		return argc == arity
	}
	return argc >= -arity
}

// Ctx is everything a handler sees.
type Ctx struct {
	Args [][]byte // Args[0] is the command name as sent
	// DB is the keyspace. Write handlers run inside the FSM and may modify
	// it; read handlers must not.
	DB *datatypes.Keyspace
	// DBs is every database (SELECT's indexes) and DBIndex the index of DB:
	// the commands that name another database (SELECT inside a
	// transaction or script, MOVE, COPY ... DB, SWAPDB, FLUSHALL) use
	// them. Keyspace events name DBIndex. DBs may be nil outside the FSM
	// for a command that does not read the keyspace.
	DBs     *datatypes.DBs
	DBIndex int
	// Now is the time in unix ms: the log entry's timestamp inside the FSM,
	// the node's clock for reads.
	Now int64
	// Rand is a source seeded from the log entry inside the FSM; never nil
	// for write handlers.
	Rand Rand
	Out  *Writer
	// Conn is the connection's state for server-level commands; nil inside
	// the FSM.
	Conn any
	// Retry is true when a blocked client's command runs again after a
	// wake-up (inside the FSM, server/block_cmd.go; a blocking read,
	// server/block_read.go): XREADGROUP then answers as Redis answers a
	// client it unblocks, and a source key of another type counts as
	// missing (lookupSource).
	Retry bool
	// Script is true when a script runs the command (redis.call).
	Script bool
	// EntrySize is, inside the FSM, the size of the log entry whose data
	// Args alias. That data is never changed once logged, so a handler may
	// keep a large argument without copying it (see storeString); 0 means
	// an argument must be copied to be kept.
	EntrySize int
	// Pub, inside the FSM, delivers PUBLISH and SPUBLISH messages to this
	// node's subscribers; nil when the entry is not to be delivered (one
	// replayed at start) and outside the FSM.
	Pub Publisher
	// StreamLimits, inside the FSM, are the replicated stream node limits
	// XADD appends with; nil means Redis's defaults.
	StreamLimits *datatypes.StreamNodeLimits
	// Events publishes keyspace events (notify.go): inside the FSM, the
	// FSM's, with the replicated notify-keyspace-events classes; nil
	// publishes nothing.
	Events *Events
	// Stats counts what read lookups find (keystats.go); nil counts
	// nothing.
	Stats *KeyStats
	// Access, when set, is told of every key Lookup finds, with Now: the
	// node's LRU/LFU bookkeeping (datatypes/access.go). It may be called
	// concurrently by readers and must not block.
	Access func(e *datatypes.Entry, now int64)
	// Clock, for reads, is the node's own clock (unix ms) that access
	// figures are kept and reported by (OBJECT IDLETIME): Now, the time
	// expiry is judged by, stands still while the log is idle. 0: Now.
	Clock int64
	// LFU is set, for reads, when maxmemory-policy is an LFU one: OBJECT
	// FREQ then reports the counter (by these parameters), and OBJECT
	// IDLETIME refuses, as Redis's.
	LFU *datatypes.LFUParams
	// ReadCall is set inside the FSM for a read command (in MULTI or a
	// script): its lookups publish keymiss, as Redis's lookupKeyRead.
	ReadCall bool
	// Dirty, inside the FSM, counts the changes the command makes (Redis's
	// server.dirty, dirty.go); nil counts nothing.
	Dirty *Dirty
	// Repl, inside the FSM while replicas are attached, collects what the
	// commands run propagate (propagate.go): a script reports each call it
	// makes (scripting's bridge). nil: nothing is collected.
	Repl *ReplLog
}

// Rand is the random source handlers may use.
type Rand interface {
	Int64N(n int64) int64
}

// Table maps command names to commands. Lookups are case-insensitive.
type Table struct {
	byName map[string]*Command
	level  uint64 // the highest Level registered
}

// NewTable returns an empty table.
func NewTable() *Table { return &Table{byName: map[string]*Command{}} }

// Register adds c. It panics on an empty or duplicate name or a nil handler:
// the table is built at start-up, so that is a programming error.
func (t *Table) Register(c *Command) {
	if c.Name == "" || c.Name != strings.ToLower(c.Name) {
		panic("protocol: bad command name " + c.Name)
	}
	if c.Handler == nil {
		panic("protocol: nil handler for " + c.Name)
	}
	if _, dup := t.byName[c.Name]; dup {
		panic("protocol: duplicate command " + c.Name)
	}
	t.byName[c.Name] = c
	t.level = max(t.level, c.Level)
}

// Lookup returns the command named name (any case), or nil.
func (t *Table) Lookup(name []byte) *Command {
	var lower [32]byte
	if len(name) > len(lower) {
		return nil
	}
	for i, c := range name {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		lower[i] = c
	}
	return t.byName[string(lower[:len(name)])]
}

// LookupAfter is Lookup for a run of commands: prev, the command the one
// before was (nil for none), is the answer again when name is its name,
// without the map (a pipeline or an entry mostly repeats one command).
func (t *Table) LookupAfter(prev *Command, name []byte) *Command {
	if prev != nil && EqualFold(name, prev.Name) {
		return prev
	}
	return t.Lookup(name)
}

// All returns every command sorted by name.
func (t *Table) All() []*Command {
	all := make([]*Command, 0, len(t.byName))
	for _, c := range t.byName {
		all = append(all, c)
	}
	sortCommands(all)
	return all
}

// Len returns the number of commands.
func (t *Table) Len() int { return len(t.byName) }

// DataTable returns a table holding every keyspace command: those that run
// inside the FSM and those that read the keyspace.
func DataTable() *Table {
	t := NewTable()
	for _, group := range [][]*Command{stringCommands, keyCommands, databaseCommands, bitmapCommands, hllCommands, hashCommands, setCommands, listCommands, listBlockingCommands, zsetCommands, zsetBlockingCommands, sortFamily, geoCommands, dumpCommands, streamCommands, streamGroupCommands, objectCommands, pubsubCommands, futureCommands} {
		for _, c := range group {
			t.Register(c)
		}
	}
	return t
}

func sortCommands(cmds []*Command) {
	slices.SortFunc(cmds, func(a, b *Command) int { return strings.Compare(a.Name, b.Name) })
}

// KeyArgs calls fn with each key argv names by the table's key positions
// (first, last, step), the Keys procedure, or, for a container (XGROUP),
// its subcommand's positions. Keys that follow a count (ZUNIONSTORE's
// sources) are not included.
func (c *Command) KeyArgs(argv [][]byte, fn func(key []byte)) {
	if c.Keys != nil {
		for _, i := range c.Keys(argv) {
			fn(argv[i])
		}
		return
	}
	if c.FirstKey <= 0 {
		if sub := subcommandFor(c, argv); sub != nil {
			sub.KeyArgs(argv, fn)
		}
		return
	}
	last := c.LastKey
	if last < 0 {
		last += len(argv)
	}
	for i := c.FirstKey; i <= last && i < len(argv); i += max(c.Step, 1) {
		fn(argv[i])
	}
}
