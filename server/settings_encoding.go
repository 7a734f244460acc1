package server

import (
	"strconv"

	"github.com/geetcache/geetcache/cluster"
	"github.com/geetcache/geetcache/datatypes"
	"github.com/geetcache/geetcache/protocol"
)

// The encoding settings (cluster/settings.go) are replicated parameters:
// they decide what OBJECT ENCODING reports, which every replica must agree
// on. The -ziplist- names are Redis's aliases of the -listpack- ones.

func init() {
	for name, parse := range map[string]func(v []byte) (string, string){
		cluster.SettingHashMaxListpackEntries: parseNonNegative,
		cluster.SettingHashMaxListpackValue:   parseMemoryValue,
		cluster.SettingZSetMaxListpackEntries: parseNonNegative,
		cluster.SettingZSetMaxListpackValue:   parseMemoryValue,
		cluster.SettingSetMaxIntsetEntries:    parseNonNegative,
		cluster.SettingListMaxListpackSize:    parseInt32,
		cluster.SettingListCompressDepth:      parseNonNegativeInt32,
		cluster.SettingHLLSparseMaxBytes:      parseMemoryValue,
	} {
		replicatedParams[name] = parse
	}
}

func parseInt32(v []byte) (string, string) {
	n, ok := protocol.ParseInt(v)
	if !ok {
		return "", "argument couldn't be parsed into an integer"
	}
	if n < -1<<31 || n > 1<<31-1 {
		return "", "argument must be between -2147483648 and 2147483647 inclusive"
	}
	return strconv.FormatInt(n, 10), ""
}

func parseNonNegativeInt32(v []byte) (string, string) {
	n, ok := protocol.ParseInt(v)
	if !ok {
		return "", "argument couldn't be parsed into an integer"
	}
	if n < 0 || n > 1<<31-1 {
		return "", "argument must be between 0 and 2147483647 inclusive"
	}
	return strconv.FormatInt(n, 10), ""
}

// encodingParam is the parameter name (or alias of setting) whose value
// is the replicated setting, Redis's default def until set.
func encodingParam(name, setting string, def int64) *param {
	return &param{name: name, setting: setting, get: replicatedGetter(setting, def), replicated: true}
}

var defEnc = datatypes.DefaultEncodingLimits

// encodingParams are the encoding parameters and their aliases.
var encodingParams = []*param{
	encodingParam("hash-max-listpack-entries", cluster.SettingHashMaxListpackEntries, defEnc.HashEntries),
	encodingParam("hash-max-listpack-value", cluster.SettingHashMaxListpackValue, defEnc.HashValue),
	encodingParam("hash-max-ziplist-entries", cluster.SettingHashMaxListpackEntries, defEnc.HashEntries),
	encodingParam("hash-max-ziplist-value", cluster.SettingHashMaxListpackValue, defEnc.HashValue),
	encodingParam("hll-sparse-max-bytes", cluster.SettingHLLSparseMaxBytes, defEnc.HLLSparseMaxBytes),
	encodingParam("list-compress-depth", cluster.SettingListCompressDepth, defEnc.ListCompressDepth),
	encodingParam("list-max-listpack-size", cluster.SettingListMaxListpackSize, defEnc.ListSize),
	encodingParam("list-max-ziplist-size", cluster.SettingListMaxListpackSize, defEnc.ListSize),
	encodingParam("set-max-intset-entries", cluster.SettingSetMaxIntsetEntries, defEnc.SetIntsetEntries),
	encodingParam("zset-max-listpack-entries", cluster.SettingZSetMaxListpackEntries, defEnc.ZSetEntries),
	encodingParam("zset-max-listpack-value", cluster.SettingZSetMaxListpackValue, defEnc.ZSetValue),
	encodingParam("zset-max-ziplist-entries", cluster.SettingZSetMaxListpackEntries, defEnc.ZSetEntries),
	encodingParam("zset-max-ziplist-value", cluster.SettingZSetMaxListpackValue, defEnc.ZSetValue),
}
