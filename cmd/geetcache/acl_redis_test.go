package main

import (
	"fmt"
	"testing"
)

// aclAdminSteps set up users and ask about them, on a connection of the
// default user; aclUserSteps then run on a connection that logs in as
// "al". Every reply must be redis-server 7.0.15's byte for byte. Left out:
// what docs/compatibility.md lists as different (the order of single
// commands in a description, so al's rules are not asked for, ACL CAT's order inside a category, ACL
// LOG's client-info and age).
var aclAdminSteps = [][][]string{
	{{"ACL", "SETUSER", "bob", "on", ">123", "+@scripting", "+set", "~x*"}, {"ACL", "GETUSER", "bob"}, {"ACL", "LIST"}},
	{{"ACL", "SETUSER", "al", "%R~r*", "%W~w*", "&ch*", "+get", "+config|get", "-config|get", "+config", "nopass", "off"},
		{"ACL", "USERS"}},
	{{"ACL", "SETUSER", "al", "on", ">pw", "+multi", "+exec", "+subscribe", "+publish"}},
	{{"ACL", "SETUSER", "x", "foo"}, {"ACL", "SETUSER", "x", "+nosuch"}, {"ACL", "SETUSER", "x", "#abc"},
		{"ACL", "SETUSER", "x", "<nope"}, {"ACL", "SETUSER", "x", "allkeys", "~a"}, {"ACL", "SETUSER", "x", "allchannels", "&a"},
		{"ACL", "SETUSER", "x", "-select|0"}, {"ACL", "SETUSER", "x", "+config|nosub"}, {"ACL", "GETUSER", "x"}},
	{{"ACL", "SETUSER", "t", "reset", "+@all", "-get", "-set", "+get"}, {"ACL", "GETUSER", "t"},
		{"ACL", "SETUSER", "t", "reset", "+@string", "-get"}, {"ACL", "GETUSER", "t"},
		{"ACL", "SETUSER", "t", "reset", "+config", "-config|get", "~a", "&b"}, {"ACL", "GETUSER", "t"}, {"ACL", "DELUSER", "t", "nobody"}},
	{{"ACL", "DRYRUN", "al", "get", "x"}, {"ACL", "DRYRUN", "al", "get", "r1"}, {"ACL", "DRYRUN", "al", "publish", "zz", "1"},
		{"ACL", "DRYRUN", "al", "set", "w1", "1"}, {"ACL", "DRYRUN", "al", "get"}, {"ACL", "DRYRUN", "nob", "get", "x"},
		{"ACL", "DRYRUN", "bob", "nocmd"}},
	{{"ACL", "DELUSER", "default"}, {"ACL", "GETUSER", "nosuch"}, {"ACL", "nosub"}, {"ACL", "LOG", "x"}, {"ACL", "HELP"},
		{"ACL", "CAT"}, {"ACL", "CAT", "nosuch"}, {"ACL", "GENPASS", "0"}, {"ACL", "WHOAMI"}, {"ACL", "LOAD"}, {"ACL", "SAVE"}},
	{{"AUTH", "pw"}, {"AUTH", "al", "bad"}, {"AUTH", "a", "b", "c"}},
}

var aclUserSteps = [][][]string{
	{{"AUTH", "al", "pw"}, {"ACL", "WHOAMI"}},
	{{"GET", "zz"}, {"GET", "r1"}, {"SET", "r1", "v"}, {"HSET", "w1", "a", "b"}, {"PUBLISH", "ch1", "x"}, {"PUBLISH", "zz", "x"},
		{"CONFIG", "GET", "maxmemory"}},
	{{"MULTI"}, {"GET", "zz"}, {"GET", "r1"}, {"EXEC"}},
	{{"AUTH", "al", "bad"}, {"AUTH", "nouser", "pw"}, {"HELLO", "2", "AUTH", "al", "bad"}},
	{{"SUBSCRIBE", "zz"}},
}

// aclScriptSteps run as bob (+@scripting +set ~x*): redis.call checks the
// script caller's permissions, redis.acl_check_cmd answers them (Redis's
// unit/scripting "Script ACL check").
var aclScriptSteps = [][][]string{
	{{"AUTH", "bob", "123"}},
	{{"EVAL", "return redis.call('get','xx')", "0"}, {"EVAL", "return redis.call('set','yy',1)", "0"},
		{"EVAL", "return redis.pcall('set','yy',1)", "0"}, {"EVAL", "return redis.call('publish','c','m')", "0"},
		{"EVAL", "return redis.call('set','xa',1)", "1", "xa"}},
	{{"EVAL", "return redis.acl_check_cmd('set','xx',1)", "1", "xx"}, {"EVAL", "return redis.acl_check_cmd('hset','xx','f',1)", "1", "xx"},
		{"EVAL", "return redis.acl_check_cmd('set','yy',1)", "0"}, {"EVAL", "return redis.acl_check_cmd('invalid-cmd','arg')", "0"}},
	{{"HSET", "xh", "f", "v"}, {"EVAL", "return 1", "1", "yy"}},
	// After the script's first write, its calls run only in the state
	// machine: they are checked there against the caller, as before it.
	{{"EVAL", "redis.call('set','xa',1); return redis.call('get','xa')", "1", "xa"},
		{"EVAL", "redis.call('set','xa',2); return redis.call('set','yy',1)", "0"},
		{"EVAL", "redis.call('set','xa',3); return redis.pcall('set','yy',1)", "0"},
		{"EVAL", "redis.call('set','xa',4); return redis.call('publish','c','m')", "0"},
		{"EVAL", "redis.call('set','xa',5); return {redis.acl_check_cmd('set','yy',1), redis.acl_check_cmd('set','xb',1)}", "0"},
		{"EVAL", "redis.call('set','xa',6); return redis.call('flushall')", "0"},
		{"GET", "xa"}},
}

// TestACLMatchesRedis runs the steps on redis-server and geetcache, in
// RESP2 and RESP3, then gives the default user a password: a new
// connection gets NOAUTH until it authenticates.
func TestACLMatchesRedis(t *testing.T) {
	redisAddr := startRedisServer(t)
	n := startNode(t)
	for _, proto := range []int{2, 3} {
		admin := newDiffPair(t, proto, redisAddr, n.addr())
		requireRedis70(t, admin.redis)
		for i, step := range aclAdminSteps {
			admin.requireSame(t, fmt.Sprintf("RESP%d admin step %d", proto, i), step)
		}
		user := newDiffPair(t, proto, redisAddr, n.addr())
		for i, step := range aclUserSteps {
			user.requireSame(t, fmt.Sprintf("RESP%d user step %d", proto, i), step)
		}
		script := newDiffPair(t, proto, redisAddr, n.addr())
		for i, step := range aclScriptSteps {
			script.requireSame(t, fmt.Sprintf("RESP%d script step %d", proto, i), step)
		}
		admin.requireSame(t, "LOG", [][]string{{"ACL", "LOG", "RESET"}, {"ACL", "DELUSER", "al", "bob", "x"}})
	}
	admin := newDiffPair(t, 2, redisAddr, n.addr())
	admin.requireSame(t, "requirepass", [][]string{{"ACL", "SETUSER", "default", ">secret"}})
	other := newDiffPair(t, 2, redisAddr, n.addr())
	other.requireSame(t, "NOAUTH", [][]string{{"GET", "a"}, {"PING"}, {"HELLO", "3"}, {"AUTH", "wrong"},
		{"AUTH", "secret"}, {"GET", "a"}, {"CLIENT", "SETNAME", "x"}})
	admin.requireSame(t, "still logged in", [][]string{{"GET", "a"}, {"ACL", "SETUSER", "default", "nopass"}})
	admin.requireSame(t, "CONFIG SET requirepass", [][]string{{"CONFIG", "GET", "requirepass"}, {"CONFIG", "SET", "requirepass", "pw2"},
		{"CONFIG", "GET", "requirepass"}, {"ACL", "GETUSER", "default"}})
	third := newDiffPair(t, 2, redisAddr, n.addr())
	third.requireSame(t, "after requirepass", [][]string{{"GET", "a"}, {"AUTH", "pw2"}, {"GET", "a"}})
	admin.requireSame(t, "requirepass off", [][]string{{"CONFIG", "SET", "requirepass", ""}, {"CONFIG", "GET", "requirepass"}, {"ACL", "LIST"}})
}
