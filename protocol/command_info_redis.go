package protocol

import (
	_ "embed"
	"strings"
	"sync"
)

// Redis 7.0.15's COMMAND INFO reply in RESP3, commands and subcommands in
// name order, as redis-server 7.0.15 gives it (server's
// command_docs_gen_test.go writes it: go test ./server -run
// TestCommandDocsData -update-command-docs). It is geetcache's one copy
// of Redis's command tips and key specifications: COMMAND INFO shows them
// (RedisCommandInfo) and COMMAND GETKEYSANDFLAGS and ACL key permissions
// follow the specs (RedisKeySpecs).
//
//go:embed command_info_redis.resp
var redisInfoRESP []byte

// redisInfo is one command's part of that reply the table does not carry.
type redisInfo struct {
	tips, keySpecs RESPValue
	specs          []KeySpec
}

var redisInfos = sync.OnceValue(func() map[string]redisInfo {
	v := MustParseRESP(redisInfoRESP, '*', "command_info_redis.resp")
	out := map[string]redisInfo{}
	var index func(cmds RESPValue)
	index = func(cmds RESPValue) {
		for _, c := range cmds.Items {
			if len(c.Items) != 10 {
				continue
			}
			info := redisInfo{tips: c.Items[7], keySpecs: c.Items[8]}
			for _, ks := range info.keySpecs.Items {
				info.specs = append(info.specs, keySpecOf(ks))
			}
			out[c.Items[0].Str] = info
			index(c.Items[9])
		}
	}
	index(v)
	return out
})

// RedisCommandInfo returns Redis 7.0.15's command tips and key specs of
// the command called name ("parent|sub" for a subcommand), as COMMAND INFO
// writes them; ok is false for a command Redis does not have.
func RedisCommandInfo(name string) (tips, keySpecs RESPValue, ok bool) {
	info, ok := redisInfos()[name]
	return info.tips, info.keySpecs, ok
}

// RedisKeySpecs returns Redis 7.0's key specs of the command called name
// ("parent|sub" for a subcommand), nil when it has none.
func RedisKeySpecs(name string) []KeySpec { return redisInfos()[strings.ToLower(name)].specs }

// keySpecOf reads one key spec of COMMAND INFO: its flags, begin_search
// (index, keyword or unknown) and find_keys (range, keynum or unknown).
func keySpecOf(m RESPValue) KeySpec {
	var ks KeySpec
	for _, f := range m.Field("flags").Items {
		ks.Flags = append(ks.Flags, f.Str)
	}
	begin, find := m.Field("begin_search"), m.Field("find_keys")
	bs, fk := begin.Field("spec"), find.Field("spec")
	switch begin.Field("type").Str {
	case "index":
		ks.Begin = BeginSearch{Index: int(bs.Field("index").Int)}
	case "keyword":
		ks.Begin = BeginSearch{Keyword: bs.Field("keyword").Str, StartFrom: int(bs.Field("startfrom").Int)}
	}
	switch find.Field("type").Str {
	case "range":
		ks.Find = FindKeys{LastKey: int(fk.Field("lastkey").Int), KeyStep: int(fk.Field("keystep").Int), Limit: int(fk.Field("limit").Int)}
	case "keynum":
		ks.Find = FindKeys{KeyNum: true, KeyNumIdx: int(fk.Field("keynumidx").Int), FirstKey: int(fk.Field("firstkey").Int),
			KeyStep: int(fk.Field("keystep").Int)}
	}
	return ks
}
