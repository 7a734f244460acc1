package server

import (
	"bufio"
	"flag"
	"fmt"
	"net"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/geetcache/geetcache/protocol"
)

var updateCommandDocs = flag.Bool("update-command-docs", false,
	"rewrite command_docs_redis.resp and protocol/command_info_redis.resp from the COMMAND DOCS and COMMAND INFO of the redis-server 7.0.15 on PATH")

// geetcacheOnly are the commands of the table Redis 7.0 does not have,
// which keep the table's own documentation.
var geetcacheOnly = []string{"raft", "sentinel"}

// TestCommandDocsData: the embedded documentation and COMMAND INFO parse,
// and every command and subcommand of the table has Redis's, but
// geetcache's own. With
// -update-command-docs it is first rewritten from redis-server 7.0.15.
func TestCommandDocsData(t *testing.T) {
	if *updateCommandDocs {
		writeRedisDocs(t)
	}
	ts := startTestServer(t)
	for _, cmd := range ts.srv.table.All() {
		if slices.Contains(geetcacheOnly, cmd.Name) {
			continue
		}
		for _, c := range append([]*protocol.Command{cmd}, subcommandsOf(cmd)...) {
			if redisDocsOf(c) == nil {
				t.Errorf("%s: no Redis documentation", c.Name)
			}
			if _, _, ok := protocol.RedisCommandInfo(c.Name); !ok {
				t.Errorf("%s: no Redis COMMAND INFO", c.Name)
			}
		}
	}
}

// writeRedisDocs asks a redis-server 7.0.15 for COMMAND DOCS and COMMAND
// INFO in RESP3 and writes them with commands and subcommands sorted by
// name.
func writeRedisDocs(t *testing.T) {
	port := freePort(t)
	srv := exec.Command("redis-server", "--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no")
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	defer srv.Process.Kill()
	var nc net.Conn
	var err error
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if nc, err = net.Dial("tcp", "127.0.0.1:"+strconv.Itoa(port)); err == nil || time.Now().After(deadline) {
			break
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	rd := bufio.NewReader(nc)
	fmt.Fprint(nc, "HELLO 3\r\nCOMMAND DOCS\r\nCOMMAND INFO\r\n")
	var replies [3]protocol.RESPValue
	for i := range replies {
		if replies[i], err = protocol.ParseRESPValue(rd); err != nil {
			t.Fatal(err)
		}
	}
	hello, docs, info := replies[0], replies[1], replies[2]
	if v := hello.Field("version").Str; v != RedisVersion {
		t.Fatalf("HELLO 3 answered version %q: not redis-server %s", v, RedisVersion)
	}
	sortDocs(docs)
	sortInfo(info)
	for file, v := range map[string]protocol.RESPValue{"command_docs_redis.resp": docs, "../protocol/command_info_redis.resp": info} {
		if err := os.WriteFile(file, encodeRESP(nil, v), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// sortInfo sorts a COMMAND INFO array, and each command's subcommands, by
// name.
func sortInfo(a protocol.RESPValue) {
	for _, cmd := range a.Items {
		sortInfo(cmd.Items[9])
	}
	slices.SortFunc(a.Items, func(x, y protocol.RESPValue) int { return strings.Compare(x.Items[0].Str, y.Items[0].Str) })
}

// sortDocs sorts a COMMAND DOCS map, and its commands' subcommands, by name.
func sortDocs(m protocol.RESPValue) {
	type pair struct{ k, v protocol.RESPValue }
	pairs := make([]pair, 0, len(m.Items)/2)
	for i := 0; i+1 < len(m.Items); i += 2 {
		doc := m.Items[i+1]
		if sub := doc.Field("subcommands"); sub.Kind != 0 {
			sortDocs(sub)
		}
		pairs = append(pairs, pair{m.Items[i], doc})
	}
	slices.SortFunc(pairs, func(a, b pair) int { return strings.Compare(a.k.Str, b.k.Str) })
	for i, p := range pairs {
		m.Items[2*i], m.Items[2*i+1] = p.k, p.v
	}
}

// encodeRESP appends v in RESP3.
func encodeRESP(b []byte, v protocol.RESPValue) []byte {
	switch v.Kind {
	case '$':
		return fmt.Appendf(b, "$%d\r\n%s\r\n", len(v.Str), v.Str)
	case '+':
		return fmt.Appendf(b, "+%s\r\n", v.Str)
	case ':':
		return fmt.Appendf(b, ":%d\r\n", v.Int)
	}
	n := len(v.Items)
	if v.Kind == '%' {
		n /= 2
	}
	b = fmt.Appendf(b, "%c%d\r\n", v.Kind, n)
	for _, it := range v.Items {
		b = encodeRESP(b, it)
	}
	return b
}
