package server

import (
	"strconv"
	"sync"

	"github.com/geetcache/geetcache/protocol"
	"github.com/geetcache/geetcache/pubsub"
)

// Client-side caching (CLIENT TRACKING), per node: a connection is told of
// changes to the keys it read on this node (or, in BCAST mode, to every
// key under its prefixes) when this node applies the log entry that
// changes them, whichever node the write came through. The table of who
// read what is pubsub.Tracking; this file is a connection's side: its mode,
// the CLIENT subcommands, and which reads it remembers. tracking_send.go
// delivers the invalidations.

// trackState is a connection's tracking mode. It is read by the state
// machine's goroutine (through the table's Send) and CLIENT LIST, so it is
// under its own lock.
type trackState struct {
	mu sync.Mutex
	trackFlags
}

// trackFlags is a connection's tracking mode, as CLIENT LIST and
// TRACKINGINFO show it.
type trackFlags struct {
	on       bool
	bcast    bool
	optin    bool
	optout   bool
	noloop   bool
	broken   bool  // the redirection's connection was gone at a send
	redirect int64 // 0: none
	// caching is CLIENT CACHING's answer for the next command; keep is
	// set until a command other than CLIENT has started with it.
	caching, keep bool
}

func (t *trackState) snapshot() trackFlags {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.trackFlags
}

// trackingOptions is CLIENT TRACKING's parsed arguments.
type trackingOptions struct {
	redirect                     int64
	bcast, optin, optout, noloop bool
	prefixes                     []string
}

// CLIENT TRACKING ON|OFF [REDIRECT client-id] [PREFIX prefix [PREFIX prefix ...]] [BCAST] [OPTIN] [OPTOUT] [NOLOOP]
func (s *Server) clientTracking(c *protocol.Ctx) {
	opts, ok := s.parseTrackingOptions(c)
	if !ok {
		return
	}
	cl := conn(c)
	switch {
	case protocol.EqualFold(c.Args[2], "on"):
		if msg := s.trackingConflict(cl, &opts); msg != "" {
			c.Out.Error(msg)
			return
		}
		s.enableTracking(cl, &opts)
	case protocol.EqualFold(c.Args[2], "off"):
		s.disableTracking(cl)
	default:
		c.Out.Error(protocol.ErrSyntax)
		return
	}
	c.Out.OK()
}

func (s *Server) parseTrackingOptions(c *protocol.Ctx) (trackingOptions, bool) {
	var o trackingOptions
	for j := 3; j < len(c.Args); j++ {
		more := j+1 < len(c.Args)
		a := c.Args[j]
		switch {
		case protocol.EqualFold(a, "redirect") && more:
			j++
			if o.redirect != 0 {
				c.Out.Error("ERR A client can only redirect to a single other client")
				return o, false
			}
			id, ok := protocol.ParseInt(c.Args[j])
			if !ok {
				c.Out.Error(protocol.ErrNotInteger)
				return o, false
			}
			if s.clientByID(id) == nil {
				c.Out.Error("ERR The client ID you want redirect to does not exist")
				return o, false
			}
			o.redirect = id
		case protocol.EqualFold(a, "bcast"):
			o.bcast = true
		case protocol.EqualFold(a, "optin"):
			o.optin = true
		case protocol.EqualFold(a, "optout"):
			o.optout = true
		case protocol.EqualFold(a, "noloop"):
			o.noloop = true
		case protocol.EqualFold(a, "prefix") && more:
			j++
			o.prefixes = append(o.prefixes, string(c.Args[j]))
		default:
			c.Out.Error(protocol.ErrSyntax)
			return o, false
		}
	}
	return o, true
}

// trackingConflict returns the error CLIENT TRACKING ON answers when the
// options clash with each other or with the connection's mode, or "".
func (s *Server) trackingConflict(cl *client, o *trackingOptions) string {
	cur := cl.trk.snapshot()
	switch {
	case !o.bcast && len(o.prefixes) > 0:
		return "ERR PREFIX option requires BCAST mode to be enabled"
	case cur.on && cur.bcast != o.bcast:
		return "ERR You can't switch BCAST mode on/off before disabling tracking for this client, and then re-enabling it with a different mode."
	case o.bcast && (o.optin || o.optout):
		return "ERR OPTIN and OPTOUT are not compatible with BCAST"
	case o.optin && o.optout:
		return "ERR You can't specify both OPTIN mode and OPTOUT mode"
	case (o.optin && cur.optout) || (o.optout && cur.optin):
		return "ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then re-enabling it with a different mode."
	case o.bcast:
		return s.prefixCollision(cl, o.prefixes)
	}
	return ""
}

// prefixCollision returns the error for a prefix that overlaps one the
// connection follows or another of prefixes, or "".
func (s *Server) prefixCollision(cl *client, prefixes []string) string {
	for i, p := range prefixes {
		if q, ok := s.tracking.Collision(cl.id, p); ok {
			return "ERR Prefix '" + p + "' overlaps with an existing prefix '" + q + "'. Prefixes for a single client must not overlap."
		}
		for _, q := range prefixes[i+1:] {
			if pubsub.PrefixesOverlap(p, q) {
				return "ERR Prefix '" + p + "' overlaps with another provided prefix '" + q + "'. Prefixes for a single client must not overlap."
			}
		}
	}
	return ""
}

// enableTracking turns tracking on with o (Redis's enableTracking: the
// flags and the redirection are replaced, BCAST prefixes added). A
// follower first applies every write acknowledged before (trackCatchUp): one
// the connection itself sent just before, still on its way here, would
// otherwise reach it as an invalidation (a FLUSHALL's, say), as Redis
// never sends.
func (s *Server) enableTracking(cl *client, o *trackingOptions) {
	s.trackCatchUp()
	cl.trk.mu.Lock()
	cl.trk.on, cl.trk.broken, cl.trk.redirect = true, false, o.redirect
	cl.trk.bcast, cl.trk.optin, cl.trk.optout, cl.trk.noloop = o.bcast, o.optin, o.optout, o.noloop
	cl.trk.mu.Unlock()
	s.tracking.Enable(cl.id, &trackHandle{s: s, c: cl}, pubsub.TrackingMode{
		BCAST: o.bcast, NoLoop: o.noloop, Prefixes: o.prefixes, Origin: s.originOf(cl)})
}

// disableTracking turns tracking off (CLIENT TRACKING OFF, RESET, the
// connection's end).
func (s *Server) disableTracking(cl *client) {
	cl.trk.mu.Lock()
	was := cl.trk.on
	cl.trk.trackFlags = trackFlags{}
	cl.trk.mu.Unlock()
	if was {
		s.tracking.Disable(cl.id)
	}
}

// originOf is the mark the units cl writes carry when it tracks with
// NOLOOP: this node's ID and the connection's.
func (s *Server) originOf(cl *client) string {
	return s.nodeID() + "/" + strconv.FormatInt(cl.id, 10)
}

// CLIENT CACHING YES|NO
func clientCaching(c *protocol.Ctx) {
	cl := conn(c)
	cl.trk.mu.Lock()
	defer cl.trk.mu.Unlock()
	t := &cl.trk
	if !t.on || (!t.optin && !t.optout) {
		c.Out.Error("ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled")
		return
	}
	switch {
	case protocol.EqualFold(c.Args[2], "yes") && t.optin, protocol.EqualFold(c.Args[2], "no") && t.optout:
		t.caching, t.keep = true, true
		c.Out.OK()
	case protocol.EqualFold(c.Args[2], "yes"):
		c.Out.Error("ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.")
	case protocol.EqualFold(c.Args[2], "no"):
		c.Out.Error("ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.")
	default:
		c.Out.Error(protocol.ErrSyntax)
	}
}

// CLIENT GETREDIR
func clientGetRedir(c *protocol.Ctx) {
	t := conn(c).trk.snapshot()
	if !t.on {
		c.Out.Int(-1)
		return
	}
	c.Out.Int(t.redirect)
}

// CLIENT TRACKINGINFO
func (s *Server) clientTrackingInfo(c *protocol.Ctx) {
	cl := conn(c)
	t := cl.trk.snapshot()
	flags := []string{"off"}
	if t.on {
		flags[0] = "on"
	}
	add := func(on bool, name string) {
		if on {
			flags = append(flags, name)
		}
	}
	add(t.bcast, "bcast")
	add(t.optin, "optin")
	add(t.optin && t.caching, "caching-yes")
	add(t.optout, "optout")
	add(t.optout && t.caching, "caching-no")
	add(t.noloop, "noloop")
	add(t.broken, "broken_redirect")
	c.Out.Map(3)
	c.Out.BulkString("flags")
	c.Out.Set(len(flags))
	for _, f := range flags {
		c.Out.BulkString(f)
	}
	c.Out.BulkString("redirect")
	c.Out.Int(ifElse(t.on, t.redirect, -1))
	c.Out.BulkString("prefixes")
	prefixes := s.tracking.Prefixes(cl.id)
	c.Out.Array(len(prefixes))
	for _, p := range prefixes {
		c.Out.BulkString(p)
	}
}

// startCall is told that cl starts running cmd: CLIENT CACHING's answer
// lasts for the next command (or transaction) that is not a CLIENT one.
func (cl *client) startCall(cmd *protocol.Command) {
	if cmd == nil || cmd.Name == "client" {
		return
	}
	cl.trk.mu.Lock()
	if cl.trk.caching {
		if cl.trk.keep {
			cl.trk.keep = cl.multi != nil // MULTI's commands and EXEC keep it
		} else if cl.multi == nil {
			cl.trk.caching = false
		}
	}
	cl.trk.mu.Unlock()
}

// remembers reports whether a read cl runs now is to be remembered: it
// tracks in default mode, and OPTIN/OPTOUT with CLIENT CACHING allow it.
func (cl *client) remembers() bool {
	cl.trk.mu.Lock()
	defer cl.trk.mu.Unlock()
	t := &cl.trk
	if !t.on || t.bcast {
		return false
	}
	return !((t.optin && !t.caching) || (t.optout && t.caching))
}

// rememberRead records the keys of a read-only command cl ran (or is about
// to have run on the leader), when cl tracks them. Call it before any
// later write can apply: under the state's read lock, or before the read
// is sent on.
func (s *Server) rememberRead(cl *client, cmd *protocol.Command, args [][]byte) {
	if !readTracked(cl, cmd) || !cl.remembers() {
		return
	}
	if keys := keysOf(cmd, args); len(keys) > 0 {
		s.tracking.Remember(cl.id, keys)
	}
}

// readKeys returns the keys of a read that goes through the log (a PFCOUNT
// storing its count, protocol.Command.Caches) for c to remember once its
// reply is in (rememberAfter), as Redis remembers them after the call,
// past the invalidation its own change sends; nil when c remembers none.
func (s *Server) readKeys(cl *client, cmd *protocol.Command, args [][]byte) [][]byte {
	if !readTracked(cl, cmd) || !cl.remembers() {
		return nil
	}
	keys := keysOf(cmd, args)
	for i, k := range keys {
		keys[i] = append([]byte(nil), k...) // the reader reuses args once the pipeline is answered
	}
	return keys
}

// readTracked reports whether cmd is a read whose keys tracking
// remembers: a read-only command (not a pub/sub one), or a script that
// called one.
func readTracked(cl *client, cmd *protocol.Command) bool {
	if scriptCalls[cmd.Name] {
		return cl.scriptRead
	}
	return cmd.Flags&protocol.Readonly != 0 && cmd.Flags&protocol.PubSub == 0
}

// keysOf returns the keys args names, as COMMAND GETKEYS finds them (the
// keys after a count too: EVAL's, ZUNION's).
func keysOf(cmd *protocol.Command, args [][]byte) [][]byte {
	var keys [][]byte
	if at, ok := keyPositions(cmd, args); ok && len(at) > 0 {
		for _, i := range at {
			keys = append(keys, args[i])
		}
		return keys
	}
	cmd.KeyArgs(args, func(k []byte) { keys = append(keys, k) })
	return keys
}

// ScriptRead is told that a script cl runs called a read-only command
// (scripting.ReadNoter).
func (cl *client) ScriptRead() { cl.scriptRead = true }

// trackingOrigin is the Origin a unit cl writes carries: set for a NOLOOP
// connection (and for a follower's link that said whose it is: RAFT
// ORIGIN), else nil so that entries stay as they were.
func (s *Server) trackingOrigin(cl *client) []byte {
	if cl.origin != "" {
		return []byte(cl.origin)
	}
	cl.trk.mu.Lock()
	noloop := cl.trk.on && cl.trk.noloop
	cl.trk.mu.Unlock()
	if !noloop {
		return nil
	}
	return []byte(s.originOf(cl))
}

// RAFT ORIGIN token: the units this connection writes carry token (a
// follower's link to the leader, for one of its connections that tracks
// with NOLOOP). Internal.
func raftOrigin(c *protocol.Ctx) {
	conn(c).origin = string(c.Args[2])
	c.Out.OK()
}

// nodeID is this node's Raft ID ("" without a node).
func (s *Server) nodeID() string {
	if s.admin == nil {
		return ""
	}
	return s.admin.NodeID()
}
