package server

import (
	"slices"
	"time"

	"github.com/geetcache/geetcache/acl"
	"github.com/geetcache/geetcache/protocol"
	"github.com/geetcache/geetcache/pubsub"
)

// ACLCatalog returns the commands ACL rules can name: Redis 7.0's (with
// Redis's categories), the data and server commands and extra (the
// scripting and ACL rows), with their categories.
// It needs no running server, so the state machine can resolve rules
// before the server starts.
func ACLCatalog(extra []*protocol.Command) *acl.Catalog {
	table := protocol.DataTable()
	for _, c := range (&Server{}).serverCommands() {
		table.Register(c)
	}
	for _, c := range extra {
		table.Register(c)
	}
	cat := acl.NewRedisCatalog()
	for _, c := range table.All() {
		cat.Add(c.Name, categoriesOf(c))
		for _, sub := range protocol.SubcommandsOf(c) {
			cat.Add(sub.Name, categoriesOf(sub))
		}
	}
	return cat
}

// aclState is a connection's identity: its user (immutable; looked up
// again when the table's version moves) and whether it authenticated.
type aclState struct {
	user    *acl.User
	userVer uint64
	authed  bool
}

// ACLUserName is ACL WHOAMI's answer (acl.Session).
func (c *client) ACLUserName() string {
	if c.acl.user == nil {
		return defaultUser
	}
	return c.acl.user.Name
}

// startACL gives a new connection the default user, authenticated when
// that user needs no password (as Redis's createClient).
func (s *Server) startACL(c *client) {
	if s.cfg.ACL == nil {
		c.acl.authed = true
		return
	}
	users := s.cfg.ACL.Users()
	c.acl.userVer = users.Version()
	c.acl.user = users.Get(defaultUser)
	c.acl.authed = c.acl.user != nil && c.acl.user.On && c.acl.user.NoPass && s.cfg.RequirePass == ""
	c.setUserName(defaultUser)
	c.aclCheck = func(argv [][]byte, log bool) string { return s.scriptCheck(c, argv, log) }
}

func (c *client) setUserName(name string) {
	c.mu.Lock()
	c.userName = name
	c.mu.Unlock()
}

// currentUser returns c's user as the table now has it; nil when it was
// deleted.
func (s *Server) currentUser(c *client) *acl.User {
	users := s.cfg.ACL.Users()
	if v := users.Version(); v != c.acl.userVer {
		c.acl.userVer = v
		if c.acl.user != nil {
			c.acl.user = users.Get(c.acl.user.Name)
		}
	}
	return c.acl.user
}

// permitted checks cl against c's authentication and permissions before
// it is routed, queued or forwarded, as Redis's processCommand does (after
// the unknown-command and arity checks); it answers the refusal and
// returns false.
func (s *Server) permitted(c *client, b *batch, cl *call) bool {
	if s.cfg.ACL == nil {
		return true
	}
	u := s.currentUser(c)
	switch {
	case u == nil: // the user was deleted: Redis closes its clients without a reply
		c.quit = true
		return false
	case !c.acl.authed && !noAuth(cl.cmd, cl.args):
		s.denied(c, b, protocol.ErrNoAuth)
		return false
	case u.Unrestricted() || linkOwnState(cl.cmd, cl.args):
		return true
	}
	denial, object := s.check(u, cl.cmd, cl.args)
	if denial == acl.Allowed {
		if msg := sortPatternDenied(u, cl.cmd, cl.args); msg != "" && c.multi == nil {
			s.reject(c, b, msg)
			return false
		}
		return true
	}
	s.logDenial(c, u, denial, object, ifElse(c.multi != nil, "multi", "toplevel"))
	s.denied(c, b, noPermText(denial, object))
	return false
}

// recheckQueued checks m's commands again at EXEC, as Redis does: one
// the user may no longer run is logged (context "multi") and answered in
// its place in EXEC's array with Redis's NOPERM error; the others run.
func (s *Server) recheckQueued(c *client, m *multiState) {
	if s.aclFree(c) {
		return
	}
	u := s.currentUser(c)
	if u == nil {
		return
	}
	for i := range m.items {
		it := &m.items[i]
		d, obj := s.check(u, it.cmd, it.args)
		if d == acl.Allowed {
			continue
		}
		s.logDenial(c, u, d, obj, "multi")
		reason := [...]string{acl.DeniedCommand: "no permission to execute the command or subcommand",
			acl.DeniedKey:     "no permission to touch the specified keys",
			acl.DeniedChannel: "no permission to access one of the channels used as arguments"}[d]
		it.denied = "NOPERM ACLs rules changed between the moment the transaction was accumulated and the EXEC call. " +
			"This command is no longer allowed for the following reason: " + reason
	}
}

// denied refuses the call; inside MULTI, EXEC will abort.
func (s *Server) denied(c *client, b *batch, msg string) {
	if c.multi != nil {
		c.multi.dirty = true
	}
	s.reject(c, b, msg)
}

// noPermText is the NOPERM error for a denial.
func noPermText(d acl.Denial, object string) string {
	switch d {
	case acl.DeniedKey:
		return "NOPERM this user has no permissions to access one of the keys used as arguments"
	case acl.DeniedChannel:
		return "NOPERM this user has no permissions to access one of the channels used as arguments"
	}
	return "NOPERM this user has no permissions to run the '" + object + "' command"
}

// check returns whether u may run cmd with args: what it denies and the
// command's full name, key or channel that was refused. With selectors,
// one that allows the whole call suffices; otherwise the denial reported
// is Redis's (ACLCheckAllUserCommandPerm): the worst kind (channel, then
// key, then command), and of equal kinds the one furthest in args.
func (s *Server) check(u *acl.User, cmd *protocol.Command, args [][]byte) (acl.Denial, string) {
	return checkCall(u, cmd, args)
}

// checkCall is check's rules, which need no server state: the state
// machine checks scripts' calls with them too (ScriptCallCheck).
func checkCall(u *acl.User, cmd *protocol.Command, args [][]byte) (acl.Denial, string) {
	if u.Unrestricted() || noAuth(cmd, args) {
		return acl.Allowed, ""
	}
	run, full, first := cmd, cmd.Name, []byte(nil)
	if len(args) > 1 {
		if sub := protocol.SubcommandOf(cmd, args[1]); sub != nil {
			run, full = sub, sub.Name
		} else {
			first = args[1]
		}
	}
	worst, at := acl.DeniedCommand, 0
	for _, sel := range u.AllSelectors() {
		d, i := checkSelector(sel, run, full, first, args)
		if d == acl.Allowed {
			return acl.Allowed, ""
		}
		if d > worst || d == worst && i > at {
			worst, at = d, i
		}
	}
	if worst == acl.DeniedCommand {
		return worst, full
	}
	return worst, string(args[at])
}

// checkSelector checks the call against one selector: the command, then
// its keys, then its channels; it returns the denial and the position in
// args of the key or channel refused.
func checkSelector(sel *acl.Selector, run *protocol.Command, full string, first []byte, args [][]byte) (acl.Denial, int) {
	if !sel.CanRun(full, first) {
		return acl.DeniedCommand, 0
	}
	if d, i := checkKeys(sel, run, args); d != acl.Allowed {
		return d, i
	}
	return checkChannels(sel, run, args)
}

// checkKeys checks the call's keys. Each key needs what Redis 7.0's key
// spec that finds it asks (ACLSelectorCheckKey): read access for an
// "access" key, write access for an "insert", "delete" or "update" one,
// both for both, and any pattern that matches for a key that is neither
// (EXISTS, TYPE, HEXISTS...). A command Redis has no key specs for (a
// geetcache one) needs write access to each key when it writes, read
// access otherwise. The shard channels of SPUBLISH, SSUBSCRIBE and
// SUNSUBSCRIBE are in the key positions, but are not keys (Redis's
// not_key key specs).
func checkKeys(u *acl.Selector, cmd *protocol.Command, args [][]byte) (acl.Denial, int) {
	if u.AllKeys || shardChannelCommand(cmd.Name) {
		return acl.Allowed, 0
	}
	keys, _ := keyPositions(cmd, args)
	specs := protocol.RedisKeySpecs(cmd.Name)
	need := acl.KeyRead
	if cmd.FlagsFor(args)&protocol.Write != 0 {
		need = acl.KeyWrite
	}
	var specFlags [][]string
	if specs != nil && len(keys) > 0 {
		specFlags = keyFlags(specs, args)
	}
	for _, i := range keys {
		if specs != nil {
			need = keyAccess(variableFlags(cmd.Name, args, specFlags[i]))
		}
		if !u.CanKey(args[i], need) {
			return acl.DeniedKey, i
		}
	}
	return acl.Allowed, 0
}

// keyAccess is the permission a key spec's flags ask for.
func keyAccess(flags []string) int {
	need := 0
	for _, f := range flags {
		switch f {
		case "access":
			need |= acl.KeyRead
		case "insert", "delete", "update":
			need |= acl.KeyWrite
		}
	}
	return need
}

func shardChannelCommand(name string) bool {
	return name == "spublish" || name == "ssubscribe" || name == "sunsubscribe"
}

// checkChannels checks the channels of the pub/sub commands that name
// them (UNSUBSCRIBE and PUNSUBSCRIBE need none).
func checkChannels(u *acl.Selector, cmd *protocol.Command, args [][]byte) (acl.Denial, int) {
	if u.AllChannels {
		return acl.Allowed, 0
	}
	pattern := false
	switch cmd.Name {
	case "publish", "spublish":
		args = args[:min(len(args), 2)]
	case "subscribe", "ssubscribe":
	case "psubscribe":
		pattern = true
	default:
		return acl.Allowed, 0
	}
	for i := 1; i < len(args); i++ {
		if !u.CanChannel(args[i], pattern) {
			return acl.DeniedChannel, i
		}
	}
	return acl.Allowed, 0
}

// logDenial records a refused command, key or channel in ACL LOG.
func (s *Server) logDenial(c *client, u *acl.User, d acl.Denial, object, context string) {
	reason := [...]string{acl.DeniedCommand: "command", acl.DeniedKey: "key", acl.DeniedChannel: "channel"}[d]
	s.cfg.ACL.Log().Add(acl.LogEntry{Reason: reason, Context: context, Object: object,
		Username: u.Name, ClientInfo: s.clientInfo(c)}, time.Now())
}

// clientInfo is c's CLIENT INFO line, without its newline.
func (s *Server) clientInfo(c *client) string {
	line := c.snapshot(time.Now(), nil).appendLine(nil)
	return string(line[:len(line)-1])
}

// dryRun answers ACL DRYRUN (acl.DryRunFunc).
func (s *Server) dryRun(u *acl.User, argv [][]byte) (string, string) {
	cmd := s.table.Lookup(argv[0])
	if cmd == nil {
		return "", "ERR Command '" + string(argv[0]) + "' not found"
	}
	if !cmd.ArityOK(len(argv)) {
		return "", protocol.ErrWrongArity(cmd.Name)
	}
	switch d, obj := s.check(u, cmd, argv); d {
	case acl.DeniedCommand:
		return "This user has no permissions to run the '" + obj + "' command", ""
	case acl.DeniedKey:
		return "This user has no permissions to access the '" + obj + "' key", ""
	case acl.DeniedChannel:
		return "This user has no permissions to access the '" + obj + "' channel", ""
	}
	return "", ""
}

// aclFree reports whether c's calls need no ACL check: no ACL, or an
// authenticated user with every permission (the hot path's only cost).
func (s *Server) aclFree(c *client) bool {
	if s.cfg.ACL == nil {
		return true
	}
	u := s.currentUser(c)
	return c.acl.authed && u != nil && u.Unrestricted()
}

// defaultNoPass reports whether the default user needs no password.
func (s *Server) defaultNoPass() bool {
	if s.cfg.ACL == nil {
		return true
	}
	u := s.cfg.ACL.Users().Get(defaultUser)
	return u != nil && u.NoPass && s.cfg.RequirePass == ""
}

// login authenticates c as user with pass: on success c runs as that user
// from its next command on; a failure is logged in ACL LOG.
func (s *Server) login(c *client, cmdName, user, pass []byte) bool {
	if s.cfg.ACL == nil {
		return string(user) == defaultUser
	}
	users := s.cfg.ACL.Users()
	ver := users.Version()
	u := users.Get(string(user))
	if !u.Authenticate(pass) && !s.router.IsLeader() && s.usersCaughtUp() {
		// A follower may not have applied a user change the client made
		// through it (ACL SETUSER then AUTH): now it has.
		users = s.cfg.ACL.Users()
		ver = users.Version()
		u = users.Get(string(user))
	}
	if !u.Authenticate(pass) || !s.flagPassword(u, pass) {
		context := ifElse(c.multi != nil, "multi", "toplevel")
		s.cfg.ACL.Log().Add(acl.LogEntry{Reason: "auth", Context: context, Object: string(cmdName),
			Username: string(user), ClientInfo: s.clientInfo(c)}, time.Now())
		return false
	}
	c.acl = aclState{user: u, userVer: ver, authed: true}
	c.setUserName(u.Name)
	return true
}

// usersCaughtUp waits, on a follower, until this node has applied the
// leader's read index, so that its users hold every change committed
// before the call (a user the client just created through this node);
// false when it cannot.
func (s *Server) usersCaughtUp() bool {
	ri, errMsg := s.fetchReadIndex(time.Now().Add(s.cfg.ElectionWait))
	return errMsg == "" && s.linear.WaitApplied(ri.index, s.cfg.ElectionWait) == nil
}

// knownUser reports whether the ACL user name exists.
func (s *Server) knownUser(name []byte) bool {
	if s.cfg.ACL == nil {
		return string(name) == defaultUser
	}
	return s.cfg.ACL.Users().Get(string(name)) != nil
}

// userNameOf returns c's user name, for other goroutines.
func (c *client) userNameOf() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return ifElse(c.userName == "", defaultUser, c.userName)
}

// hidePasswords rewrites ACL SETUSER's ">pass" rules into "#<sha256>"
// and "<pass" rules into "!<sha256>" (the same user results) before the
// command is forwarded or proposed, so no clear password reaches the Raft
// log. Outside MULTI, a call with a "<pass" rule is first checked against
// this node's users: its error (which names the rule as sent, as Redis's
// does) is returned, and the call goes no further.
func (s *Server) hidePasswords(c *client, args [][]byte) string {
	if len(args) < 4 || !protocol.EqualFold(args[1], "setuser") {
		return ""
	}
	if s.cfg.ACL != nil && c.multi == nil && slices.ContainsFunc(args[3:], func(a []byte) bool { return len(a) > 0 && a[0] == '<' }) {
		rules := make([]string, 0, len(args)-3)
		for _, a := range args[3:] {
			rules = append(rules, string(a))
		}
		if _, err := s.cfg.ACL.Users().Check(string(args[2]), rules); err != nil {
			return "ERR " + err.Error()
		}
	}
	for i := 3; i < len(args); i++ {
		if len(args[i]) > 0 && (args[i][0] == '>' || args[i][0] == '<') {
			args[i] = []byte(ifElse(args[i][0] == '>', "#", "!") + acl.HashPassword(args[i][1:]))
		}
	}
	return ""
}

// ScriptACLCheck checks a script's call against c's user
// (scripting.ACLChecker): "" when allowed, else Redis's error for a
// script, logged with the context "lua".
func (c *client) ScriptACLCheck(argv [][]byte) string {
	if c.aclCheck == nil {
		return ""
	}
	return c.aclCheck(argv, true)
}

// ACLAllows reports whether c's user may run argv (redis.acl_check_cmd).
func (c *client) ACLAllows(argv [][]byte) bool {
	return c.aclCheck == nil || c.aclCheck(argv, false) == ""
}

// scriptCheck is a client's aclCheck: argv checked against c's user as
// a script's call; with log, a denial goes to ACL LOG.
func (s *Server) scriptCheck(c *client, argv [][]byte, log bool) string {
	u := s.currentUser(c)
	if u == nil || u.Unrestricted() {
		return ""
	}
	cmd := s.table.Lookup(argv[0])
	if cmd == nil {
		return ""
	}
	d, obj := s.check(u, cmd, argv)
	if d == acl.Allowed {
		return ""
	}
	if log {
		s.logDenial(c, u, d, obj, "lua")
	}
	return scriptDenialText(d)
}

// scriptDenialText is the error a script's call denied by d answers.
func scriptDenialText(d acl.Denial) string {
	switch d {
	case acl.DeniedKey:
		return "ERR The user executing the script can't access at least one of the keys mentioned in the command arguments"
	case acl.DeniedChannel:
		return "ERR The user executing the script can't publish to the channel mentioned in the command"
	}
	return "ERR The user executing the script can't run this command or subcommand"
}

// ScriptCallCheck checks a script's call inside the state machine
// (cluster.Config.ScriptACL): "" when u may run argv (cmd is its command,
// known and arity checked), else the error the call answers. A nil u (the
// unit's user was deleted before the entry applied) may run nothing.
func ScriptCallCheck(u *acl.User, cmd *protocol.Command, argv [][]byte) string {
	if u == nil {
		return scriptDenialText(acl.DeniedCommand)
	}
	if d, _ := checkCall(u, cmd, argv); d != acl.Allowed {
		return scriptDenialText(d)
	}
	return ""
}

// noAuth reports whether the call needs no authentication (AUTH, HELLO,
// QUIT, RESET, RAFT AUTH): Redis's no-auth flag, of the subcommand too.
// linkOwnState reports whether cmd is one of the RAFT subcommands a
// follower sends on a client's link to the leader to set that link's own
// state for the client's transaction, tracking or blocking command
// (WATCHED, QUEUED, ORIGIN, ARRIVED). The link is logged in as the
// client's user (RAFT AUTH), and the follower checked the client's own
// commands (WATCH, MULTI, CLIENT TRACKING) against that user; RAFT needs
// @admin and @dangerous, so for a user without them the leader refused
// WATCHED, and the transaction ran without its watch. They change nothing
// but the connection that sends them (ARRIVED: where its next blocking
// command queues among those of the same follower), and with
// tls-cluster only nodes may send them (memberOnly).
func linkOwnState(cmd *protocol.Command, args [][]byte) bool {
	if cmd.Name != "raft" || len(args) < 2 {
		return false
	}
	sub := protocol.SubcommandOf(cmd, args[1])
	return sub != nil && (sub.Name == "raft|watched" || sub.Name == "raft|queued" || sub.Name == "raft|origin" ||
		sub.Name == "raft|arrived")
}

func noAuth(cmd *protocol.Command, args [][]byte) bool {
	if cmd.Flags&protocol.NoAuth != 0 {
		return true
	}
	if len(args) > 1 && protocol.SubcommandsOf(cmd) != nil {
		sub := protocol.SubcommandOf(cmd, args[1])
		return sub != nil && sub.Flags&protocol.NoAuth != 0
	}
	return false
}

// watchUsers closes, as Redis does, the connections of users that were
// deleted (or a snapshot left out), and the subscribers that lost the
// permission of one of their channels or patterns
// (ACLKillPubsubClientsIfNeeded), each time the user table changes,
// until stop closes. A connection running a batch or writing its replies
// (inBatch) is marked for serve to check once the replies are out
// (recheckUser); the mark is looked at again after it is set, so a batch
// that ended meanwhile cannot miss it.
func (s *Server) watchUsers(changes <-chan struct{}, stop chan struct{}) {
	defer s.wg.Done()
	for {
		select {
		case <-stop:
			return
		case <-changes:
		}
		for _, cl := range s.clientsByID() {
			if cl.inBatch.Load() { // its replies go out first: serve checks again (userGone)
				cl.recheckUser.Store(true)
				if cl.inBatch.Load() {
					continue
				}
			}
			if s.userGone(cl) {
				s.mu.Lock()
				s.forgetClient(cl)
				s.mu.Unlock()
				cl.nc.Close()
			}
		}
	}
}

// changesUsers reports whether one of cmds, proposed or forwarded, is an
// ACL command: the ones that reach the log (SETUSER, DELUSER) change the
// user table.
func changesUsers(cmds [][][]byte) bool {
	for _, args := range cmds {
		if len(args) > 0 && protocol.EqualFold(args[0], "acl") {
			return true
		}
	}
	return false
}

// usersChanged reports whether the user table changed since c last
// looked (currentUser), and looks again: a batch that changed it (ACL
// DELUSER of c's own user, say) is checked after its replies even when
// watchUsers has not yet run.
func (s *Server) usersChanged(c *client) bool {
	if s.cfg.ACL.Users().Version() == c.acl.userVer {
		return false
	}
	s.currentUser(c)
	return true
}

// userGone reports whether cl's user was deleted, or lost the permission
// of a channel or pattern cl listens to: Redis then disconnects it (after
// the reply of the command that made the change, for the client that
// sent it).
func (s *Server) userGone(cl *client) bool {
	u := s.cfg.ACL.Users().Get(cl.userNameOf())
	return u == nil || !subscriptionsAllowed(cl, u)
}

// subscriptionsAllowed reports whether u may keep every subscription of
// cl: a channel one of u's selectors' patterns matches, a pattern one of
// them holds literally, or a selector with allchannels.
func subscriptionsAllowed(cl *client, u *acl.User) bool {
	if !cl.subscribed.Load() {
		return true
	}
	sels := u.AllSelectors()
	for _, sel := range sels {
		if sel.AllChannels {
			return true
		}
	}
	for k := pubsub.Channel; k <= pubsub.Shard; k++ {
		for _, name := range cl.subs.snapshot(k) {
			if !slices.ContainsFunc(sels, func(sel *acl.Selector) bool { return sel.CanChannel([]byte(name), k == pubsub.Pattern) }) {
				return false
			}
		}
	}
	return true
}
