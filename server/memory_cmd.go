package server

import (
	"runtime/debug"

	"github.com/geetcache/geetcache/protocol"
)

// memoryCommands is MEMORY with the subcommands geetcache has. PURGE
// collects garbage and returns freed memory to the OS, which is what Redis's
// "purge dirty pages for reclamation by the allocator" means for Go; the
// memory benchmark calls it before reading used_memory.
func (s *Server) memoryCommands() []*protocol.Command {
	ct := newContainer(nil,
		&protocol.Command{Name: "memory|purge", Arity: 2, Group: "server", Since: "4.0.0",
			Summary: "Ask the allocator to release memory", Handler: protocol.HandlerFunc(memoryPurge)},
		&protocol.Command{Name: "memory|usage", Arity: -3, Flags: protocol.Readonly, FirstKey: 2, LastKey: 2, Step: 1,
			Group: "server", Since: "4.0.0", Summary: "Estimate the memory usage of a key", Handler: protocol.HandlerFunc(memoryUsage)},
		&protocol.Command{Name: "memory|malloc-stats", Arity: 2, Group: "server", Since: "4.0.0",
			Summary: "Show allocator internal stats", Handler: protocol.HandlerFunc(memoryMallocStats)},
		&protocol.Command{Name: "memory|stats", Arity: 2, Group: "server", Since: "4.0.0",
			Summary: "Show memory usage details", Handler: protocol.HandlerFunc(s.memoryStats)},
		&protocol.Command{Name: "memory|doctor", Arity: 2, Group: "server", Since: "4.0.0",
			Summary: "Output memory problems report", Handler: protocol.HandlerFunc(s.memoryDoctor)},
		&protocol.Command{Name: "memory|help", Arity: 2, Flags: protocol.Loading | protocol.Stale, Group: "server",
			Since: "4.0.0", Summary: "Show helpful text about the different subcommands", Handler: protocol.HandlerFunc(memoryHelp)},
	)
	return []*protocol.Command{{Name: "memory", Arity: -2, Group: "server", Since: "4.0.0",
		Summary: "A container for memory diagnostics commands", Handler: ct, CallFlags: memoryCallFlags}}
}

// MEMORY PURGE
func memoryPurge(c *protocol.Ctx) {
	debug.FreeOSMemory()
	c.Out.OK()
}

// MEMORY MALLOC-STATS: Redis's reply when it is built without jemalloc,
// the only allocator it reports on; geetcache's is Go's (INFO memory
// mem_allocator:go, whose figures INFO memory and the Prometheus
// endpoint give).
func memoryMallocStats(c *protocol.Ctx) {
	c.Out.BulkString("Stats not supported for the current allocator")
}

// MEMORY HELP
func memoryHelp(c *protocol.Ctx) {
	replyHelp(c, []string{
		"DOCTOR",
		"    Return memory problems reports.",
		"MALLOC-STATS",
		"    Return internal statistics report from the memory allocator.",
		"PURGE",
		"    Attempt to purge dirty pages for reclamation by the allocator.",
		"STATS",
		"    Return information about the memory usage of the server.",
		"USAGE <key> [SAMPLES <count>]",
		"    Return memory in bytes used by <key> and its value. Nested values are",
		"    sampled up to <count> times (default: 5, 0 means sample all).",
	})
}

// memoryCallFlags makes MEMORY USAGE a read of the keyspace; the other
// subcommands answer on the node.
func memoryCallFlags(args [][]byte) protocol.Flags {
	if len(args) > 1 && protocol.EqualFold(args[1], "usage") {
		return protocol.Readonly
	}
	return 0
}

// MEMORY USAGE key [SAMPLES count]: the key's share of used_memory, the
// deterministic estimate of its Go heap cost (datatypes/memsize.go: a
// collection is costed from its length and a sample of its first
// elements), not the allocator's figure (Redis's own is exact only with
// jemalloc; its test suite uses it only then). SAMPLES is checked as Redis
// checks it and otherwise ignored.
func memoryUsage(c *protocol.Ctx) {
	for i := 3; i < len(c.Args); i += 2 {
		if !protocol.EqualFold(c.Args[i], "samples") || i+1 >= len(c.Args) {
			c.Out.Error(protocol.ErrSyntax)
			return
		}
		n, ok := protocol.ParseInt(c.Args[i+1])
		if !ok {
			c.Out.Error(protocol.ErrNotInteger)
			return
		}
		if n < 0 {
			c.Out.Error(protocol.ErrSyntax)
			return
		}
	}
	e := c.Peek(c.Args[2])
	if e == nil {
		c.Out.Null()
		return
	}
	c.Out.Int(e.MemSize())
}
