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
		&protocol.Command{Name: "memory|help", Arity: 2, Flags: protocol.Loading | protocol.Stale, Group: "server",
			Since: "4.0.0", Summary: "Show helpful text about the different subcommands", Handler: protocol.HandlerFunc(memoryHelp)},
	)
	return []*protocol.Command{{Name: "memory", Arity: -2, Group: "server", Since: "4.0.0",
		Summary: "A container for memory diagnostics commands", Handler: ct}}
}

// MEMORY PURGE
func memoryPurge(c *protocol.Ctx) {
	debug.FreeOSMemory()
	c.Out.OK()
}

// MEMORY HELP
func memoryHelp(c *protocol.Ctx) {
	replyHelp(c, []string{
		"PURGE",
		"    Attempt to purge dirty pages for reclamation by the allocator.",
	})
}
