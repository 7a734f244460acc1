package server

import (
	_ "embed"
	"strings"
	"sync"

	"github.com/geetcache/geetcache/protocol"
)

// Redis 7.0.15's command documentation: its COMMAND DOCS reply in RESP3,
// as redis-server 7.0.15 gives it, commands and subcommands sorted by name
// (command_docs_gen_test.go writes it, with protocol's COMMAND INFO: go
// test ./server -run TestCommandDocsData -update-command-docs). COMMAND
// DOCS answers a command Redis has with Redis's documentation (summary,
// since, group, complexity, flags, history, arguments), so that
// redis-cli's hints and HELP, built from it, are those of Redis;
// geetcache's own commands (RAFT, SENTINEL) answer what the table has.
//
//go:embed command_docs_redis.resp
var redisDocsRESP []byte

// docEntry is one command's documentation: its fields but subcommands (as
// key and value in turn, Redis's order) and its subcommands by full name.
type docEntry struct {
	fields []protocol.RESPValue
	subs   map[string]*docEntry
}

var redisDocs = sync.OnceValue(func() map[string]*docEntry {
	return docEntries(protocol.MustParseRESP(redisDocsRESP, '%', "server's command_docs_redis.resp"))
})

// docEntries indexes a COMMAND DOCS map by command name.
func docEntries(m protocol.RESPValue) map[string]*docEntry {
	out := make(map[string]*docEntry, len(m.Items)/2)
	for i := 0; i+1 < len(m.Items); i += 2 {
		e := &docEntry{}
		doc := m.Items[i+1].Items
		for j := 0; j+1 < len(doc); j += 2 {
			if doc[j].Str == "subcommands" {
				e.subs = docEntries(doc[j+1])
				continue
			}
			e.fields = append(e.fields, doc[j], doc[j+1])
		}
		out[m.Items[i].Str] = e
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
