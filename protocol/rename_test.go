package protocol

import (
	"testing"
)

var renameScripts = []keyScript{
	{"missing source", [][2]string{
		{"RENAME a b", "-ERR no such key|"},
		{"RENAME a a", "-ERR no such key|"},
		{"RENAMENX a b", "-ERR no such key|"},
		{"RENAMENX a a", "-ERR no such key|"},
		{"RENAME a", "-ERR wrong number of arguments for 'rename' command|"},
		{"RENAMENX a b c", "-ERR wrong number of arguments for 'renamenx' command|"},
	}},
	{"same key", [][2]string{
		{"SET a 1", "+OK|"},
		{"EXPIRE a 100", ":1|"},
		{"RENAME a a", "+OK|"},
		{"RENAMENX a a", ":0|"},
		{"TTL a", ":100|"},
	}},
	{"rename", [][2]string{
		{"SET a 1", "+OK|"},
		{"SET b 2", "+OK|"},
		{"EXPIRE b 500", ":1|"},
		{"RENAME a b", "+OK|"},
		{"GET b", "$1|1|"},
		{"TTL b", ":-1|"},
		{"EXISTS a", ":0|"},
		{"EXPIRE b 100", ":1|"},
		{"RENAME b c", "+OK|"},
		{"TTL c", ":100|"},
		{"EXISTS b", ":0|"},
		{"DBSIZE", ":1|"},
	}},
	{"renamenx", [][2]string{
		{"SET a 1", "+OK|"},
		{"SET b 2", "+OK|"},
		{"RENAMENX a b", ":0|"},
		{"GET a", "$1|1|"},
		{"GET b", "$1|2|"},
		{"EXPIRE a 100", ":1|"},
		{"RENAMENX a c", ":1|"},
		{"TTL c", ":100|"},
		{"EXISTS a", ":0|"},
	}},
}

func TestRenameCommands(t *testing.T) { runKeyScripts(t, renameScripts) }

var copyScripts = []keyScript{
	{"errors", [][2]string{
		{"COPY a a", "-ERR source and destination objects are the same|"},
		{"COPY a a DB 0", "-ERR source and destination objects are the same|"},
		{"COPY a b DB", "-ERR syntax error|"},
		{"COPY a b foo", "-ERR syntax error|"},
		{"COPY a b REPLACE DB", "-ERR syntax error|"},
		{"COPY a b DB x", "-ERR value is not an integer or out of range|"},
		{"COPY a b DB 1.0", "-ERR value is not an integer or out of range|"},
		{"COPY a b DB 99999999999", "-ERR value is out of range, value must between -2147483648 and 2147483647|"},
		{"COPY a b DB 2147483648", "-ERR value is out of range, value must between -2147483648 and 2147483647|"},
		{"COPY a b DB -2147483649", "-ERR value is out of range, value must between -2147483648 and 2147483647|"},
		{"COPY a b DB 16", "-ERR DB index is out of range|"},
		{"COPY a b DB -1", "-ERR DB index is out of range|"},
		{"COPY a b DB x DB 99", "-ERR value is not an integer or out of range|"},
		{"COPY a b DB 1", ":0|"},
		{"COPY a a DB 1", ":0|"},
		{"COPY a", "-ERR wrong number of arguments for 'copy' command|"},
	}},
	{"copy", [][2]string{
		{"COPY a b", ":0|"},
		{"SET a 1", "+OK|"},
		{"COPY a b", ":1|"},
		{"GET b", "$1|1|"},
		{"COPY a b", ":0|"},
		{"SET a 2", "+OK|"},
		{"COPY a b DB 0", ":0|"},
		{"GET b", "$1|1|"},
		{"COPY a b replace", ":1|"},
		{"GET b", "$1|2|"},
		{"SET a 3", "+OK|"},
		{"COPY a b REPLACE DB 0 replace", ":1|"},
		{"GET b", "$1|3|"},
		{"DBSIZE", ":2|"},
	}},
	{"copy keeps ttl", [][2]string{
		{"SET a 1", "+OK|"},
		{"EXPIRE a 100", ":1|"},
		{"COPY a b", ":1|"},
		{"TTL b", ":100|"},
		{"SET c 1", "+OK|"},
		{"EXPIRE c 200", ":1|"},
		{"PERSIST a", ":1|"},
		{"COPY a c REPLACE", ":1|"},
		{"TTL c", ":-1|"},
		{"TTL b", ":100|"},
	}},
	{"copy is deep", [][2]string{
		{"SET a x", "+OK|"},
		{"COPY a b", ":1|"},
		{"APPEND b y", ":2|"},
		{"SETRANGE a 0 z", ":1|"},
		{"GET a", "$1|z|"},
		{"GET b", "$2|xy|"},
	}},
}

func TestCopyCommand(t *testing.T) { runKeyScripts(t, copyScripts) }

// TestRenameCopyExpiredSource checks an expired source counts as missing and
// an expired destination as free.
func TestRenameCopyExpiredSource(t *testing.T) {
	h := newHarness(t)
	h.check([][2]string{
		{"SET a 1 PX 10", "+OK|"},
		{"SET b 1 PX 10", "+OK|"},
		{"SET c 1", "+OK|"},
	})
	h.advance(11)
	h.check([][2]string{
		{"RENAME a x", "-ERR no such key|"},
		{"COPY b x", ":0|"},
		{"RENAMENX c b", ":1|"},
		{"SET c 2", "+OK|"},
		{"SET d 2 PX 10", "+OK|"},
	})
	h.advance(11)
	h.check([][2]string{
		{"COPY c d", ":1|"},
		{"DBSIZE", ":3|"},
	})
}
