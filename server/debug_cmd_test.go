package server

import (
	"regexp"
	"strings"
	"testing"
)

var digestReply = regexp.MustCompile(`^\+[0-9a-f]{40}\r\n$`)

func TestDebugDigest(t *testing.T) {
	r := dialRaw(t, startServer(t))
	zeros := "+" + emptyDigest + "\r\n"
	if got := r.do("DEBUG", "DIGEST"); got != zeros {
		t.Errorf("digest of nothing = %q", got)
	}
	r.do("SET", "a", "1")
	first := r.do("DEBUG", "DIGEST")
	if !digestReply.MatchString(first) || first == zeros {
		t.Fatalf("digest after SET = %q", first)
	}
	r.do("SET", "a", "2")
	if second := r.do("debug", "digest"); second == first || !digestReply.MatchString(second) {
		t.Errorf("digest did not change with the data: %q then %q", first, second)
	}
	r.do("SET", "a", "1")
	if again := r.do("DEBUG", "DIGEST"); again != first {
		t.Errorf("same data, different digest: %q then %q", first, again)
	}
	values := r.do("DEBUG", "DIGEST-VALUE", "a", "nosuch")
	if !regexp.MustCompile(`^\*2\r\n\+[0-9a-f]{40}\r\n\+0{40}\r\n$`).MatchString(values) {
		t.Errorf("DIGEST-VALUE = %q", values)
	}
	r.do("SET", "b", "1")
	if got := r.do("DEBUG", "DIGEST-VALUE", "b"); !strings.Contains(values, got[4:]) {
		t.Errorf("equal values, different digests: %q and %q", values, got)
	}
	runExchanges(t, r, []exchange{
		{"no keys", []string{"DEBUG", "DIGEST-VALUE"}, "*0\r\n"},
		{"arity", []string{"DEBUG"}, "-ERR wrong number of arguments for 'debug' command\r\n"},
		{"unknown", []string{"DEBUG", "foo"}, "-ERR unknown subcommand or wrong number of arguments for 'foo'. Try DEBUG HELP.\r\n"},
		{"digest arity", []string{"DEBUG", "DIGEST", "x"}, "-ERR unknown subcommand or wrong number of arguments for 'DIGEST'. Try DEBUG HELP.\r\n"},
		{"help arity", []string{"DEBUG", "help", "x"}, "-ERR unknown subcommand or wrong number of arguments for 'help'. Try DEBUG HELP.\r\n"},
		{"loadaof", []string{"DEBUG", "LOADAOF"}, "+OK\r\n"},
		{"help", []string{"DEBUG", "HELP"}, "*37\r\n+DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n" +
			"+DIGEST\r\n+    Output a hex signature representing the current DB content.\r\n" +
			"+DIGEST-VALUE <key> [<key> ...]\r\n+    Output a hex signature of the values of all the specified keys.\r\n" +
			"+LOADAOF\r\n+    Flush the AOF buffers on disk and reload the AOF in memory.\r\n" +
			"+OBJECT <key>\r\n+    Show low level info about `key` and associated value.\r\n" +
			"+PROTOCOL <type>\r\n+    Reply with a test value of the specified type. <type> can be: string,\r\n" +
			"+    integer, double, bignum, null, array, set, map, attrib, push, verbatim,\r\n+    true, false.\r\n" +
			"+QUICKLIST-PACKED-THRESHOLD <size>\r\n+    Sets the threshold for elements to be inserted as plain vs packed nodes\r\n" +
			"+    Default value is 1GB, allows values up to 4GB. Setting to 0 restores to default.\r\n" +
			"+RELOAD [option ...]\r\n+    Save the RDB on disk and reload it back to memory. Valid <option> values:\r\n" +
			"+    * MERGE: conflicting keys will be loaded from RDB.\r\n" +
			"+    * NOFLUSH: the existing database will not be removed before load, but\r\n" +
			"+      conflicting keys will generate an exception and kill the server.\r\n" +
			"+    * NOSAVE: the database will be loaded from an existing RDB file.\r\n+    Examples:\r\n" +
			"+    * DEBUG RELOAD: verify that the server is able to persist, flush and reload\r\n+      the database.\r\n" +
			"+    * DEBUG RELOAD NOSAVE: replace the current database with the contents of an\r\n+      existing RDB file.\r\n" +
			"+    * DEBUG RELOAD NOSAVE NOFLUSH MERGE: add the contents of an existing RDB\r\n+      file to the database.\r\n" +
			"+SET-ACTIVE-EXPIRE <0|1>\r\n+    Setting it to 0 disables expiring keys in background when they are not\r\n" +
			"+    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the\r\n+    default.\r\n" +
			"+SLEEP <seconds>\r\n+    Stop the server for <seconds>. Decimals allowed.\r\n" +
			"+HELP\r\n+    Prints this help.\r\n"},
	})
}
