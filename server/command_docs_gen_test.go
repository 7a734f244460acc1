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
	"rewrite command_docs_redis.resp and command_info_redis.resp from the COMMAND DOCS and COMMAND INFO of the redis-server 7.0.15 on PATH")

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
			if _, ok := redisInfo()[c.Name]; !ok {
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
	hello, err := parseDocValue(rd, 0)
	if err != nil {
		t.Fatal(err)
	}
	if i := slices.IndexFunc(hello.items, func(v docValue) bool { return v.s == "version" }); i < 0 || hello.items[i+1].s != RedisVersion {
		t.Fatalf("HELLO 3 answered %+v: not redis-server %s", hello, RedisVersion)
	}
	docs, err := parseDocValue(rd, 0)
	if err != nil {
		t.Fatal(err)
	}
	sortDocs(docs)
	info, err := parseDocValue(rd, 0)
	if err != nil {
		t.Fatal(err)
	}
	sortInfo(info)
	for file, v := range map[string]docValue{"command_docs_redis.resp": docs, "command_info_redis.resp": info} {
		if err := os.WriteFile(file, v.encode(nil), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// sortInfo sorts a COMMAND INFO array, and each command's subcommands, by
// name.
func sortInfo(a docValue) {
	for _, cmd := range a.items {
		sortInfo(cmd.items[9])
	}
	slices.SortFunc(a.items, func(x, y docValue) int { return strings.Compare(x.items[0].s, y.items[0].s) })
}

// sortDocs sorts a COMMAND DOCS map, and its commands' subcommands, by name.
func sortDocs(m docValue) {
	type pair struct{ k, v docValue }
	pairs := make([]pair, 0, len(m.items)/2)
	for i := 0; i+1 < len(m.items); i += 2 {
		doc := m.items[i+1]
		for j := 0; j+1 < len(doc.items); j += 2 {
			if doc.items[j].s == "subcommands" {
				sortDocs(doc.items[j+1])
			}
		}
		pairs = append(pairs, pair{m.items[i], doc})
	}
	slices.SortFunc(pairs, func(a, b pair) int { return strings.Compare(a.k.s, b.k.s) })
	for i, p := range pairs {
		m.items[2*i], m.items[2*i+1] = p.k, p.v
	}
}

// encode appends v in RESP3.
func (v docValue) encode(b []byte) []byte {
	switch v.kind {
	case '$':
		return fmt.Appendf(b, "$%d\r\n%s\r\n", len(v.s), v.s)
	case '+':
		return fmt.Appendf(b, "+%s\r\n", v.s)
	case ':':
		return fmt.Appendf(b, ":%d\r\n", v.n)
	}
	n := len(v.items)
	if v.kind == '%' {
		n /= 2
	}
	b = fmt.Appendf(b, "%c%d\r\n", v.kind, n)
	for _, it := range v.items {
		b = it.encode(b)
	}
	return b
}
