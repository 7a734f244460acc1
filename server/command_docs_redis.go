package server

import (
	"bufio"
	"bytes"
	_ "embed"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"

	"github.com/geetcache/geetcache/protocol"
)

// Redis 7.0.15's command documentation: its COMMAND DOCS reply in RESP3,
// as redis-server 7.0.15 gives it, commands and subcommands sorted by name
// (command_docs_gen_test.go writes it: go test ./server -run
// TestCommandDocsData -update-command-docs). COMMAND DOCS answers a
// command Redis has with Redis's documentation (summary, since, group,
// complexity, flags, history, arguments), so that redis-cli's hints and
// HELP, built from it, are those of Redis; geetcache's own commands (RAFT,
// SENTINEL) answer what the table has.
//
//go:embed command_docs_redis.resp
var redisDocsRESP []byte

// Redis 7.0.15's COMMAND INFO reply in RESP3, sorted as the documentation,
// for each command's tips and key specifications.
//
//go:embed command_info_redis.resp
var redisInfoRESP []byte

// infoEntry is the part of a command's COMMAND INFO the table does not
// carry: its tips and key specifications.
type infoEntry struct {
	tips, keySpecs docValue
}

var redisInfo = sync.OnceValue(func() map[string]infoEntry {
	v, err := parseDocValue(bufio.NewReader(bytes.NewReader(redisInfoRESP)), 0)
	if err != nil || v.kind != '*' {
		panic(fmt.Sprintf("server: command_info_redis.resp does not parse: %v", err))
	}
	out := map[string]infoEntry{}
	var index func(cmds docValue)
	index = func(cmds docValue) {
		for _, c := range cmds.items {
			if len(c.items) == 10 {
				out[c.items[0].s] = infoEntry{tips: c.items[7], keySpecs: c.items[8]}
				index(c.items[9])
			}
		}
	}
	index(v)
	return out
})

// docValue is one element of the documentation: a map, array or set of
// items, or a bulk string, simple string or integer.
type docValue struct {
	kind  byte // '%', '*', '~', '$', '+', ':'
	s     string
	n     int64
	items []docValue // a map's keys and values in turn
}

// docEntry is one command's documentation: its fields but subcommands (as
// key and value in turn, Redis's order) and its subcommands by full name.
type docEntry struct {
	fields []docValue
	subs   map[string]*docEntry
}

var redisDocs = sync.OnceValue(func() map[string]*docEntry {
	v, err := parseDocValue(bufio.NewReader(bytes.NewReader(redisDocsRESP)), 0)
	if err != nil || v.kind != '%' {
		panic(fmt.Sprintf("server: command_docs_redis.resp does not parse: %v", err))
	}
	return docEntries(v)
})

// docEntries indexes a COMMAND DOCS map by command name.
func docEntries(m docValue) map[string]*docEntry {
	out := make(map[string]*docEntry, len(m.items)/2)
	for i := 0; i+1 < len(m.items); i += 2 {
		e := &docEntry{}
		doc := m.items[i+1].items
		for j := 0; j+1 < len(doc); j += 2 {
			if doc[j].s == "subcommands" {
				e.subs = docEntries(doc[j+1])
				continue
			}
			e.fields = append(e.fields, doc[j], doc[j+1])
		}
		out[m.items[i].s] = e
	}
	return out
}

// redisDocsOf returns Redis's documentation of cmd (a subcommand by its
// parent's), or nil for a command Redis does not have.
func redisDocsOf(cmd *protocol.Command) *docEntry {
	parent, _, isSub := strings.Cut(cmd.Name, "|")
	if !isSub {
		return redisDocs()[cmd.Name]
	}
	if p := redisDocs()[parent]; p != nil {
		return p.subs[cmd.Name]
	}
	return nil
}

// write writes v in the connection's protocol (a map or set as an array in
// RESP2, as Redis writes them).
func (v docValue) write(w *protocol.Writer) {
	switch v.kind {
	case '%':
		w.Map(len(v.items) / 2)
	case '*':
		w.Array(len(v.items))
	case '~':
		w.Set(len(v.items))
	case '$':
		w.BulkString(v.s)
	case '+':
		w.Simple(v.s)
	case ':':
		w.Int(v.n)
	}
	for _, it := range v.items {
		it.write(w)
	}
}

// parseDocValue reads one element of the embedded reply; depth bounds the
// nesting (Redis's arguments nest a few levels).
func parseDocValue(rd *bufio.Reader, depth int) (docValue, error) {
	line, err := rd.ReadString('\n')
	if err != nil || len(line) < 3 || depth > 16 {
		return docValue{}, fmt.Errorf("bad line %q at depth %d: %v", line, depth, err)
	}
	v := docValue{kind: line[0]}
	body := line[1 : len(line)-2]
	switch v.kind {
	case '+':
		v.s = body
		return v, nil
	case ':':
		v.n, err = strconv.ParseInt(body, 10, 64)
		return v, err
	case '$':
		n, err := strconv.Atoi(body)
		if err != nil || n < 0 {
			return v, fmt.Errorf("bad bulk length %q", body)
		}
		b := make([]byte, n+2)
		if _, err := io.ReadFull(rd, b); err != nil {
			return v, err
		}
		v.s = string(b[:n])
		return v, nil
	case '%', '*', '~':
		n, err := strconv.Atoi(body)
		if err != nil || n < 0 {
			return v, fmt.Errorf("bad length %q", body)
		}
		if v.kind == '%' {
			n *= 2
		}
		v.items = make([]docValue, n)
		for i := range v.items {
			if v.items[i], err = parseDocValue(rd, depth+1); err != nil {
				return v, err
			}
		}
		return v, nil
	}
	return v, fmt.Errorf("unexpected type %q", v.kind)
}
