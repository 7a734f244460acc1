package server

import (
	"strconv"

	"github.com/geetcache/geetcache/protocol"
)

// RedisVersion is the Redis version geetcache answers as, in HELLO and INFO:
// the one whose replies it reproduces.
const RedisVersion = "7.0.15"

func (s *Server) connectionCommands() []*protocol.Command {
	return []*protocol.Command{
		{Name: "ping", Arity: -1, Flags: protocol.Fast, Group: "connection", Since: "1.0.0",
			Summary: "Returns the server's liveliness response.", Handler: protocol.HandlerFunc(ping)},
		{Name: "echo", Arity: 2, Flags: protocol.Fast, Group: "connection", Since: "1.0.0",
			Summary: "Returns the given string.", Handler: protocol.HandlerFunc(echo)},
		{Name: "quit", Arity: -1, Flags: protocol.NoScript | protocol.Loading | protocol.Stale | protocol.Fast | protocol.NoAuth | protocol.AllowBusy,
			Group: "connection", Since: "1.0.0", Summary: "Closes the connection.", Handler: protocol.HandlerFunc(quit)},
		{Name: "select", Arity: 2, Flags: protocol.Loading | protocol.Stale | protocol.Fast, Group: "connection", Since: "1.0.0",
			Summary: "Changes the selected database.", Handler: protocol.HandlerFunc(selectDB)},
		{Name: "hello", Arity: -1, Flags: protocol.NoScript | protocol.Loading | protocol.Stale | protocol.Fast | protocol.NoAuth | protocol.AllowBusy,
			Group: "connection", Since: "6.0.0", Summary: "Handshakes with the Redis server.", Handler: protocol.HandlerFunc(hello)},
	}
}

// PING [message]
func ping(c *protocol.Ctx) {
	switch len(c.Args) {
	case 1:
		c.Out.Simple("PONG")
	case 2:
		c.Out.Bulk(c.Args[1])
	default:
		c.Out.Error(protocol.ErrWrongArity("ping"))
	}
}

// ECHO message
func echo(c *protocol.Ctx) { c.Out.Bulk(c.Args[1]) }

// QUIT
func quit(c *protocol.Ctx) {
	c.Out.OK()
	conn(c).quit = true
}

// SELECT index: geetcache has one database, as Redis Cluster does.
func selectDB(c *protocol.Ctx) {
	n, ok := protocol.ParseInt(c.Args[1])
	switch {
	case !ok:
		c.Out.Error(protocol.ErrNotInteger)
	case n != 0:
		c.Out.Error(protocol.ErrDBIndex)
	default:
		c.Out.OK()
	}
}

// HELLO [protover [AUTH username password] [SETNAME clientname]]
func hello(c *protocol.Ctx) {
	cl := conn(c)
	proto := cl.out.Proto
	args := c.Args[1:]
	if len(args) > 0 {
		v, ok := protocol.ParseInt(args[0])
		if !ok {
			c.Out.Error("ERR Protocol version is not an integer or out of range")
			return
		}
		if v != 2 && v != 3 {
			c.Out.Error("NOPROTO unsupported protocol version")
			return
		}
		proto, args = int(v), args[1:]
	}
	name, ok := helloOptions(c, args)
	if !ok {
		return
	}
	if name != nil {
		cl.setName(string(name))
	}
	cl.setProto(proto)
	replyHello(c, cl)
}

// helloOptions parses HELLO's AUTH and SETNAME; it replies on error.
func helloOptions(c *protocol.Ctx, args [][]byte) (name []byte, ok bool) {
	for i := 0; i < len(args); i++ {
		left := len(args) - i - 1
		switch {
		case protocol.EqualFold(args[i], "auth") && left >= 2:
			// No password is configured, so the default user needs none.
			if !protocol.EqualFold(args[i+1], "default") {
				c.Out.Error("WRONGPASS invalid username-password pair or user is disabled.")
				return nil, false
			}
			i += 2
		case protocol.EqualFold(args[i], "setname") && left >= 1:
			if !validClientName(args[i+1]) {
				c.Out.Error(errClientName)
				return nil, false
			}
			name = args[i+1]
			i++
		default:
			c.Out.Error("ERR Syntax error in HELLO option '" + string(args[i]) + "'")
			return nil, false
		}
	}
	return name, true
}

func replyHello(c *protocol.Ctx, cl *client) {
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
	c.Out.BulkString("master")
	c.Out.BulkString("modules")
	c.Out.Array(0)
}

const errClientName = "ERR Client names cannot contain spaces, newlines or special characters."

// validClientName allows printable ASCII other than space, as Redis does.
func validClientName(b []byte) bool {
	for _, ch := range b {
		if ch < '!' || ch > '~' {
			return false
		}
	}
	return true
}

func (cl *client) setName(name string) {
	cl.mu.Lock()
	cl.name = name
	cl.mu.Unlock()
}

var _ = strconv.Itoa
