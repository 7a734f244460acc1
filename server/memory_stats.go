package server

import (
	"runtime/metrics"
	"time"

	"github.com/geetcache/geetcache/datatypes"
	"github.com/geetcache/geetcache/protocol"
)

// memOverhead is MEMORY STATS's and MEMORY DOCTOR's figures (Redis's
// getMemoryOverheadData), in the terms of INFO memory: total is
// used_memory, the deterministic estimate maxmemory judges (the keyspace
// plus a fixed base, the same on every replica), so startup and overhead
// are that base and dataset the keyspace's share (each key's MEMORY USAGE
// holds its place in the indexes, Redis's per-database hash table
// overhead). Client buffers, the Raft log and scripts are outside
// used_memory, so outside these figures too. The allocator figures are the
// Go runtime's (runtime/metrics): allocated the heap's objects (INFO
// allocator_allocated), active its spans in use, resident what it has
// mapped and not given back to the OS.
type memOverhead struct {
	peak, total, startup, dataset uint64
	keys                          uint64
	allocated, active, resident   uint64
	rss                           uint64
}

func (s *Server) memOverhead() memOverhead {
	m := memOverhead{total: uint64(s.usedMemory()), rss: processRSS()}
	m.peak = s.metrics.notePeak(m.total)
	if s.evict != nil {
		m.dataset = uint64(s.evict.DatasetMemory())
		m.startup = m.total - m.dataset
	}
	s.view.View(func(dbs *datatypes.DBs) {
		dbs.Each(func(_ int, ks *datatypes.Keyspace) { m.keys += uint64(ks.Len()) })
	})
	m.allocated, m.active, m.resident = goHeapFigures()
	return m
}

// goHeapFigures reads the Go runtime's counterparts of jemalloc's
// allocated, active and resident bytes.
func goHeapFigures() (allocated, active, resident uint64) {
	samples := []metrics.Sample{
		{Name: "/memory/classes/heap/objects:bytes"},
		{Name: "/memory/classes/heap/unused:bytes"},
		{Name: "/memory/classes/total:bytes"},
		{Name: "/memory/classes/heap/released:bytes"},
	}
	metrics.Read(samples)
	v := make([]uint64, len(samples))
	for i, sm := range samples {
		if sm.Value.Kind() == metrics.KindUint64 {
			v[i] = sm.Value.Uint64()
		}
	}
	return v[0], v[0] + v[1], v[2] - min(v[3], v[2])
}

// fraction is a/b (0 when b is 0) in a C float, as Redis keeps its ratios
// (so MEMORY STATS prints them with a float's digits, as Redis's).
func fraction(a, b uint64) float64 {
	if b == 0 {
		return 0
	}
	return float64(float32(a) / float32(b))
}

// percentOf is a*100/b as Redis computes its percentages: (float)a*100/b.
func percentOf(a, b uint64) float64 {
	if b == 0 {
		return 0
	}
	return float64(float32(a) * 100 / float32(b))
}

// MEMORY STATS: Redis's map, field for field in its order, less the
// fields of what geetcache does not have or does not count in used_memory
// (replication.backlog, clients.slaves, clients.normal, lua.caches,
// functions.caches and the db.N overheads, which are in dataset.bytes);
// cluster.links and aof.buffer are 0: no cluster bus, no AOF.
func (s *Server) memoryStats(c *protocol.Ctx) {
	m := s.memOverhead()
	net := uint64(1)
	if m.total > m.startup {
		net = m.total - m.startup
	}
	perKey := uint64(0)
	if m.keys > 0 {
		perKey = net / m.keys
	}
	fields := []any{"peak.allocated", m.peak, "total.allocated", m.total, "startup.allocated", m.startup,
		"cluster.links", uint64(0), "aof.buffer", uint64(0),
		"overhead.total", m.startup, "keys.count", m.keys, "keys.bytes-per-key", perKey,
		"dataset.bytes", m.dataset, "dataset.percentage", percentOf(m.dataset, net),
		"peak.percentage", percentOf(m.total, m.peak),
		"allocator.allocated", m.allocated, "allocator.active", m.active, "allocator.resident", m.resident,
		"allocator-fragmentation.ratio", fraction(m.active, m.allocated),
		"allocator-fragmentation.bytes", int64(m.active) - int64(m.allocated),
		"allocator-rss.ratio", fraction(m.resident, m.active),
		"allocator-rss.bytes", int64(m.resident) - int64(m.active),
		"rss-overhead.ratio", fraction(m.rss, m.resident),
		"rss-overhead.bytes", int64(m.rss) - int64(m.resident),
		"fragmentation", fraction(m.rss, m.total),
		"fragmentation.bytes", int64(m.rss) - int64(m.total)}
	c.Out.Map(len(fields) / 2)
	for i := 0; i < len(fields); i += 2 {
		c.Out.BulkString(fields[i].(string))
		switch v := fields[i+1].(type) {
		case uint64:
			c.Out.Int(int64(v))
		case int64:
			c.Out.Int(v)
		case float64:
			c.Out.Double(v)
		}
	}
}

// clientsMemory is the memory of every connection's buffers (CLIENT
// LIST's tot-mem, summed) and the number of connections.
func (s *Server) clientsMemory(self *protocol.Ctx) (bytes uint64, n int) {
	now := time.Now()
	for _, cl := range s.clientsByID() {
		bytes += uint64(cl.snapshot(now, self).totMem())
		n++
	}
	return bytes, n
}
