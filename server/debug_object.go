package server

import (
	"fmt"
	"math"
	"time"

	"github.com/geetcache/geetcache/datatypes"
	"github.com/geetcache/geetcache/protocol"
)

// DEBUG OBJECT key: Redis 7.0's line. As in Redis it looks the key up
// without expiring it. serializedlength the size of geetcache's snapshot encoding of the value
// (not Redis's RDB length), lru the key's last access on this node in
// Redis's LRU clock (seconds, 24 bits) and lru_seconds_idle the seconds
// since (as OBJECT IDLETIME); a list adds its estimated quicklist fields. The "address" is
// the key's hash: a write that rewrites the value in place in Redis (INCR
// of a number past the shared integers) keeps it, as Redis's test of that
// expects; it is the same on every replica.
func (s *Server) debugObject(c *protocol.Ctx) {
	if !s.readBarrier(c) {
		return
	}
	var line string
	s.view.View(func(dbs *datatypes.DBs) {
		ks := dbs.DB(conn(c).db)
		e := ks.Lookup(string(c.Args[2]), math.MinInt64)
		if e != nil {
			line = debugObjectLine(e, ks.EncodingLimits(), time.Now().Unix())
		}
	})
	if line == "" {
		c.Out.Error("ERR no such key")
		return
	}
	c.Out.Simple(line)
}

// debugObjectLine formats DEBUG OBJECT's reply for e at unix time now.
func debugObjectLine(e *datatypes.Entry, l datatypes.EncodingLimits, now int64) string {
	enc := datatypes.ObjectEncoding(e.Value, l)
	at := e.AccessSeconds()
	line := fmt.Sprintf("Value at:0x%x refcount:%d encoding:%s serializedlength:%d lru:%d lru_seconds_idle:%d",
		e.Hash()&(1<<47-1), protocol.ObjectRefcount(e.Value), enc, len(e.Value.AppendEncoded(nil))-1, at&(1<<24-1), max(now-at, 0))
	if list, ok := e.Value.(*datatypes.List); ok {
		q := list.Quicklist(l.ListSize)
		line += fmt.Sprintf(" ql_nodes:%d ql_avg_node:%.2f ql_listpack_max:%d ql_compressed:%d ql_uncompressed_size:%d",
			q.Nodes, float64(list.Len())/float64(q.Nodes), l.ListSize, boolInt(l.ListCompressDepth != 0), q.UncompressedSize)
	}
	return line
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// DEBUG QUICKLIST-PACKED-THRESHOLD size: Redis stores a list element at
// least this long in a node of its own; geetcache's lists have no such
// nodes, so the size is checked as Redis checks it (a memory value up to
// 4 GiB minus 1 MiB, 0 for the default) and changes nothing.
func debugPackedThreshold(c *protocol.Ctx) {
	n, ok := memToUint64(string(c.Args[2]))
	if !ok || n > 1<<32-1<<20 {
		c.Out.Error("ERR argument must be a memory value bigger than 1 and smaller than 4gb")
		return
	}
	c.Out.OK()
}
