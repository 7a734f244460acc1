package main

import (
	"fmt"
	"testing"

	"github.com/redis/go-redis/v9"
)

// selectorSteps are Redis's unit/acl-v2 selector tests as steps: "a"
// runs on the admin connection, "u" on a connection that logs in as the
// users under test. Every reply must be redis-server 7.0.15's byte for
// byte.
var selectorSteps = []struct {
	on   string
	cmds [][]string
}{
	// Test basic multiple selectors
	{"a", [][]string{{"ACL", "SETUSER", "selector-1", "on", "-@all", "resetkeys", "nopass"}}},
	{"u", [][]string{{"AUTH", "selector-1", "password"}, {"PING"}, {"SET", "write::foo", "bar"}, {"GET", "read::foo"}}},
	{"a", [][]string{{"ACL", "SETUSER", "selector-1", "(+@write", "~write::*)", "(+@read", "~read::*)"}, {"ACL", "GETUSER", "selector-1"}}},
	{"u", [][]string{{"PING"}, {"SET", "write::foo", "bar"}, {"GET", "read::foo"}, {"GET", "write::foo"}, {"SET", "read::foo", "bar"}}},
	// Test ACL selectors by default have no permissions
	{"a", [][]string{{"ACL", "SETUSER", "selector-default", "reset", "()"}, {"ACL", "GETUSER", "selector-default"}}},
	// Test deleting selectors
	{"a", [][]string{{"ACL", "SETUSER", "selector-del", "on", "(~added-selector)"}, {"ACL", "GETUSER", "selector-del"},
		{"ACL", "SETUSER", "selector-del", "clearselectors"}, {"ACL", "GETUSER", "selector-del"}}},
	// Test selector syntax error reports the error in the selector context
	{"a", [][]string{{"ACL", "SETUSER", "selector-syntax", "on", "(this-is-invalid)"}, {"ACL", "SETUSER", "selector-syntax", "on", "(&*", "&fail)"},
		{"ACL", "GETUSER", "selector-syntax"}, {"ACL", "SETUSER", "s", "(on)"}, {"ACL", "SETUSER", "s", "(>pw)"}}},
	// Test flexible selector definition
	{"a", [][]string{{"ACL", "SETUSER", "selector-2", "(~key1 +get )", "( ~key2 +get )", "( ~key3 +get)", "(~key4 +get)"},
		{"ACL", "SETUSER", "selector-2", "(~key5", "+get", ")", "(", "~key6", "+get", ")", "(", "~key7", "+get)", "(~key8", "+get)"},
		{"ACL", "GETUSER", "selector-2"}, {"ACL", "SETUSER", "invalid-selector", " () "}, {"ACL", "SETUSER", "invalid-selector", "("},
		{"ACL", "SETUSER", "invalid-selector", ")"}, {"ACL", "SETUSER", "s", "(~a", "(~b", "c)"}, {"ACL", "SETUSER", "s", "(~a", "(~b)"},
		{"ACL", "SETUSER", "s", "(~a", "", ")", "(~a", "(~b", "+get)"}, {"ACL", "GETUSER", "s"}, {"ACL", "GETUSER", "invalid-selector"}}},
	// key patterns as Redis parses them (spaces, repeated flags, allkeys)
	{"a", [][]string{{"ACL", "SETUSER", "k", "~a b"}, {"ACL", "SETUSER", "k", "&a\tb"}, {"ACL", "SETUSER", "k", "%RR~a"}, {"ACL", "SETUSER", "k", "%~a"},
		{"ACL", "SETUSER", "k", "%R", "allkeys", "~*", "%X~a"}, {"ACL", "SETUSER", "k", "allchannels", "&*", "+@ALL"}, {"ACL", "SETUSER", "a\tb"},
		{"ACL", "SETUSER", "k2", "%R", "%w~x"}, {"ACL", "GETUSER", "k"}, {"ACL", "GETUSER", "k2"}}},
	// Test separate read and write permissions on different selectors are not additive
	{"a", [][]string{{"ACL", "SETUSER", "key-permission-RW-selector", "on", "nopass", "(%R~read* +@all)", "(%W~write* +@all)"}, {"SET", "readstr", "bar"}}},
	{"u", [][]string{{"AUTH", "key-permission-RW-selector", "password"}, {"PING"}, {"LPUSH", "writelist", "10"}, {"GET", "writestr"},
		{"LPUSH", "notwrite", "10"}, {"GET", "readstr"}, {"SET", "readstr", "bar"}, {"GET", "notread"}, {"COPY", "read", "write"}, {"COPY", "write", "read"}}},
	// Test ACL GETUSER response information
	{"a", [][]string{{"ACL", "SETUSER", "selector-info", "-@all", "+get", "resetchannels", "&channel1", "%R~foo1", "%W~bar1", "~baz1"},
		{"ACL", "SETUSER", "selector-info", "(-@all +set resetchannels &channel2 %R~foo2 %W~bar2 ~baz2)"}, {"ACL", "GETUSER", "selector-info"}}},
	// Test ACL list idempotency
	{"a", [][]string{{"ACL", "SETUSER", "user-idempotency", "off", "-@all", "+get", "resetchannels", "&channel1", "%R~foo1", "%W~bar1", "~baz1",
		"(-@all", "+set", "resetchannels", "&channel2", "%R~foo2", "%W~bar2", "~baz2)"}, {"ACL", "LIST"}}},
	// Test R+W is the same as all permissions
	{"a", [][]string{{"ACL", "SETUSER", "selector-rw-info", "%R~foo", "%W~foo", "%RW~bar"}, {"ACL", "GETUSER", "selector-rw-info"}}},
	// Test basic dry run functionality; Test various commands for command permissions
	{"a", [][]string{{"ACL", "SETUSER", "command-test", "+@all", "%R~read*", "%W~write*", "%RW~rw*"}, {"ACL", "DRYRUN", "command-test", "GET", "read"},
		{"ACL", "DRYRUN", "not-a-user", "GET", "read"}, {"ACL", "DRYRUN", "command-test", "not-a-command", "read"},
		{"ACL", "SETUSER", "command-test", "-@all"}, {"ACL", "DRYRUN", "command-test", "set", "somekey", "somevalue"},
		{"ACL", "DRYRUN", "command-test", "get", "somekey"}}},
	// Test sharded channel permissions
	{"a", [][]string{{"ACL", "SETUSER", "test-channels", "+@all", "resetchannels", "&channel"}, {"ACL", "DRYRUN", "test-channels", "spublish", "channel", "foo"},
		{"ACL", "DRYRUN", "test-channels", "ssubscribe", "channel"}, {"ACL", "DRYRUN", "test-channels", "sunsubscribe"},
		{"ACL", "DRYRUN", "test-channels", "sunsubscribe", "channel"}, {"ACL", "DRYRUN", "test-channels", "sunsubscribe", "otherchannel"},
		{"ACL", "DRYRUN", "test-channels", "spublish", "otherchannel", "foo"}, {"ACL", "DRYRUN", "test-channels", "ssubscribe", "otherchannel", "foo"}}},
	// selectors in DRYRUN: the denial reported is the worst kind, furthest in the arguments
	{"a", [][]string{{"ACL", "SETUSER", "dr", "+mget", "~key", "(+mget ~key ~otherkey)", "(+publish &c1 ~*)", "(+publish &c2)"},
		{"ACL", "DRYRUN", "dr", "GET", "key"}, {"ACL", "DRYRUN", "dr", "MGET", "otherkey", "someotherkey"},
		{"ACL", "DRYRUN", "dr", "MGET", "key", "otherkey", "someotherkey"}, {"ACL", "DRYRUN", "dr", "MGET", "key", "otherkey"},
		{"ACL", "DRYRUN", "dr", "PUBLISH", "c3", "m"}, {"ACL", "DRYRUN", "dr", "PUBLISH", "c2", "m"}, {"ACL", "GETUSER", "dr"}}},
	// Test DRYRUN with wrong number of arguments
	{"a", [][]string{{"ACL", "SETUSER", "test-dry-run", "+@all", "~v*"}, {"ACL", "DRYRUN", "test-dry-run", "SET", "v", "v"},
		{"ACL", "DRYRUN", "test-dry-run", "SET", "v"}, {"ACL", "DRYRUN", "test-dry-run", "SET"}}},
	// reset drops selectors
	{"a", [][]string{{"ACL", "SETUSER", "dr", "reset"}, {"ACL", "GETUSER", "dr"}, {"ACL", "LIST"}}},
	// Test separate read permission
	{"a", [][]string{{"ACL", "SETUSER", "key-permission-R", "on", "nopass", "%R~read*", "+@all"}, {"SET", "readstr", "bar"}}},
	{"u", [][]string{{"AUTH", "key-permission-R", "password"}, {"PING"}, {"GET", "readstr"}, {"SET", "readstr", "bar"}, {"GET", "notread"}}},
	// Test separate write permission
	{"a", [][]string{{"ACL", "SETUSER", "key-permission-W", "on", "nopass", "%W~write*", "+@all"}}},
	{"u", [][]string{{"AUTH", "key-permission-W", "password"}, {"PING"}, {"LPUSH", "writelist", "10"}, {"GET", "writestr"}, {"LPUSH", "notwrite", "10"}}},
	// Test separate read and write permissions
	{"a", [][]string{{"ACL", "SETUSER", "key-permission-RW", "on", "nopass", "%R~read*", "%W~write*", "+@all"}, {"SET", "read", "bar"}}},
	{"u", [][]string{{"AUTH", "key-permission-RW", "password"}, {"PING"}, {"COPY", "read", "write"}, {"COPY", "write", "read"}}},
	// Test SET with separate read permission
	{"a", [][]string{{"DEL", "readstr"}, {"ACL", "SETUSER", "set-key-permission-R", "on", "nopass", "%R~read*", "+@all"}}},
	{"u", [][]string{{"AUTH", "set-key-permission-R", "password"}, {"PING"}, {"GET", "readstr"}, {"SET", "readstr", "bar"}, {"SET", "readstr", "bar", "GET"},
		{"SET", "readstr", "bar", "EX", "100"}, {"SET", "readstr", "bar", "KEEPTTL", "NX"}}},
	// Test SET with separate write permission
	{"a", [][]string{{"DEL", "writestr"}, {"ACL", "SETUSER", "set-key-permission-W", "on", "nopass", "%W~write*", "+@all"}}},
	{"u", [][]string{{"AUTH", "set-key-permission-W", "password"}, {"PING"}, {"SET", "writestr", "bar"}, {"SET", "writestr", "get"}, {"SET", "get", "writestr"},
		{"SET", "writestr", "bar", "GET"}, {"SET", "writestr", "bar", "GET", "EX", "100"}, {"SET", "writestr", "bar", "GET", "KEEPTTL", "NX"}, {"SET", "writestr", "bar", "EX", "GET"}}},
	// Test SET with read and write permissions
	{"a", [][]string{{"DEL", "readwrite_str"}, {"ACL", "SETUSER", "set-key-permission-RW-selector", "on", "nopass", "%RW~readwrite*", "+@all"}}},
	{"u", [][]string{{"AUTH", "set-key-permission-RW-selector", "password"}, {"PING"}, {"GET", "readwrite_str"}, {"SET", "readwrite_str", "bar", "EX", "GET"},
		{"SET", "readwrite_str", "bar"}, {"GET", "readwrite_str"}, {"SET", "readwrite_str", "bar2", "GET"}, {"GET", "readwrite_str"},
		{"SET", "readwrite_str", "bar3", "GET", "EX", "10"}, {"GET", "readwrite_str"}}},
	// Test BITFIELD with separate read permission
	{"a", [][]string{{"DEL", "readstr"}, {"ACL", "SETUSER", "bitfield-key-permission-R", "on", "nopass", "%R~read*", "+@all"}}},
	{"u", [][]string{{"AUTH", "bitfield-key-permission-R", "password"}, {"PING"}, {"BITFIELD", "readstr", "GET", "u4", "0"}, {"BITFIELD", "readstr", "SET", "u4", "0", "1"},
		{"BITFIELD", "readstr", "GET", "u4", "0", "SET", "u4", "0", "1"}, {"BITFIELD", "readstr", "INCRBY", "u4", "0", "1"}}},
	// Test BITFIELD with separate write permission
	{"a", [][]string{{"DEL", "writestr"}, {"ACL", "SETUSER", "bitfield-key-permission-W", "on", "nopass", "%W~write*", "+@all"}}},
	{"u", [][]string{{"AUTH", "bitfield-key-permission-W", "password"}, {"PING"}, {"BITFIELD", "writestr", "GET", "u4", "0"}, {"BITFIELD", "writestr", "SET", "u4", "0", "1"},
		{"BITFIELD", "writestr", "INCRBY", "u4", "0", "1"}}},
	// Test sort with ACL permissions
	{"a", [][]string{{"SET", "v1", "1"}, {"LPUSH", "mylist", "1"}, {"ACL", "SETUSER", "test-sort-acl", "on", "nopass", "(+sort ~mylist)"}}},
	{"u", [][]string{{"AUTH", "test-sort-acl", "nopass"}, {"SORT", "mylist", "BY", "v*"}, {"SORT", "mylist", "GET", "v*"}, {"SORT", "mylist", "LIMIT", "0", "GET", "v*"},
		{"SORT", "mylist", "foo", "BY", "v*"}, {"SORT", "mylist", "BY", "nosort"}, {"SORT", "mylist", "GET", "#"}}},
	{"a", [][]string{{"ACL", "SETUSER", "test-sort-acl", "(+sort ~mylist ~v*)"}}},
	{"u", [][]string{{"SORT", "mylist", "BY", "v*"}, {"SORT", "mylist", "GET", "v*"}}},
	{"a", [][]string{{"ACL", "SETUSER", "test-sort-acl", "(+sort ~mylist %W~*)"}}},
	{"u", [][]string{{"SORT", "mylist", "BY", "v*"}, {"SORT", "mylist", "GET", "v*"}}},
	{"a", [][]string{{"ACL", "SETUSER", "test-sort-acl", "(+sort ~mylist %R~*)"}}},
	{"u", [][]string{{"SORT", "mylist", "BY", "v*"}}},
	{"a", [][]string{{"DEL", "v1", "mylist"}}},
	// Test BITFIELD with read and write permissions
	{"a", [][]string{{"DEL", "readwrite_str"}, {"ACL", "SETUSER", "bitfield-key-permission-RW-selector", "on", "nopass", "%RW~readwrite*", "+@all"}}},
	{"u", [][]string{{"AUTH", "bitfield-key-permission-RW-selector", "password"}, {"PING"}, {"BITFIELD", "readwrite_str", "GET", "u4", "0"},
		{"BITFIELD", "readwrite_str", "SET", "u4", "0", "1"}, {"BITFIELD", "readwrite_str", "INCRBY", "u4", "0", "1"}, {"BITFIELD", "readwrite_str", "GET", "u4", "0"}}},
}

// dryRunKeySteps are unit/acl-v2's DRYRUN tests of key permissions, for
// user command-test.
var dryRunKeySteps = func() [][]string {
	steps := [][]string{{"ACL", "SETUSER", "command-test", "+@all", "%R~read*", "%W~write*", "%RW~rw*"}}
	for _, c := range [][]string{
		// Test various odd commands for key permissions
		{"MIGRATE", "whatever", "whatever", "rw", "0", "500"}, {"MIGRATE", "whatever", "whatever", "read", "0", "500"},
		{"MIGRATE", "whatever", "whatever", "write", "0", "500"}, {"MIGRATE", "whatever", "whatever", "", "0", "5000", "KEYS", "rw"},
		{"MIGRATE", "whatever", "whatever", "", "0", "5000", "KEYS", "read"}, {"MIGRATE", "whatever", "whatever", "", "0", "5000", "KEYS", "write"},
		{"MIGRATE", "whatever", "whatever", "", "0", "5000", "AUTH", "KEYS", "KEYS", "rw"},
		{"MIGRATE", "whatever", "whatever", "", "0", "5000", "AUTH", "KEYS", "KEYS", "read"},
		{"MIGRATE", "whatever", "whatever", "", "0", "5000", "AUTH", "KEYS", "KEYS", "write"},
		{"MIGRATE", "whatever", "whatever", "", "0", "5000", "AUTH2", "KEYS", "123", "KEYS", "rw"},
		{"MIGRATE", "whatever", "whatever", "", "0", "5000", "AUTH2", "KEYS", "123", "KEYS", "read"},
		{"MIGRATE", "whatever", "whatever", "", "0", "5000", "AUTH2", "KEYS", "123", "KEYS", "write"},
		{"MIGRATE", "whatever", "whatever", "", "0", "5000", "AUTH2", "USER", "KEYS", "KEYS", "rw"},
		{"MIGRATE", "whatever", "whatever", "", "0", "5000", "AUTH2", "USER", "KEYS", "KEYS", "read"},
		{"MIGRATE", "whatever", "whatever", "", "0", "5000", "AUTH2", "USER", "KEYS", "KEYS", "write"},
		{"SORT", "read", "STORE", "write"}, {"SORT", "read", "STORE", "read"}, {"SORT", "write", "STORE", "write"},
		{"EVAL", "", "1", "rw1"}, {"EVAL", "", "1", "read"}, {"EVAL_RO", "", "1", "rw1"}, {"EVAL_RO", "", "1", "read"}, {"EVAL", "", "0", "read"},
		{"EVAL", "", "-1", "read"}, {"EVAL", "", "3", "rw", "rw"}, {"EVAL", "", "3", "rw", "read"},
		{"GEORADIUS", "read", "longitude", "latitude", "radius", "M", "STOREDIST", "write"}, {"GEORADIUS", "read", "longitude", "latitude", "radius", "M"},
		{"GEORADIUS", "read1", "longitude", "latitude", "radius", "M", "STOREDIST", "read2"}, {"GEORADIUS", "write1", "longitude", "latitude", "radius", "M", "STOREDIST", "write2"},
		{"GEORADIUS", "read", "longitude", "latitude", "radius", "M", "STORE", "write"}, {"GEORADIUS", "read1", "longitude", "latitude", "radius", "M", "STORE", "read2"},
		{"GEORADIUS", "write1", "longitude", "latitude", "radius", "M", "STORE", "write2"},
		// Existence test commands are not marked as access
		{"HEXISTS", "read", "foo"}, {"HEXISTS", "write", "foo"}, {"HEXISTS", "nothing", "foo"}, {"HSTRLEN", "read", "foo"}, {"HSTRLEN", "write", "foo"},
		{"HSTRLEN", "nothing", "foo"}, {"SISMEMBER", "read", "foo"}, {"SISMEMBER", "write", "foo"}, {"SISMEMBER", "nothing", "foo"},
		// Intersection cardinaltiy commands are access commands
		{"SINTERCARD", "2", "read", "read"}, {"SINTERCARD", "2", "write", "read"}, {"SINTERCARD", "2", "nothing", "read"}, {"ZCOUNT", "read", "0", "1"},
		{"ZCOUNT", "write", "0", "1"}, {"ZCOUNT", "nothing", "0", "1"}, {"PFCOUNT", "read", "read"}, {"PFCOUNT", "write", "read"}, {"PFCOUNT", "nothing", "read"},
		{"ZINTERCARD", "2", "read", "read"}, {"ZINTERCARD", "2", "write", "read"}, {"ZINTERCARD", "2", "nothing", "read"},
	} {
		steps = append(steps, append([]string{"ACL", "DRYRUN", "command-test"}, c...))
	}
	// Test general keyspace commands require some type of permission to
	// execute; Cardinality commands require some type of permission to execute
	for _, cmd := range [][]string{{"touch"}, {"exists"}, {"MEMORY", "USAGE"}, {"TYPE"}, {"STRLEN"}, {"HLEN"}, {"LLEN"}, {"SCARD"}, {"ZCARD"}, {"XLEN"}} {
		for _, k := range []string{"read", "write", "rw", "nothing"} {
			steps = append(steps, append(append([]string{"ACL", "DRYRUN", "command-test"}, cmd...), k))
		}
	}
	return steps
}()

// TestACLSelectorsMatchRedis runs selectorSteps on redis-server and
// geetcache in RESP2 and RESP3, then checks that ACL LOG names the same
// denial (Redis's "Test ACL log correctly identifies the relevant item
// when selectors are used") and that the users survive a restart (the
// snapshot and the log replay rebuild the selectors).
func TestACLSelectorsMatchRedis(t *testing.T) {
	redisAddr := startRedisServer(t)
	n := startNode(t)
	for _, proto := range []int{2, 3} {
		admin, user := newDiffPair(t, proto, redisAddr, n.addr()), newDiffPair(t, proto, redisAddr, n.addr())
		requireRedis70(t, admin.redis)
		for i, s := range selectorSteps {
			p := map[string]*diffPair{"a": admin, "u": user}[s.on]
			p.requireSame(t, fmt.Sprintf("RESP%d step %d", proto, i), s.cmds)
		}
		admin.requireSame(t, fmt.Sprintf("RESP%d DRYRUN", proto), dryRunKeySteps)
	}
	requireSameLog(t, redisAddr, n.addr())
	admin := newDiffPair(t, 2, redisAddr, n.addr())
	before := admin.replyOf(t, []string{"ACL", "LIST"})
	if _, err := n.Client(noRetries).Do(ctx, "RAFT", "SNAPSHOT").Result(); err != nil {
		t.Fatal(err)
	}
	n.Term()
	n.Restart()
	if after := newDiffPair(t, 2, redisAddr, n.addr()).replyOf(t, []string{"ACL", "LIST"}); after != before {
		t.Fatalf("ACL LIST after a restart:\n%q\nbefore:\n%q", after, before)
	}
}

// replyOf returns geetcache's raw reply to cmd.
func (p *diffPair) replyOf(t *testing.T, cmd []string) string {
	t.Helper()
	_, gc := p.batch(t, [][]string{cmd})
	return string(gc[0].raw)
}

// requireSameLog denies commands to a user with selectors on both
// servers and compares ACL LOG's newest entry (reason, context, object,
// username).
func requireSameLog(t *testing.T, redisAddr, gcAddr string) {
	for _, cmd := range [][]any{{"GET", "key"}, {"MGET", "otherkey", "someotherkey"}, {"MGET", "key", "otherkey", "someotherkey"}} {
		var got []string
		for _, addr := range []string{redisAddr, gcAddr} {
			admin := redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1})
			u := redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1, Username: "acl-log-test-selector", Password: "password"})
			for _, c := range [][]any{{"ACL", "SETUSER", "acl-log-test-selector", "on", "nopass"},
				{"ACL", "SETUSER", "acl-log-test-selector", "+mget", "~key", "(+mget ~key ~otherkey)"}, {"ACL", "LOG", "RESET"}} {
				if err := admin.Do(ctx, c...).Err(); err != nil {
					t.Fatal(err)
				}
			}
			err := u.Do(ctx, cmd...).Err()
			log, lerr := admin.Do(ctx, "ACL", "LOG", "1").Slice()
			if lerr != nil || len(log) != 1 {
				t.Fatalf("%s: ACL LOG = %v, %v", addr, log, lerr)
			}
			e := log[0].(map[any]any)
			got = append(got, fmt.Sprint(err, e["reason"], e["context"], e["object"], e["username"], e["count"]))
			admin.Close()
			u.Close()
		}
		if got[0] != got[1] {
			t.Errorf("%v: redis %q, geetcache %q", cmd, got[0], got[1])
		}
	}
}
