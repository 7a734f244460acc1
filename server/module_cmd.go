package server

import (
	"github.com/geetcache/geetcache/protocol"
)

// MODULE, its LOAD, LOADEX and UNLOAD behind enable-module-command as
// Redis's (protected_commands.go; Redis's default, no, refuses them).
// Redis modules are C shared objects built against Redis's module API,
// which a Go server cannot host: none is ever loaded, so LIST answers an
// empty list, UNLOAD finds no such module, and LOAD and LOADEX answer
// Redis's error for a module that failed to load, with the reason in the
// log, as Redis puts dlopen's there.
func (s *Server) moduleCommands() []*protocol.Command {
	const admin = protocol.Admin | protocol.NoScript
	sub := func(name string, arity int, f protocol.Flags, since, summary string, h protocol.HandlerFunc) *protocol.Command {
		return &protocol.Command{Name: "module|" + name, Arity: arity, Flags: f, Group: "server", Since: since,
			Summary: summary, Handler: h}
	}
	ct := newContainer(nil,
		sub("help", 2, protocol.Loading|protocol.Stale, "5.0.0", "Show helpful text about the different subcommands", moduleHelp),
		sub("list", 2, admin, "4.0.0", "List all modules loaded by the server", moduleList),
		sub("load", -3, admin|protocol.NoAsyncLoading, "4.0.0", "Load a module", s.moduleLoad),
		sub("loadex", -3, admin|protocol.NoAsyncLoading, "7.0.0", "Load a module with extended parameters", s.moduleLoad),
		sub("unload", 3, admin|protocol.NoAsyncLoading, "4.0.0", "Unload a module", moduleUnload),
	)
	return []*protocol.Command{{Name: "module", Arity: -2, Group: "server", Since: "4.0.0",
		Summary: "A container for module commands", Handler: ct}}
}

// MODULE LIST: the modules loaded, none.
func moduleList(c *protocol.Ctx) { c.Out.Array(0) }

// MODULE LOAD path [arg ...], MODULE LOADEX path [CONFIG name value ...] [ARGS ...]
func (s *Server) moduleLoad(c *protocol.Ctx) {
	s.log.Warn("Module failed to load: geetcache cannot load Redis modules (C shared objects built against Redis's module API)",
		"module", string(c.Args[2]))
	c.Out.Error("ERR Error loading the extension. Please check the server logs.")
}

// MODULE UNLOAD name
func moduleUnload(c *protocol.Ctx) {
	c.Out.Error("ERR Error unloading module: no such module with that name")
}

// MODULE HELP
func moduleHelp(c *protocol.Ctx) {
	replyHelp(c, []string{
		"LIST",
		"    Return a list of loaded modules.",
		"LOAD <path> [<arg> ...]",
		"    Load a module library from <path>, passing to it any optional arguments.",
		"LOADEX <path> [[CONFIG NAME VALUE] [CONFIG NAME VALUE]] [ARGS ...]",
		"    Load a module library from <path>, while passing it module configurations and optional arguments.",
		"UNLOAD <name>",
		"    Unload a module.",
	})
}
