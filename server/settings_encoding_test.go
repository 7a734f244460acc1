package server

import "testing"

// TestEncodingSettings: the encoding parameters have Redis 7.0's defaults,
// refuse bad values with its reasons (naming the parameter as sent), and
// an alias reads and writes the same setting, as redis-server 7.0.15.
func TestEncodingSettings(t *testing.T) {
	r := dialRaw(t, startServer(t))
	failed := func(name, reason string) string {
		return "-ERR CONFIG SET failed (possibly related to argument '" + name + "') - " + reason + "\r\n"
	}
	get := func(name, v string) string { return "*2\r\n" + bulk(name) + bulk(v) }
	runExchanges(t, r, []exchange{
		{"hash entries", []string{"CONFIG", "GET", "hash-max-listpack-entries"}, get("hash-max-listpack-entries", "512")},
		{"hash value alias", []string{"CONFIG", "GET", "hash-max-ziplist-value"}, get("hash-max-ziplist-value", "64")},
		{"zset entries", []string{"CONFIG", "GET", "zset-max-ziplist-entries"}, get("zset-max-ziplist-entries", "128")},
		{"intset", []string{"CONFIG", "GET", "set-max-intset-entries"}, get("set-max-intset-entries", "512")},
		{"list size", []string{"CONFIG", "GET", "list-max-listpack-size"}, get("list-max-listpack-size", "-2")},
		{"compress", []string{"CONFIG", "GET", "list-compress-depth"}, get("list-compress-depth", "0")},
		{"hll", []string{"CONFIG", "GET", "hll-sparse-max-bytes"}, get("hll-sparse-max-bytes", "3000")},
		{"negative entries", []string{"CONFIG", "SET", "set-max-intset-entries", "-1"}, failed("set-max-intset-entries", "argument must be between 0 and 9223372036854775807 inclusive")},
		{"entries not a number", []string{"CONFIG", "SET", "hash-max-ziplist-entries", "1kb"}, failed("hash-max-ziplist-entries", "argument couldn't be parsed into an integer")},
		{"value not memory", []string{"CONFIG", "SET", "zset-max-ziplist-value", "-1"}, failed("zset-max-ziplist-value", "argument must be a memory value")},
		{"list size range", []string{"CONFIG", "SET", "list-max-ziplist-size", "4294967296"}, failed("list-max-ziplist-size", "argument must be between -2147483648 and 2147483647 inclusive")},
		{"depth range", []string{"CONFIG", "SET", "list-compress-depth", "-1"}, failed("list-compress-depth", "argument must be between 0 and 2147483647 inclusive")},
		{"set alias", []string{"CONFIG", "SET", "hash-max-ziplist-value", "1kb", "list-max-ziplist-size", "-65536"}, "+OK\r\n"},
		{"read through name", []string{"CONFIG", "GET", "hash-max-listpack-value"}, get("hash-max-listpack-value", "1024")},
		{"read list size", []string{"CONFIG", "GET", "list-max-listpack-size"}, get("list-max-listpack-size", "-65536")},
	})
}
