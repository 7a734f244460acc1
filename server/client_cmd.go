package server

import (
	"time"

	"github.com/geetcache/geetcache/protocol"
)

// clientCommands is CLIENT and its subcommands. CLIENT SETINFO is Redis 7.2
// and NO-TOUCH 7.2 too, so, as in 7.0.15, they are unknown subcommands.
func (s *Server) clientCommands() []*protocol.Command {
	const flags = protocol.NoScript | protocol.Loading | protocol.Stale
	sub := func(name string, arity int, f protocol.Flags, since, summary string, h protocol.HandlerFunc) *protocol.Command {
		return &protocol.Command{Name: "client|" + name, Arity: arity, Flags: f, Group: "connection",
			Since: since, Summary: summary, Handler: h}
	}
	ct := newContainer(nil,
		sub("id", 2, flags, "5.0.0", "Returns the client ID for the current connection", clientID),
		sub("info", 2, flags, "6.2.0", "Returns information about the current client connection.", clientInfo),
		sub("list", -2, flags|protocol.Admin, "2.4.0", "Get the list of client connections", s.clientList),
		sub("kill", -3, flags|protocol.Admin, "2.4.0", "Kill the connection of a client", s.clientKill),
		sub("setname", 3, flags, "2.6.9", "Set the current connection name", clientSetName),
		sub("getname", 2, flags, "2.6.9", "Get the current connection name", clientGetName),
		sub("reply", 3, flags, "3.2.0", "Instruct the server whether to reply to commands", clientReply),
		sub("unblock", -3, flags|protocol.Admin, "5.0.0", "Unblock a client blocked in a blocking command from a different connection", s.clientUnblock),
		sub("tracking", -3, flags, "6.0.0", "Enable or disable server assisted client side caching support", s.clientTracking),
		sub("caching", 3, flags, "6.0.0", "Instruct the server about tracking or not keys in the next request", clientCaching),
		sub("getredir", 2, flags, "6.0.0", "Get tracking notifications redirection client ID if any", clientGetRedir),
		sub("trackinginfo", 2, flags, "6.2.0", "Return information about server assisted client side caching for the current connection", s.clientTrackingInfo),
		sub("no-evict", 3, flags|protocol.Admin, "7.0.0", "Set client eviction mode for the current connection", clientNoEvict),
		sub("pause", -3, flags|protocol.Admin, "2.9.50", "Stop processing commands from clients for some time", s.clientPause),
		sub("unpause", 2, flags|protocol.Admin, "6.2.0", "Resume processing of clients that were paused", s.clientUnpause),
		sub("help", 2, protocol.Loading|protocol.Stale, "5.0.0", "Show helpful text about the different subcommands", clientHelp),
	)
	return []*protocol.Command{{Name: "client", Arity: -2, Group: "connection", Since: "2.4.0",
		Summary: "A container for client connection commands", Handler: ct}}
}

// CLIENT ID
func clientID(c *protocol.Ctx) { c.Out.Int(conn(c).id) }

// CLIENT INFO
func clientInfo(c *protocol.Ctx) {
	cl := conn(c)
	line := cl.snapshot(time.Now(), c).appendLine(nil)
	c.Out.Verbatim(string(line))
}

// CLIENT SETNAME connection-name
func clientSetName(c *protocol.Ctx) {
	if setClientName(c, conn(c), c.Args[2]) {
		c.Out.OK()
	}
}

// CLIENT GETNAME
func clientGetName(c *protocol.Ctx) {
	cl := conn(c)
	cl.mu.Lock()
	name := cl.name
	cl.mu.Unlock()
	if name == "" {
		c.Out.Null()
		return
	}
	c.Out.BulkString(name)
}

// CLIENT NO-EVICT ON|OFF
//
// geetcache never evicts clients (maxmemory-clients is 0), so the flag only
// shows in CLIENT LIST, as it does in a Redis without that limit.
func clientNoEvict(c *protocol.Ctx) {
	var on bool
	switch {
	case protocol.EqualFold(c.Args[2], "on"):
		on = true
	case protocol.EqualFold(c.Args[2], "off"):
	default:
		c.Out.Error(protocol.ErrSyntax)
		return
	}
	cl := conn(c)
	cl.mu.Lock()
	cl.noEvict = on
	cl.mu.Unlock()
	c.Out.OK()
}

// CLIENT LIST [TYPE NORMAL|MASTER|REPLICA|PUBSUB] [ID client-id [client-id ...]]
func (s *Server) clientList(c *protocol.Ctx) {
	args := c.Args[2:]
	var list []*client
	switch {
	case len(args) == 2 && protocol.EqualFold(args[0], "type"):
		t, ok := parseClientType(args[1])
		if !ok {
			c.Out.Error(protocol.ErrUnknownClientType(args[1]))
			return
		}
		list = s.clientsOfType(t)
	case len(args) > 1 && protocol.EqualFold(args[0], "id"):
		var ok bool
		if list, ok = s.clientsByIDArgs(c, args[1:]); !ok {
			return
		}
	case len(args) != 0:
		c.Out.Error(protocol.ErrSyntax)
		return
	default:
		list = s.clientsByID()
	}
	c.Out.Verbatim(string(clientLines(c, list)))
}

// clientsByIDArgs returns the clients named by ids (unknown ones skipped,
// repeated ones repeated), or replies with an error.
func (s *Server) clientsByIDArgs(c *protocol.Ctx, ids [][]byte) ([]*client, bool) {
	var list []*client
	for _, a := range ids {
		id, ok := protocol.ParseInt(a)
		if !ok {
			c.Out.Error(protocol.ErrInvalidClientID)
			return nil, false
		}
		if cl := s.clientByID(id); cl != nil {
			list = append(list, cl)
		}
	}
	return list, true
}

func clientLines(c *protocol.Ctx, list []*client) []byte {
	now := time.Now()
	var b []byte
	for _, cl := range list {
		b = cl.snapshot(now, c).appendLine(b)
	}
	return b
}

// clientType is a connection's kind for TYPE filters.
type clientType uint8

const (
	typeNormal clientType = iota
	typeReplica
	typePubSub
	typeMaster
)

func parseClientType(b []byte) (clientType, bool) {
	switch {
	case protocol.EqualFold(b, "normal"):
		return typeNormal, true
	case protocol.EqualFold(b, "slave"), protocol.EqualFold(b, "replica"):
		return typeReplica, true
	case protocol.EqualFold(b, "pubsub"):
		return typePubSub, true
	case protocol.EqualFold(b, "master"):
		return typeMaster, true
	}
	return 0, false
}

// typeOf is cl's kind: typeReplica once it sent SYNC or PSYNC,
// typePubSub while it has a subscription, else typeNormal. Any goroutine
// may call it.
func (cl *client) typeOf() clientType {
	if cl.replica.Load() {
		return typeReplica
	}
	if cl.subscribed.Load() {
		return typePubSub
	}
	return typeNormal
}

func (s *Server) clientsOfType(t clientType) []*client {
	var list []*client
	for _, cl := range s.clientsByID() {
		if cl.typeOf() == t {
			list = append(list, cl)
		}
	}
	return list
}

var clientHelpLines = []string{
	"CACHING (YES|NO)",
	"    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.",
	"GETREDIR",
	"    Return the client ID we are redirecting to when tracking is enabled.",
	"GETNAME",
	"    Return the name of the current connection.",
	"ID",
	"    Return the ID of the current connection.",
	"INFO",
	"    Return information about the current client connection.",
	"KILL <ip:port>",
	"    Kill connection made from <ip:port>.",
	"KILL <option> <value> [<option> <value> [...]]",
	"    Kill connections. Options are:",
	"    * ADDR (<ip:port>|<unixsocket>:0)",
	"      Kill connections made from the specified address",
	"    * LADDR (<ip:port>|<unixsocket>:0)",
	"      Kill connections made to specified local address",
	"    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
	"      Kill connections by type.",
	"    * USER <username>",
	"      Kill connections authenticated by <username>.",
	"    * SKIPME (YES|NO)",
	"      Skip killing current connection (default: yes).",
	"LIST [options ...]",
	"    Return information about client connections. Options:",
	"    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
	"      Return clients of specified type.",
	"UNPAUSE",
	"    Stop the current client pause, resuming traffic.",
	"PAUSE <timeout> [WRITE|ALL]",
	"    Suspend all, or just write, clients for <timeout> milliseconds.",
	"REPLY (ON|OFF|SKIP)",
	"    Control the replies sent to the current connection.",
	"SETNAME <name>",
	"    Assign the name <name> to the current connection.",
	"UNBLOCK <clientid> [TIMEOUT|ERROR]",
	"    Unblock the specified blocked client.",
	"TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]",
	"         [OPTIN] [OPTOUT] [NOLOOP]",
	"    Control server assisted client side caching.",
	"TRACKINGINFO",
	"    Report tracking status for the current connection.",
	"NO-EVICT (ON|OFF)",
	"    Protect current client connection from eviction.",
}

// CLIENT HELP
func clientHelp(c *protocol.Ctx) { replyHelp(c, clientHelpLines) }
