package server

import (
	"github.com/geetcache/geetcache/protocol"
)

// aclCategories lists Redis 7.0's ACL categories in the order COMMAND INFO
// prints them.
var aclCategories = []string{"keyspace", "read", "write", "set", "sortedset", "list", "hash",
	"string", "bitmap", "hyperloglog", "geo", "stream", "pubsub", "admin", "fast", "slow",
	"blocking", "dangerous", "connection", "transaction", "scripting"}

// groupCategory is the category a command of each documentation group
// declares in Redis's command table.
var groupCategory = map[string]string{
	"generic": "keyspace", "string": "string", "list": "list", "set": "set",
	"sorted-set": "sortedset", "hash": "hash", "hyperloglog": "hyperloglog",
	"bitmap": "bitmap", "geo": "geo", "stream": "stream", "connection": "connection",
	"transactions": "transaction", "scripting": "scripting",
}

// declaredCategories are the Redis 7.0.15 commands whose declared categories
// are not their group's (from Redis's src/commands/*.json): containers
// declare none, some server commands are @keyspace or @dangerous.
var declaredCategories = map[string][]string{
	"asking": {"connection"}, "client": {}, "command": {"connection"},
	"command|count": {"connection"}, "command|docs": {"connection"},
	"command|getkeys": {"connection"}, "command|getkeysandflags": {"connection"},
	"command|help": {"connection"}, "command|info": {"connection"}, "command|list": {"connection"},
	"dbsize": {"keyspace"}, "flushall": {"keyspace", "dangerous"}, "flushdb": {"keyspace", "dangerous"},
	"function": {}, "info": {"dangerous"}, "keys": {"keyspace", "dangerous"},
	"lastsave": {"admin", "dangerous"}, "migrate": {"keyspace", "dangerous"}, "object": {},
	"readonly": {"connection"}, "readwrite": {"connection"},
	"restore": {"keyspace", "dangerous"}, "restore-asking": {"keyspace", "dangerous"},
	"role": {"admin", "dangerous"}, "script": {}, "shutdown": {"admin", "dangerous"},
	"sort": {"set", "sortedset", "list", "dangerous"}, "sort_ro": {"set", "sortedset", "list", "dangerous"},
	"swapdb": {"keyspace", "dangerous"}, "wait": {"connection"}, "xgroup": {}, "xinfo": {}, "pubsub|help": {},
}

// categoriesOf returns cmd's ACL categories as Redis computes them: the
// declared ones, then the ones its flags imply (setImplicitACLCategories).
func categoriesOf(cmd *protocol.Command) []string {
	set := map[string]bool{}
	declared, ok := declaredCategories[cmd.Name]
	if !ok {
		declared = []string{groupCategory[cmd.Group]}
	}
	for _, c := range declared {
		set[c] = true
	}
	implyCategories(cmd.Flags, set)
	var out []string
	for _, c := range aclCategories {
		if set[c] {
			out = append(out, c)
		}
	}
	return out
}

func implyCategories(f protocol.Flags, set map[string]bool) {
	if f&protocol.Write != 0 {
		set["write"] = true
	}
	if f&protocol.Readonly != 0 && !set["scripting"] {
		set["read"] = true
	}
	if f&protocol.Admin != 0 {
		set["admin"], set["dangerous"] = true, true
	}
	if f&protocol.PubSub != 0 {
		set["pubsub"] = true
	}
	if f&protocol.Blocking != 0 {
		set["blocking"] = true
	}
	if f&protocol.Fast != 0 {
		set["fast"] = true
	} else {
		set["slow"] = true
	}
}

// hasCategory reports whether cmd is in the category named cat.
func hasCategory(cmd *protocol.Command, cat string) bool {
	for _, c := range categoriesOf(cmd) {
		if c == cat {
			return true
		}
	}
	return false
}

// knownCategory reports whether cat names an ACL category.
func knownCategory(cat []byte) bool {
	for _, c := range aclCategories {
		if protocol.EqualFold(cat, c) {
			return true
		}
	}
	return false
}
