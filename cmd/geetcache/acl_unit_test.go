package main

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// unitStep is one command of Redis's unit/auth or unit/acl, run on both
// servers on the connection named on ("r", the tests' main client; "rd",
// "rd2", their deferring clients; a connection is dialed on first use, and
// again after a "close" step). mode says what must match:
//
//	'=' the reply byte for byte
//	'~' nothing (a reply that holds an address or a time); both are read
//	'S' the reply's elements as a set (Redis's hash-table order)
//	'G' ACL GETUSER: the fields byte for byte, but "commands" compared
//	    with sameDescription (Redis lists single commands in hash order)
//	'L' the newest ACL LOG entry's count, reason, context, object and
//	    username (its age and client-info differ)
//	'A' ACL LIST: each line's rules, the "@" ones in order, the others
//	    as a set
//	'N' the number of elements of the reply
//	'X' both servers close the connection (the reply read fails)
type unitStep struct {
	test string
	on   string
	mode byte
	args []string
}

// us builds steps of one Redis test on connection on, all with mode.
func us(test, on string, mode byte, cmds ...[]string) []unitStep {
	out := make([]unitStep, len(cmds))
	for i, c := range cmds {
		out[i] = unitStep{test: test, on: on, mode: mode, args: c}
	}
	return out
}

func cmdOf(args ...string) []string { return args }

// authUnit is Redis 7.0.15's tests/unit/auth.tcl, as steps: its servers
// started with requirepass become CONFIG SET requirepass here.
func authUnit() []unitStep {
	var s []unitStep
	add := func(st ...[]unitStep) {
		for _, x := range st {
			s = append(s, x...)
		}
	}
	add(us("AUTH fails if there is no password configured server side", "r", '=', cmdOf("AUTH", "foo")),
		us("Arity check for auth command", "r", '=', cmdOf("AUTH", "a", "b", "c")),
		us("(requirepass foobar)", "admin", '=', cmdOf("CONFIG", "SET", "requirepass", "foobar")),
		us("AUTH fails when a wrong password is given", "r2", '=', cmdOf("AUTH", "wrong!")),
		us("Arbitrary command gives an error when AUTH is required", "r2", '=', cmdOf("SET", "foo", "bar")),
		us("AUTH succeeds when the right password is given", "r2", '=', cmdOf("AUTH", "foobar")),
		us("Once AUTH succeeded we can actually send commands to the server", "r2", '=', cmdOf("SET", "foo", "100"), cmdOf("INCR", "foo")),
		us("AUTH fails when binary password is wrong", "admin", '=', cmdOf("CONFIG", "SET", "requirepass", "abc\x00def"), cmdOf("AUTH", "abc")),
		us("AUTH succeeds when binary password is correct", "admin", '=', cmdOf("AUTH", "abc\x00def"), cmdOf("CONFIG", "SET", "requirepass", "")),
	)
	return s
}

// aclUnit is the first server of Redis 7.0.15's tests/unit/acl.tcl, as
// steps, in its order (MEMORY DOCTOR and MEMORY STATS, whose figures are
// each server's own, compared as working or refused); CONFIG GET loglevel
// asks for maxclients instead.
func aclUnit(categories []string) []unitStep {
	var s []unitStep
	add := func(st ...[]unitStep) {
		for _, x := range st {
			s = append(s, x...)
		}
	}
	const hash = "34344e4d60c2b6d639b7bd22e18f2b0b91bc34bf0ac5f9952744435093cfb4e6"
	add(us("Connections start with the default user", "r", '=', cmdOf("ACL", "WHOAMI")),
		us("It is possible to create new users", "r", '=', cmdOf("ACL", "setuser", "newuser")),
		us("Usernames can not contain spaces or null characters", "r", '=', cmdOf("ACL", "setuser", "a a"), cmdOf("ACL", "setuser", "a\x00a")),
		us("New users start disabled", "r", '=', cmdOf("ACL", "setuser", "newuser", ">passwd1"), cmdOf("AUTH", "newuser", "passwd1")),
		us("Enabling the user allows the login", "r", '=', cmdOf("ACL", "setuser", "newuser", "on", "+acl"), cmdOf("AUTH", "newuser", "passwd1"), cmdOf("ACL", "WHOAMI")),
		us("Only the set of correct passwords work", "r", '=', cmdOf("ACL", "setuser", "newuser", ">passwd2"), cmdOf("AUTH", "newuser", "passwd1"),
			cmdOf("AUTH", "newuser", "passwd2"), cmdOf("AUTH", "newuser", "passwd3")),
		us("It is possible to remove passwords from the set of valid ones", "r", '=', cmdOf("ACL", "setuser", "newuser", "<passwd1"), cmdOf("AUTH", "newuser", "passwd1")),
		us("Test password hashes can be added", "r", '=', cmdOf("ACL", "setuser", "newuser", "#"+hash), cmdOf("AUTH", "newuser", "passwd4")),
		us("Test password hashes validate input", "r", '=', cmdOf("ACL", "setuser", "newuser", "#"+hash[:63]), cmdOf("ACL", "setuser", "newuser", "#"+hash[:63]+"q")),
		us("ACL GETUSER returns the password hash instead of the actual password", "r", 'G', cmdOf("ACL", "getuser", "newuser")),
		us("Test hashed passwords removal", "r", '=', cmdOf("ACL", "setuser", "newuser", "!"+hash)),
		us("Test hashed passwords removal", "r", 'G', cmdOf("ACL", "getuser", "newuser")),
		us("By default users are not able to access any command", "r", '=', cmdOf("SET", "foo", "bar")),
		us("By default users are not able to access any key", "r", '=', cmdOf("ACL", "setuser", "newuser", "+set"), cmdOf("SET", "foo", "bar")),
		us("It's possible to allow the access of a subset of keys", "r", '=', cmdOf("ACL", "setuser", "newuser", "allcommands", "~foo:*", "~bar:*"),
			cmdOf("SET", "foo:1", "a"), cmdOf("SET", "bar:2", "b"), cmdOf("SET", "zap:3", "c"), cmdOf("ACL", "setuser", "newuser", "allkeys")),
		us("By default, only default user is able to publish to any channel", "r", '=', cmdOf("AUTH", "default", "pwd"), cmdOf("PUBLISH", "foo", "bar"),
			cmdOf("ACL", "setuser", "psuser", "on", ">pspass", "+acl", "+client", "+@pubsub"), cmdOf("AUTH", "psuser", "pspass"), cmdOf("PUBLISH", "foo", "bar")),
		us("By default, only default user is not able to publish to any shard channel", "r", '=', cmdOf("AUTH", "default", "pwd"), cmdOf("SPUBLISH", "foo", "bar"),
			cmdOf("AUTH", "psuser", "pspass"), cmdOf("SPUBLISH", "foo", "bar")),
	)
	for _, sub := range [][2]string{{"SUBSCRIBE", "UNSUBSCRIBE"}, {"SSUBSCRIBE", "SUNSUBSCRIBE"}, {"PSUBSCRIBE", "PUNSUBSCRIBE"}} {
		name := map[string]string{"SUBSCRIBE": "channel", "SSUBSCRIBE": "shard channel", "PSUBSCRIBE": "pattern"}[sub[0]]
		add(us("By default, only default user is able to subscribe to any "+name, "rd", '=', cmdOf("AUTH", "default", "pwd"), cmdOf(sub[0], "foo"), cmdOf(sub[1]),
			cmdOf("AUTH", "psuser", "pspass"), cmdOf(sub[0], "foo")), us("", "rd", 'c', cmdOf()))
	}
	add(us("It's possible to allow publishing to a subset of channels", "r", '=', cmdOf("ACL", "setuser", "psuser", "resetchannels", "&foo:1", "&bar:*"),
		cmdOf("PUBLISH", "foo:1", "somemessage"), cmdOf("PUBLISH", "bar:2", "anothermessage"), cmdOf("PUBLISH", "zap:3", "nosuchmessage")),
		us("It's possible to allow publishing to a subset of shard channels", "r", '=', cmdOf("ACL", "setuser", "psuser", "resetchannels", "&foo:1", "&bar:*"),
			cmdOf("SPUBLISH", "foo:1", "somemessage"), cmdOf("SPUBLISH", "bar:2", "anothermessage"), cmdOf("SPUBLISH", "zap:3", "nosuchmessage")),
		us("Validate subset of channels is prefixed with resetchannels flag", "r", '=', cmdOf("ACL", "setuser", "hpuser", "on", "nopass", "resetchannels", "&foo", "+@all"),
			cmdOf("ACL", "deluser", "nobody")),
		us("Validate subset of channels is prefixed with resetchannels flag", "r", 'A', cmdOf("ACL", "LIST")),
		us("Validate subset of channels is prefixed with resetchannels flag", "r", '=', cmdOf("AUTH", "hpuser", "pass"), cmdOf("PUBLISH", "foo", "bar"), cmdOf("PUBLISH", "bar", "game"), cmdOf("AUTH", "psuser", "pspass"), cmdOf("ACL", "deluser", "hpuser")),
		us("In transaction queue publish/subscribe/psubscribe to unauthorized channel will fail", "r", '=', cmdOf("ACL", "setuser", "psuser", "+multi", "+discard"),
			cmdOf("MULTI"), cmdOf("PUBLISH", "notexits", "helloworld"), cmdOf("DISCARD"), cmdOf("MULTI"), cmdOf("SUBSCRIBE", "notexits", "foo:1"), cmdOf("DISCARD"),
			cmdOf("MULTI"), cmdOf("PSUBSCRIBE", "notexits:*", "bar:*"), cmdOf("DISCARD")),
		us("It's possible to allow subscribing to a subset of channels", "rd", '=', cmdOf("AUTH", "psuser", "pspass"), cmdOf("SUBSCRIBE", "foo:1"), cmdOf("SUBSCRIBE", "bar:2"), cmdOf("SUBSCRIBE", "zap:3")),
		us("", "rd", 'c', cmdOf()),
		us("It's possible to allow subscribing to a subset of shard channels", "rd", '=', cmdOf("AUTH", "psuser", "pspass"), cmdOf("SSUBSCRIBE", "foo:1"), cmdOf("SSUBSCRIBE", "bar:2"), cmdOf("SSUBSCRIBE", "zap:3")),
		us("", "rd", 'c', cmdOf()),
		us("It's possible to allow subscribing to a subset of channel patterns", "rd", '=', cmdOf("AUTH", "psuser", "pspass"), cmdOf("PSUBSCRIBE", "foo:1"), cmdOf("PSUBSCRIBE", "bar:*"), cmdOf("PSUBSCRIBE", "bar:baz")),
		us("", "rd", 'c', cmdOf()),
		us("Users can be configured to authenticate with any password", "r", '=', cmdOf("ACL", "setuser", "newuser", "nopass"), cmdOf("AUTH", "newuser", "zipzapblabla")),
		us("ACLs can exclude single commands", "r", '=', cmdOf("ACL", "setuser", "newuser", "-ping"), cmdOf("INCR", "mycounter"), cmdOf("PING")),
		us("ACLs can include or exclude whole classes of commands", "r", '=', cmdOf("ACL", "setuser", "newuser", "-@all", "+@set", "+acl"), cmdOf("SADD", "myset", "a", "b", "c"),
			cmdOf("ACL", "setuser", "newuser", "+@all", "-@string"), cmdOf("SADD", "myset", "a", "b", "c"), cmdOf("SET", "foo", "bar"), cmdOf("ACL", "setuser", "newuser", "allcommands")),
		us("ACLs can include single subcommands", "r", '=', cmdOf("ACL", "setuser", "newuser", "+@all", "-client"), cmdOf("ACL", "setuser", "newuser", "+client|id", "+client|setname")),
		us("ACLs can include single subcommands", "r", 'G', cmdOf("ACL", "getuser", "newuser")),
		us("ACLs can include single subcommands", "r", '~', cmdOf("CLIENT", "ID")),
		us("ACLs can include single subcommands", "r", '=', cmdOf("CLIENT", "SETNAME", "foo"), cmdOf("CLIENT", "KILL", "type", "master")),
		us("ACLs can exclude single subcommands, case 1", "r", '=', cmdOf("ACL", "setuser", "newuser", "+@all", "-client|kill"), cmdOf("ACL", "getuser", "newuser")),
		us("ACLs can exclude single subcommands, case 1", "r", '~', cmdOf("CLIENT", "ID")),
		us("ACLs can exclude single subcommands, case 1", "r", '=', cmdOf("CLIENT", "SETNAME", "foo"), cmdOf("CLIENT", "KILL", "type", "master")),
		us("ACLs can exclude single subcommands, case 2", "r", '=', cmdOf("ACL", "setuser", "newuser", "-@all", "+acl", "+config", "-config|set")),
		us("ACLs can exclude single subcommands, case 2", "r", 'G', cmdOf("ACL", "getuser", "newuser")),
		us("ACLs can exclude single subcommands, case 2", "r", '=', cmdOf("CONFIG", "GET", "maxclients"), cmdOf("CONFIG", "SET", "loglevel", "debug")),
		us("ACLs cannot include a subcommand with a specific arg", "r", '=', cmdOf("ACL", "setuser", "newuser", "+@all", "-config|get"), cmdOf("ACL", "setuser", "newuser", "+config|get|appendonly")),
		us("ACLs cannot exclude or include a container commands with a specific arg", "r", '=', cmdOf("ACL", "setuser", "newuser", "+@all", "+config|get"),
			cmdOf("ACL", "setuser", "newuser", "+@all", "+config|asdf"), cmdOf("ACL", "setuser", "newuser", "+@all", "-config|asdf")),
		us("ACLs cannot exclude or include a container command with two args", "r", '=', cmdOf("ACL", "setuser", "newuser", "+@all", "+config|get"),
			cmdOf("ACL", "setuser", "newuser", "+@all", "+get|key1|key2"), cmdOf("ACL", "setuser", "newuser", "+@all", "-get|key1|key2")),
		us("ACLs including of a type includes also subcommands", "r", '=', cmdOf("ACL", "setuser", "newuser", "-@all", "+acl", "+@stream"), cmdOf("XADD", "key", "1-1", "field", "value")),
		us("ACLs including of a type includes also subcommands", "r", '~', cmdOf("XINFO", "STREAM", "key")),
		us("ACLs can block SELECT of all but a specific DB", "r", '=', cmdOf("ACL", "setuser", "newuser", "-@all", "+acl", "+select|0")),
		us("ACLs can block SELECT of all but a specific DB", "r", 'G', cmdOf("ACL", "getuser", "newuser")),
		us("ACLs can block SELECT of all but a specific DB", "r", '=', cmdOf("SELECT", "0"), cmdOf("SELECT", "1")),
		us("ACLs can block all DEBUG subcommands except one", "r", '=', cmdOf("ACL", "setuser", "newuser", "-@all", "+acl", "+incr", "+debug|object")),
		us("ACLs can block all DEBUG subcommands except one", "r", 'G', cmdOf("ACL", "getuser", "newuser")),
		us("ACLs can block all DEBUG subcommands except one", "r", '=', cmdOf("INCR", "key")),
		us("ACLs can block all DEBUG subcommands except one", "r", '~', cmdOf("DEBUG", "OBJECT", "key")),
		us("ACLs can block all DEBUG subcommands except one", "r", '=', cmdOf("DEBUG", "SEGFAULT")),
		us("ACLs set can include subcommands, if already full command exists", "r", '=', cmdOf("ACL", "setuser", "bob", "+memory|doctor"), cmdOf("ACL", "getuser", "bob"),
			cmdOf("ACL", "setuser", "bob", "+memory"), cmdOf("ACL", "getuser", "bob"), cmdOf("ACL", "setuser", "bob", "+@all", "+client|id"), cmdOf("ACL", "getuser", "bob"),
			cmdOf("ACL", "setuser", "bob", ">passwd1", "on"), cmdOf("AUTH", "bob", "passwd1")),
		us("ACLs set can include subcommands, if already full command exists", "r", '~', cmdOf("CLIENT", "ID"), cmdOf("MEMORY", "DOCTOR")),
		us("ACLs set can exclude subcommands, if already full command exists", "r", '=', cmdOf("ACL", "setuser", "alice", "+@all", "-memory|doctor"), cmdOf("ACL", "getuser", "alice"),
			cmdOf("ACL", "setuser", "alice", ">passwd1", "on"), cmdOf("AUTH", "alice", "passwd1"), cmdOf("MEMORY", "DOCTOR")),
		us("ACLs set can exclude subcommands, if already full command exists", "r", '~', cmdOf("MEMORY", "STATS")),
		us("ACLs set can exclude subcommands, if already full command exists", "r", '=', cmdOf("ACL", "setuser", "alice", "+@all", "-memory"), cmdOf("ACL", "getuser", "alice"),
			cmdOf("MEMORY", "DOCTOR"), cmdOf("MEMORY", "STATS"),
			cmdOf("ACL", "setuser", "alice", "-@all"), cmdOf("AUTH", "newuser", "passwd1"), cmdOf("ACL", "getuser", "alice"), cmdOf("AUTH", "alice", "passwd1"), cmdOf("GET", "key"),
			cmdOf("MEMORY", "STATS"), cmdOf("AUTH", "newuser", "passwd1")),
		us("ACL GETUSER is able to translate back command permissions", "r", '=', cmdOf("ACL", "setuser", "newuser", "reset", "+@all", "~*", "-@string", "+incr", "-debug", "+debug|digest")),
		us("ACL GETUSER is able to translate back command permissions", "r", 'G', cmdOf("ACL", "getuser", "newuser")),
		us("ACL GETUSER is able to translate back command permissions", "r", '=', cmdOf("ACL", "setuser", "newuser", "reset", "+@string", "-incr", "+acl", "+debug|digest", "+debug|segfault")),
		us("ACL GETUSER is able to translate back command permissions", "r", 'G', cmdOf("ACL", "getuser", "newuser")),
	)
	for _, c := range categories {
		add(us("ACL GETUSER provides reasonable results", "r", '=', cmdOf("ACL", "setuser", "additive", "reset", "+@all", "-@"+c), cmdOf("ACL", "getuser", "additive"),
			cmdOf("ACL", "setuser", "restrictive", "reset", "-@all", "+@"+c), cmdOf("ACL", "getuser", "restrictive")))
	}
	add(us("ACL CAT with illegal arguments", "r", '=', cmdOf("ACL", "CAT", "NON_EXISTS"), cmdOf("ACL", "CAT", "NON_EXISTS", "NON_EXISTS2")),
		us("ACL CAT without category - list all categories", "r", '=', cmdOf("acl", "cat")),
		us("ACL CAT category - list all commands/subcommands that belong to category", "r", 'S', cmdOf("acl", "cat", "transaction"), cmdOf("acl", "cat", "scripting"),
			cmdOf("acl", "cat", "keyspace"), cmdOf("acl", "cat", "stream")),
		us("ACL requires explicit permission for scripting for EVAL_RO, EVALSHA_RO and FCALL_RO", "r", '=', cmdOf("ACL", "SETUSER", "scripter", "on", "nopass", "+readonly"),
			cmdOf("ACL", "DRYRUN", "scripter", "EVAL_RO", "", "0"), cmdOf("ACL", "DRYRUN", "scripter", "EVALSHA_RO", "", "0"), cmdOf("ACL", "DRYRUN", "scripter", "FCALL_RO", "", "0")),
		us("ACL #5998 regression: memory leaks adding / removing subcommands", "r", '=', cmdOf("AUTH", "default", ""),
			cmdOf("ACL", "setuser", "newuser", "reset", "-debug", "+debug|a", "+debug|b", "+debug|c"), cmdOf("ACL", "setuser", "newuser", "-debug")),
		us("ACL LOG shows failed command executions at toplevel", "r", '=', cmdOf("ACL", "LOG", "RESET"), cmdOf("ACL", "setuser", "antirez", ">foo", "on", "+set", "~object:1234"),
			cmdOf("ACL", "setuser", "antirez", "+eval", "+multi", "+exec"), cmdOf("ACL", "setuser", "antirez", "resetchannels", "+publish"), cmdOf("AUTH", "antirez", "foo"),
			cmdOf("GET", "foo"), cmdOf("AUTH", "default", "")),
		us("ACL LOG shows failed command executions at toplevel", "r", 'L', cmdOf("ACL", "LOG")),
		us("ACL LOG shows failed subcommand executions at toplevel", "r", '=', cmdOf("ACL", "LOG", "RESET"), cmdOf("ACL", "DELUSER", "demo"), cmdOf("ACL", "SETUSER", "demo", "on", "nopass"),
			cmdOf("AUTH", "demo", ""), cmdOf("SCRIPT", "HELP"), cmdOf("AUTH", "default", "")),
		us("ACL LOG shows failed subcommand executions at toplevel", "r", 'L', cmdOf("ACL", "LOG")),
		us("ACL LOG is able to test similar events", "r", '=', cmdOf("ACL", "LOG", "RESET"), cmdOf("AUTH", "antirez", "foo"), cmdOf("GET", "foo"), cmdOf("GET", "foo"), cmdOf("GET", "foo"), cmdOf("AUTH", "default", "")),
		us("ACL LOG is able to test similar events", "r", 'L', cmdOf("ACL", "LOG")),
		us("ACL LOG is able to log keys access violations and key name", "r", '=', cmdOf("AUTH", "antirez", "foo"), cmdOf("SET", "somekeynotallowed", "1234"), cmdOf("AUTH", "default", "")),
		us("ACL LOG is able to log keys access violations and key name", "r", 'L', cmdOf("ACL", "LOG")),
		us("ACL LOG is able to log channel access violations and channel name", "r", '=', cmdOf("AUTH", "antirez", "foo"), cmdOf("PUBLISH", "somechannelnotallowed", "nullmsg"), cmdOf("AUTH", "default", "")),
		us("ACL LOG is able to log channel access violations and channel name", "r", 'L', cmdOf("ACL", "LOG")),
		us("ACL LOG RESET is able to flush the entries in the log", "r", '=', cmdOf("ACL", "LOG", "RESET"), cmdOf("ACL", "LOG")),
		us("ACL LOG can distinguish the transaction context (1)", "r", '=', cmdOf("AUTH", "antirez", "foo"), cmdOf("MULTI"), cmdOf("INCR", "foo"), cmdOf("EXEC"), cmdOf("AUTH", "default", "")),
		us("ACL LOG can distinguish the transaction context (1)", "r", 'L', cmdOf("ACL", "LOG")),
		us("ACL LOG can distinguish the transaction context (2)", "r", '=', cmdOf("ACL", "SETUSER", "antirez", "+incr"), cmdOf("AUTH", "antirez", "foo"),
			cmdOf("MULTI"), cmdOf("INCR", "object:1234")),
		us("ACL LOG can distinguish the transaction context (2)", "rd1", '=', cmdOf("ACL", "SETUSER", "antirez", "-incr")),
		us("ACL LOG can distinguish the transaction context (2)", "r", '=', cmdOf("EXEC"), cmdOf("AUTH", "default", "")),
		us("ACL LOG can distinguish the transaction context (2)", "r", 'L', cmdOf("ACL", "LOG")),
		us("ACL LOG can distinguish the transaction context (2)", "r", '=', cmdOf("ACL", "SETUSER", "antirez", "-incr")),
		// and each kind of denial at EXEC, the others running
		us("(EXEC after the rules changed)", "r", '=', cmdOf("ACL", "SETUSER", "ex", "on", ">p", "+@all", "~*", "&*"), cmdOf("AUTH", "ex", "p"), cmdOf("MULTI"),
			cmdOf("INCR", "k"), cmdOf("PUBLISH", "ch", "m"), cmdOf("GET", "k"), cmdOf("SET", "k2", "v")),
		us("(EXEC after the rules changed)", "rd1", '=', cmdOf("ACL", "SETUSER", "ex", "-incr", "resetchannels", "resetkeys", "~k")),
		us("(EXEC after the rules changed)", "r", '=', cmdOf("EXEC"), cmdOf("AUTH", "default", ""), cmdOf("ACL", "DELUSER", "ex")),
		us("(EXEC after the rules changed)", "r", 'N', cmdOf("ACL", "LOG", "3")),
		us("ACL can log errors in the context of Lua scripting", "r", '=', cmdOf("AUTH", "antirez", "foo"), cmdOf("EVAL", "redis.call('incr','foo')", "0"), cmdOf("AUTH", "default", "")),
		us("ACL can log errors in the context of Lua scripting", "r", 'L', cmdOf("ACL", "LOG")),
		us("ACL LOG can accept a numerical argument to show less entries", "r", '=', cmdOf("AUTH", "antirez", "foo"), cmdOf("INCR", "foo"), cmdOf("INCR", "foo"), cmdOf("INCR", "foo"), cmdOf("INCR", "foo"), cmdOf("AUTH", "default", "")),
		us("ACL LOG can accept a numerical argument to show less entries", "r", 'N', cmdOf("ACL", "LOG"), cmdOf("ACL", "LOG", "2")),
		us("ACL LOG can log failed auth attempts", "r", '=', cmdOf("AUTH", "antirez", "wrong-password")),
		us("ACL LOG can log failed auth attempts", "r", 'L', cmdOf("ACL", "LOG")),
		us("ACL LOG entries are limited to a maximum amount", "r", '=', cmdOf("ACL", "LOG", "RESET"), cmdOf("CONFIG", "SET", "acllog-max-len", "5"), cmdOf("AUTH", "antirez", "foo")),
	)
	for j := range 10 {
		add(us("ACL LOG entries are limited to a maximum amount", "r", '=', cmdOf("SET", fmt.Sprint("obj:", j), "123")))
	}
	add(us("ACL LOG entries are limited to a maximum amount", "r", '=', cmdOf("AUTH", "default", "")),
		us("ACL LOG entries are limited to a maximum amount", "r", 'N', cmdOf("ACL", "LOG")),
		us("ACL LOG entries are limited to a maximum amount", "r", '=', cmdOf("CONFIG", "SET", "acllog-max-len", "128")),
		us("When default user is off, new connections are not authenticated", "r", '=', cmdOf("ACL", "setuser", "default", "off")),
		us("When default user is off, new connections are not authenticated", "new", '=', cmdOf("PING")),
		us("When default user is off, new connections are not authenticated", "r", '=', cmdOf("ACL", "setuser", "default", "on")),
		us("When default user has no command permission, hello command still works for other users", "r", '=', cmdOf("ACL", "setuser", "secure-user", ">supass", "on", "+@all"),
			cmdOf("ACL", "setuser", "default", "-@all")),
		us("When default user has no command permission, hello command still works for other users", "r", '~', cmdOf("HELLO", "2", "AUTH", "secure-user", "supass")),
		us("When default user has no command permission, hello command still works for other users", "r", '=', cmdOf("ACL", "setuser", "default", "nopass", "+@all"), cmdOf("AUTH", "default", "")),
		us("ACL HELP should not have unexpected options", "r", '=', cmdOf("ACL", "help", "xxx")),
		us("Delete a user that the client doesn't use", "r", '=', cmdOf("ACL", "setuser", "not_used", "on", ">passwd"), cmdOf("ACL", "deluser", "not_used"), cmdOf("ping")),
		us("Delete a user that the client is using", "r", '=', cmdOf("ACL", "setuser", "using", "on", "+acl", ">passwd"), cmdOf("AUTH", "using", "passwd"), cmdOf("ACL", "deluser", "using")),
		us("Delete a user that the client is using", "r", 'X', cmdOf("ping")),
		us("ACL GENPASS command failed test", "r", '=', cmdOf("ACL", "genpass", "-236"), cmdOf("ACL", "genpass", "5000")),
		us("Default user can not be removed", "r", '=', cmdOf("ACL", "deluser", "default")),
		us("ACL load non-existing configured ACL file", "r", '=', cmdOf("ACL", "load")),
		// the servers with an aclfile: their users made with ACL SETUSER
		us("default: load from include file, can access any channels", "rd3", '=', cmdOf("SUBSCRIBE", "foo"), cmdOf("PSUBSCRIBE", "bar*"),
			cmdOf("UNSUBSCRIBE"), cmdOf("PUNSUBSCRIBE"), cmdOf("PUBLISH", "hello", "world")),
		us("(user.acl)", "r3", '=', cmdOf("ACL", "SETUSER", "alice", "on", "allcommands", "allkeys", "&*", ">alice"),
			cmdOf("ACL", "SETUSER", "bob", "reset", "on", "-@all", "+@set", "+acl", "~set*", "&*", ">bob")),
		us("Alice: can execute all command", "r3", '=', cmdOf("AUTH", "alice", "alice"), cmdOf("acl", "whoami"), cmdOf("SET", "key", "value")),
		us("Bob: just execute @set and acl command", "r3", '=', cmdOf("AUTH", "bob", "bob"), cmdOf("acl", "whoami"), cmdOf("sadd", "set", "1", "2", "3"),
			cmdOf("SET", "key", "value")),
		us("Single channel is valid", "admin", '=', cmdOf("ACL", "setuser", "onechannel", "&test"), cmdOf("ACL", "getuser", "onechannel"),
			cmdOf("ACL", "deluser", "onechannel")),
		// acl-pubsub-default, set with CONFIG SET where the servers of the
		// unit have it in their configuration
		us("default: with config acl-pubsub-default allchannels after reset, can access any channels", "r4", '=',
			cmdOf("CONFIG", "SET", "acl-pubsub-default", "allchannels"), cmdOf("ACL", "setuser", "default", "reset", "on", "nopass", "~*", "+@all"),
			cmdOf("SUBSCRIBE", "foo"), cmdOf("PSUBSCRIBE", "bar*"), cmdOf("UNSUBSCRIBE"), cmdOf("PUNSUBSCRIBE"), cmdOf("PUBLISH", "hello", "world"),
			cmdOf("ACL", "GETUSER", "default")),
		us("default: with config acl-pubsub-default resetchannels after reset, can not access any channels", "r4", '=',
			cmdOf("CONFIG", "SET", "acl-pubsub-default", "resetchannels"), cmdOf("ACL", "setuser", "default", "reset", "on", "nopass", "~*", "+@all"),
			cmdOf("SUBSCRIBE", "foo"), cmdOf("PSUBSCRIBE", "bar*"), cmdOf("PUBLISH", "hello", "world"), cmdOf("CONFIG", "SET", "acl-pubsub-default", "resetchannels"),
			cmdOf("ACL", "setuser", "default", "allchannels")),
		us("Update acl-pubsub-default, existing users shouldn't get affected", "r4", '=', cmdOf("ACL", "getuser", "default"),
			cmdOf("CONFIG", "set", "acl-pubsub-default", "allchannels"), cmdOf("ACL", "setuser", "mydefault"), cmdOf("ACL", "getuser", "mydefault"),
			cmdOf("CONFIG", "set", "acl-pubsub-default", "resetchannels"), cmdOf("ACL", "getuser", "mydefault"), cmdOf("CONFIG", "GET", "acl-pubsub-default")),
		us("Single channel is not valid with allchannels", "r4", '=', cmdOf("CONFIG", "set", "acl-pubsub-default", "allchannels"),
			cmdOf("ACL", "setuser", "onechannel", "&test"), cmdOf("ACL", "setuser", "sel", "(~x)"), cmdOf("ACL", "getuser", "sel"),
			cmdOf("CONFIG", "set", "acl-pubsub-default", "resetchannels"), cmdOf("CONFIG", "set", "acl-pubsub-default", "foo")),
	)
	return s
}

// TestRedisUnitAuthACL runs Redis's unit/auth and unit/acl (their first
// server, whose tests need no configuration file) on redis-server and
// geetcache, step by step, and compares the replies (docs/compatibility.md
// maps each of their tests to a step here or says why it has none).
func TestRedisUnitAuthACL(t *testing.T) {
	redisAddr := startRedisServer(t, "--enable-debug-command", "yes")
	n := startNode(t)
	conns := map[string]*diffPair{}
	get := func(name string) *diffPair {
		if conns[name] == nil || name == "new" {
			conns[name] = newDiffPair(t, 2, redisAddr, n.addr())
		}
		return conns[name]
	}
	requireRedis70(t, get("admin").redis)
	cats, err := get("admin").redis.roundTrip([]string{"ACL", "CAT"})
	if err != nil {
		t.Fatal(err)
	}
	var categories []string
	for _, e := range cats.elems {
		categories = append(categories, unitText(e))
	}
	steps := append(authUnit(), aclUnit(categories)...)
	for i, st := range steps {
		what := fmt.Sprintf("step %d (%s) %q", i, st.test, clipArgs(st.args))
		if st.mode == 'c' {
			delete(conns, st.on)
			continue
		}
		p := get(st.on)
		r1, e1 := p.redis.roundTrip(st.args)
		r2, e2 := p.gc.roundTrip(st.args)
		if st.mode == 'X' {
			if e1 == nil || e2 == nil {
				t.Errorf("%s: a connection stayed open: redis %q %v, geetcache %q %v", what, r1.raw, e1, r2.raw, e2)
			}
			delete(conns, st.on)
			continue
		}
		if e1 != nil || e2 != nil {
			t.Fatalf("%s: redis %v, geetcache %v", what, e1, e2)
		}
		if got, want := unitCompare(st.mode, r2), unitCompare(st.mode, r1); got != want {
			t.Errorf("%s:\n redis:     %q\n geetcache: %q", what, want, got)
		}
	}
}

// unitCompare reduces a reply to what mode compares.
func unitCompare(mode byte, r respReply) string {
	switch mode {
	case '~':
		return ifElseStr(r.kind == '-', "error", "reply")
	case 'S':
		var els []string
		for _, e := range r.elems {
			els = append(els, unitText(e))
		}
		slices.Sort(els)
		return strings.Join(els, " ")
	case 'N':
		return fmt.Sprint(len(r.elems))
	case 'A':
		var lines []string
		for _, e := range r.elems {
			cats, cmds := splitDescription(strings.Fields(unitText(e)))
			lines = append(lines, strings.Join(cats, " ")+" | "+strings.Join(cmds, " "))
		}
		return strings.Join(lines, "\n")
	case 'G':
		var out []string
		for i := 0; i+1 < len(r.elems); i += 2 {
			k, v := unitText(r.elems[i]), string(r.elems[i+1].raw)
			if k == "commands" {
				f := strings.Fields(unitText(r.elems[i+1]))
				cats, cmds := splitDescription(f)
				v = strings.Join(cats, " ") + " | " + strings.Join(cmds, " ")
			}
			out = append(out, k+"="+v)
		}
		return strings.Join(out, ", ")
	case 'L':
		if len(r.elems) == 0 {
			return "empty log"
		}
		e := r.elems[0]
		var out []string
		for i := 0; i+1 < len(e.elems); i += 2 {
			if k := unitText(e.elems[i]); k != "age-seconds" && k != "client-info" {
				out = append(out, k+"="+string(e.elems[i+1].raw))
			}
		}
		return strings.Join(out, ", ")
	}
	return string(r.raw)
}

// splitDescription splits a description's rules into the "@" ones, in
// order, and the others, sorted.
func splitDescription(r []string) (cats, cmds []string) {
	for _, x := range r {
		if len(x) > 1 && x[1] == '@' {
			cats = append(cats, x)
		} else {
			cmds = append(cmds, x)
		}
	}
	slices.Sort(cmds)
	return cats, cmds
}

// unitText is a bulk or simple string reply's text.
func unitText(r respReply) string {
	if r.kind == '+' {
		return string(r.raw[1 : len(r.raw)-2])
	}
	return bulkText(r)
}

func ifElseStr(c bool, a, b string) string {
	if c {
		return a
	}
	return b
}
