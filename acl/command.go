package acl

import (
	"crypto/rand"
	"encoding/hex"
	"strings"
	"time"

	"github.com/geetcache/geetcache/protocol"
)

// Session is what ACL's connection subcommands (WHOAMI) ask of the
// connection running them (protocol.Ctx.Conn).
type Session interface {
	ACLUserName() string
}

// DryRunFunc answers ACL DRYRUN for user u and argv: "" when allowed, the
// denial's text otherwise, or errMsg (a whole error reply) when argv names
// no command or has the wrong arity.
type DryRunFunc func(u *User, argv [][]byte) (denial, errMsg string)

// Service serves the ACL command over a user table and this node's log.
type Service struct {
	users  *Users
	log    *Log
	dryRun DryRunFunc
}

// NewService returns the ACL command's service.
func NewService(users *Users) *Service {
	return &Service{users: users, log: NewLog(LogMaxLen)}
}

// Users returns the user table.
func (s *Service) Users() *Users { return s.users }

// Log returns this node's ACL LOG.
func (s *Service) Log() *Log { return s.log }

// SetDryRun installs ACL DRYRUN's check. Call it before serving.
func (s *Service) SetDryRun(f DryRunFunc) { s.dryRun = f }

// commandLevel is the command level (protocol.Table.Level) of ACL SETUSER
// and DELUSER: a binary from before users stops at their entries rather
// than skipping them.
const commandLevel = 4

// Commands returns the ACL command (a container) for the command table:
// SETUSER and DELUSER are writes (log entries applied on every node), the
// others run on the node the client is connected to.
func (s *Service) Commands() []*protocol.Command {
	return []*protocol.Command{{Name: "acl", Arity: -2, Group: "server", Since: "6.0.0",
		Summary: "A container for Access List Control commands", Handler: s.container(), Level: commandLevel,
		CallFlags: aclCallFlags}}
}

func aclCallFlags(args [][]byte) protocol.Flags {
	if len(args) >= 2 && (protocol.EqualFold(args[1], "setuser") || protocol.EqualFold(args[1], "deluser")) {
		return protocol.Write
	}
	return 0
}

type container struct{ subs []*protocol.Command }

func (s *Service) container() *container {
	const admin = protocol.Admin | protocol.NoScript | protocol.Loading | protocol.Stale
	const plain = protocol.NoScript | protocol.Loading | protocol.Stale
	row := func(name string, arity int, flags protocol.Flags, summary string, h protocol.HandlerFunc) *protocol.Command {
		return &protocol.Command{Name: "acl|" + name, Arity: arity, Flags: flags, Group: "server",
			Summary: summary, Since: "6.0.0", Handler: h, Level: commandLevel}
	}
	return &container{subs: []*protocol.Command{
		row("cat", -2, plain, "List the ACL categories or the commands inside a category", s.cat),
		row("deluser", -3, admin, "Remove the specified ACL users and the associated rules", s.delUser),
		row("dryrun", -4, admin, "Returns whether the user can execute the given command without executing the command.", s.dryRunCmd),
		row("genpass", -2, plain, "Generate a pseudorandom secure password to use for ACL users", genPass),
		row("getuser", 3, admin, "Get the rules for a specific ACL user", s.getUser),
		row("help", 2, protocol.Loading|protocol.Stale, "Show helpful text about the different subcommands", help),
		row("list", 2, admin, "List the current ACL rules in ACL config file format", s.list),
		row("load", 2, admin, "Reload the ACLs from the configured ACL file", noFile),
		row("log", -2, admin, "List latest events denied because of ACLs in place", s.logCmd),
		row("save", 2, admin, "Save the current ACL rules in the configured ACL file", noFile),
		row("setuser", -3, admin, "Modify or create the rules for a specific ACL user", s.setUser),
		row("users", 2, admin, "List the username of all the configured ACL rules", s.usersCmd),
		row("whoami", 2, plain, "Return the name of the user associated to the current connection", whoAmI),
	}}
}

// Subcommands returns ACL's subcommands, sorted by name.
func (c *container) Subcommands() []*protocol.Command { return c.subs }

// ACL <subcommand> [<arg> ...]
func (c *container) ServeRESP(ctx *protocol.Ctx) {
	sub := protocol.SubcommandOf(&protocol.Command{Handler: c}, ctx.Args[1])
	switch {
	case sub == nil:
		ctx.Out.Error(protocol.ErrUnknownSubcommand(ctx.Args[1], "acl"))
	case !sub.ArityOK(len(ctx.Args)):
		ctx.Out.Error(protocol.ErrWrongArity(sub.Name))
	default:
		sub.Handler.ServeRESP(ctx)
	}
}

// ACL SETUSER username [rule [rule ...]]: applied inside the state
// machine on every node (a write).
func (s *Service) setUser(c *protocol.Ctx) {
	rules := make([]string, 0, len(c.Args)-3)
	for _, a := range c.Args[3:] {
		rules = append(rules, string(a))
	}
	var err error
	if c.Writing() {
		err = s.users.SetUser(string(c.Args[2]), rules)
	} else {
		_, err = s.users.Check(string(c.Args[2]), rules)
	}
	if err != nil {
		c.Out.Error("ERR " + err.Error())
		return
	}
	c.Out.OK()
}

// ACL DELUSER username [username ...]
func (s *Service) delUser(c *protocol.Ctx) {
	names := make([]string, 0, len(c.Args)-2)
	for _, a := range c.Args[2:] {
		if string(a) == "default" {
			c.Out.Error("ERR The 'default' user cannot be removed")
			return
		}
		names = append(names, string(a))
	}
	if !c.Writing() {
		c.Out.Int(0)
		return
	}
	c.Out.Int(int64(s.users.DelUser(names)))
}

// ACL GETUSER username
func (s *Service) getUser(c *protocol.Ctx) {
	u := s.users.Get(string(c.Args[2]))
	if u == nil {
		c.Out.Null()
		return
	}
	c.Out.Map(6)
	c.Out.BulkString("flags")
	flags := u.Flags()
	c.Out.Set(len(flags))
	for _, f := range flags {
		c.Out.BulkString(f)
	}
	c.Out.BulkString("passwords")
	bulks(c.Out, u.Passwords)
	selectorFields(c.Out, &u.Selector)
	c.Out.BulkString("selectors")
	c.Out.Array(len(u.Selectors))
	for _, sel := range u.Selectors {
		c.Out.Map(3)
		selectorFields(c.Out, sel)
	}
}

// selectorFields writes a selector's commands, keys and channels, as
// three fields of ACL GETUSER's map (the user's own, or an added
// selector's).
func selectorFields(w *protocol.Writer, sel *Selector) {
	w.BulkString("commands")
	w.BulkString(sel.CommandRules())
	w.BulkString("keys")
	w.BulkString(sel.KeyRules())
	w.BulkString("channels")
	w.BulkString(sel.ChannelRules())
}

func bulks(w *protocol.Writer, ss []string) {
	w.Array(len(ss))
	for _, s := range ss {
		w.BulkString(s)
	}
}

// ACL LIST
func (s *Service) list(c *protocol.Ctx) {
	names := s.users.Names()
	c.Out.Array(len(names))
	for _, n := range names {
		if u := s.users.Get(n); u != nil {
			c.Out.BulkString("user " + n + " " + u.Describe())
		} else {
			c.Out.BulkString("user " + n + " off resetchannels -@all")
		}
	}
}

// ACL USERS
func (s *Service) usersCmd(c *protocol.Ctx) { bulks(c.Out, s.users.Names()) }

// ACL WHOAMI
func whoAmI(c *protocol.Ctx) {
	name := "default"
	if sess, ok := c.Conn.(Session); ok {
		name = sess.ACLUserName()
	}
	c.Out.BulkString(name)
}

// ACL CAT [category]
func (s *Service) cat(c *protocol.Ctx) {
	if len(c.Args) == 2 {
		bulks(c.Out, Categories)
		return
	}
	if len(c.Args) > 3 {
		c.Out.Error(protocol.ErrSubcommandSyntax(c.Args[1], "acl"))
		return
	}
	cat := strings.ToLower(string(c.Args[2]))
	if !KnownCategory(cat) {
		c.Out.Error("ERR Unknown category '" + string(c.Args[2]) + "'")
		return
	}
	bulks(c.Out, s.users.cat.InCategory(cat))
}

// ACL GENPASS [bits]
func genPass(c *protocol.Ctx) {
	bits := int64(256)
	if len(c.Args) > 3 {
		c.Out.Error(protocol.ErrSubcommandSyntax(c.Args[1], "acl"))
		return
	}
	if len(c.Args) == 3 {
		n, ok := protocol.ParseInt(c.Args[2])
		if !ok || n <= 0 || n > 4096 {
			c.Out.Error("ERR ACL GENPASS argument must be the number of bits for the output password, a positive number up to 4096")
			return
		}
		bits = n
	}
	chars := int((bits + 3) / 4)
	buf := make([]byte, (chars+1)/2)
	if _, err := rand.Read(buf); err != nil {
		c.Out.Error("ERR failed to read random bytes")
		return
	}
	c.Out.BulkString(hex.EncodeToString(buf)[:chars])
}

// ACL DRYRUN username command [arg ...]
func (s *Service) dryRunCmd(c *protocol.Ctx) {
	u := s.users.Get(string(c.Args[2]))
	if u == nil {
		c.Out.Error("ERR User '" + string(c.Args[2]) + "' not found")
		return
	}
	denial, errMsg := s.dryRun(u, c.Args[3:])
	switch {
	case errMsg != "":
		c.Out.Error(errMsg)
	case denial != "":
		c.Out.BulkString(denial)
	default:
		c.Out.OK()
	}
}

// ACL LOG [count | RESET]
func (s *Service) logCmd(c *protocol.Ctx) {
	n := -1
	if len(c.Args) > 3 {
		c.Out.Error(protocol.ErrSubcommandSyntax(c.Args[1], "acl"))
		return
	}
	if len(c.Args) == 3 {
		if protocol.EqualFold(c.Args[2], "reset") {
			s.log.Reset()
			c.Out.OK()
			return
		}
		v, ok := protocol.ParseInt(c.Args[2])
		if !ok || v < 0 {
			c.Out.Error(protocol.ErrNotInteger)
			return
		}
		n = int(min(v, 1<<20))
	}
	entries, now := s.log.Entries(n), time.Now()
	c.Out.Array(len(entries))
	for _, e := range entries {
		writeLogEntry(c.Out, e, now)
	}
}

func writeLogEntry(w *protocol.Writer, e LogEntry, now time.Time) {
	w.Map(7)
	w.BulkString("count")
	w.Int(e.Count)
	for _, kv := range [][2]string{{"reason", e.Reason}, {"context", e.Context}, {"object", e.Object}, {"username", e.Username}} {
		w.BulkString(kv[0])
		w.BulkString(kv[1])
	}
	w.BulkString("age-seconds")
	w.Double(float64(now.Sub(e.Created).Milliseconds()) / 1000)
	w.BulkString("client-info")
	w.BulkString(e.ClientInfo)
}

// ACL LOAD and ACL SAVE: there is no aclfile.
func noFile(c *protocol.Ctx) {
	c.Out.Error("ERR This Redis instance is not configured to use an ACL file. You may want to specify users via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a Redis configuration file set) in order to store users in the Redis configuration.")
}

// ACL HELP
func help(c *protocol.Ctx) {
	lines := []string{
		"ACL <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
		"CAT [<category>]",
		"    List all commands that belong to <category>, or all command categories",
		"    when no category is specified.",
		"DELUSER <username> [<username> ...]",
		"    Delete a list of users.",
		"DRYRUN <username> <command> [<arg> ...]",
		"    Returns whether the user can execute the given command without executing the command.",
		"GETUSER <username>",
		"    Get the user's details.",
		"GENPASS [<bits>]",
		"    Generate a secure 256-bit user password. The optional `bits` argument can",
		"    be used to specify a different size.",
		"LIST",
		"    Show users details in config file format.",
		"LOAD",
		"    Reload users from the ACL file.",
		"LOG [<count> | RESET]",
		"    Show the ACL log entries.",
		"SAVE",
		"    Save the current config to the ACL file.",
		"SETUSER <username> <attribute> [<attribute> ...]",
		"    Create or modify a user with the specified attributes.",
		"USERS",
		"    List all the registered usernames.",
		"WHOAMI",
		"    Return the current connection username.",
		"HELP",
		"    Prints this help.",
	}
	c.Out.Array(len(lines))
	for _, l := range lines {
		c.Out.Simple(l)
	}
}
