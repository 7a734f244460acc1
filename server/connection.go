package server

import (
	"github.com/geetcache/geetcache/protocol"
)

// RedisVersion is the Redis version geetcache answers as, in HELLO and INFO:
// the one whose replies it reproduces.
const RedisVersion = "7.0.15"

// defaultUser is the user every connection starts as (ACL's default user).
const defaultUser = "default"

func (s *Server) connectionCommands() []*protocol.Command {
	const connFlags = protocol.NoScript | protocol.Loading | protocol.Stale | protocol.Fast | protocol.NoAuth | protocol.AllowBusy
	return []*protocol.Command{
		{Name: "ping", Arity: -1, Flags: protocol.Fast, Group: "connection", Since: "1.0.0",
			Summary: "Ping the server", Handler: protocol.HandlerFunc(ping)},
		{Name: "echo", Arity: 2, Flags: protocol.Loading | protocol.Stale | protocol.Fast, Group: "connection", Since: "1.0.0",
			Summary: "Echo the given string", Handler: protocol.HandlerFunc(echo)},
		{Name: "quit", Arity: -1, Flags: connFlags, Group: "connection", Since: "1.0.0",
			Summary: "Close the connection", Handler: protocol.HandlerFunc(quit)},
		{Name: "hello", Arity: -1, Flags: connFlags, Group: "connection", Since: "6.0.0",
			Summary: "Handshake with Redis", Handler: protocol.HandlerFunc(s.hello)},
		{Name: "auth", Arity: -2, Flags: connFlags, Group: "connection", Since: "1.0.0",
			Summary: "Authenticate to the server", Handler: protocol.HandlerFunc(s.auth)},
		{Name: "reset", Arity: 1, Flags: connFlags, Group: "connection", Since: "6.2.0",
			Summary: "Reset the connection", Handler: protocol.HandlerFunc(s.reset)},
	}
}

// PING [message]
//
// A RESP2 connection with a subscription gets ["pong", message] instead
// ("" without one), as Redis answers it.
func ping(c *protocol.Ctx) {
	if cl, ok := c.Conn.(*client); ok && cl.restricted() && len(c.Args) <= 2 {
		c.Out.Array(2)
		c.Out.BulkString("pong")
		if len(c.Args) == 2 {
			c.Out.Bulk(c.Args[1])
		} else {
			c.Out.BulkString("")
		}
		return
	}
	switch len(c.Args) {
	case 1:
		c.Out.Simple("PONG")
	case 2:
		c.Out.Bulk(c.Args[1])
	default:
		c.Out.Error(protocol.ErrWrongArity("ping"))
	}
}

// RESET
//
// As Redis's clearClientConnectionState: leaves the transaction and its
// watches, every subscription (without confirmations), MONITOR, READONLY
// and the client name, goes back to RESP2 and to the default user
// (authenticated only if it needs no password).
func (s *Server) reset(c *protocol.Ctx) {
	cl := conn(c)
	cl.multi, cl.watch = nil, nil
	s.stopMonitor(cl)
	s.startACL(cl) // the default user again, as Redis's clientSetDefaultAuth
	s.disableTracking(cl)
	if cl.push != nil {
		s.unsubscribeAll(cl)
	}
	cl.readonly, cl.reply = false, replyOn
	cl.mu.Lock()
	cl.name, cl.db = "", 0
	cl.mu.Unlock()
	cl.setProto(2)
	c.Out.Proto = 2
	c.Out.Simple("RESET")
}

// ECHO message
func echo(c *protocol.Ctx) { c.Out.Bulk(c.Args[1]) }

// QUIT
func quit(c *protocol.Ctx) {
	c.Out.OK()
	conn(c).quit = true
}

// AUTH [username] password
//
// The one-argument form logs in as the default user, and is refused while
// that user needs no password, as Redis refuses it.
func (s *Server) auth(c *protocol.Ctx) {
	cl := conn(c)
	switch len(c.Args) {
	case 2:
		if s.defaultNoPass() {
			c.Out.Error(protocol.ErrAuthNoPass)
			return
		}
		if !s.login(cl, c.Args[0], []byte(defaultUser), c.Args[1]) {
			c.Out.Error(protocol.ErrWrongPass)
			return
		}
		c.Out.OK()
	case 3:
		if !s.login(cl, c.Args[0], c.Args[1], c.Args[2]) {
			c.Out.Error(protocol.ErrWrongPass)
			return
		}
		c.Out.OK()
	default:
		c.Out.Error(protocol.ErrSyntax)
	}
}

// HELLO [protover [AUTH username password] [SETNAME clientname]]
//
// Options take effect as they are parsed, as in Redis: a valid SETNAME
// before a bad option stays set; the protocol changes only on success.
func (s *Server) hello(c *protocol.Ctx) {
	cl := conn(c)
	proto := cl.out.Proto
	if len(c.Args) > 1 {
		v, ok := protocol.ParseInt(c.Args[1])
		if !ok {
			c.Out.Error(protocol.ErrProtoVersion)
			return
		}
		if v != 2 && v != 3 {
			c.Out.Error(protocol.ErrNoProto)
			return
		}
		proto = int(v)
	}
	if len(c.Args) > 2 && !s.helloOptions(c, cl, c.Args[2:]) {
		return
	}
	if !cl.acl.authed {
		c.Out.Error(protocol.ErrHelloNoAuth)
		return
	}
	cl.setProto(proto)
	replyHello(c, cl, s.helloRole())
}

// helloOptions applies HELLO's AUTH and SETNAME; it replies on error.
func (s *Server) helloOptions(c *protocol.Ctx, cl *client, args [][]byte) bool {
	for i := 0; i < len(args); i++ {
		more := len(args) - i - 1
		switch {
		case protocol.EqualFold(args[i], "auth") && more >= 2:
			if !s.login(cl, c.Args[0], args[i+1], args[i+2]) {
				c.Out.Error(protocol.ErrWrongPass)
				return false
			}
			i += 2
		case protocol.EqualFold(args[i], "setname") && more >= 1:
			if !setClientName(c, cl, args[i+1]) {
				return false
			}
			i++
		default:
			c.Out.Error(protocol.ErrHelloOption(args[i]))
			return false
		}
	}
	return true
}

// helloRole is HELLO's role: "master" on the node that ROLE calls master
// (the leader, or a node that is the whole configuration), "replica" on a
// follower, as Redis answers on a replica.
func (s *Server) helloRole() string {
	return ifElse(s.router.IsLeader() || s.alone(), "master", "replica")
}

func replyHello(c *protocol.Ctx, cl *client, role string) {
	c.Out.Map(7)
	c.Out.BulkString("server")
	c.Out.BulkString("redis")
	c.Out.BulkString("version")
	c.Out.BulkString(RedisVersion)
	c.Out.BulkString("proto")
	c.Out.Int(int64(cl.out.Proto))
	c.Out.BulkString("id")
	c.Out.Int(cl.id)
	c.Out.BulkString("mode")
	c.Out.BulkString("standalone")
	c.Out.BulkString("role")
	c.Out.BulkString(role)
	c.Out.BulkString("modules")
	c.Out.Array(0)
}

// setClientName names the connection (an empty name removes it), or
// replies with Redis's error for a name CLIENT LIST could not show.
func setClientName(c *protocol.Ctx, cl *client, name []byte) bool {
	if !validClientName(name) {
		c.Out.Error(protocol.ErrClientName)
		return false
	}
	cl.mu.Lock()
	cl.name = string(name)
	cl.mu.Unlock()
	return true
}

// validClientName allows printable ASCII other than space, as Redis does.
func validClientName(b []byte) bool {
	for _, ch := range b {
		if ch < '!' || ch > '~' {
			return false
		}
	}
	return true
}
