package server

import (
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/geetcache/geetcache/protocol"
)

// MONITOR, as Redis 7.0: a connection that sent it receives, from then
// on, a line for each command this node's clients ran (after it ran; a
// script's EVAL or FCALL before the commands it calls, which follow as
// "[0 lua]"), "+<unix time> [0 <client address>] "arg" ...". Admin
// commands and those flagged skip_monitor are not shown; secrets are
// "(redacted)" as in the slow log (redact.go). It is this node's view: a write a
// follower forwards shows on the follower (its client) and on the leader
// (the follower's link). Lines go out through the connection's push queue
// (pubsub_out.go), bounded by its class's output buffer limit, or, when
// that class has no hard limit (normal's, by default), by monitorHardLimit:
// Redis lets a MONITOR that does not read grow without bound; geetcache
// closes it.
// monitorHardLimit bounds a MONITOR's unsent lines when its class sets no
// hard limit.
const monitorHardLimit = 64 << 20

type monitors struct {
	n  atomic.Int32 // len(set), read without the lock on every call
	mu sync.Mutex
	// set holds the monitoring connections.
	set map[*client]struct{}
}

func (m *monitors) add(c *client) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.set == nil {
		m.set = map[*client]struct{}{}
	}
	m.set[c] = struct{}{}
	m.n.Store(int32(len(m.set)))
}

func (m *monitors) remove(c *client) {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.set, c)
	m.n.Store(int32(len(m.set)))
}

// feed sends line to every monitor.
func (m *monitors) feed(line []byte) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for c := range m.set {
		if p := c.pushView.Load(); p != nil {
			p.Push(line)
		}
	}
}

// monitorCommands is MONITOR.
func (s *Server) monitorCommands() []*protocol.Command {
	return []*protocol.Command{{Name: "monitor", Arity: 1,
		Flags: protocol.Admin | protocol.NoScript | protocol.Loading | protocol.Stale, Group: "server", Since: "1.0.0",
		Summary: "Listen for all requests received by the server in real time", Handler: protocol.HandlerFunc(s.monitor)}}
}

// MONITOR
func (s *Server) monitor(ctx *protocol.Ctx) {
	c := conn(ctx)
	if c.monitoring.Load() {
		return // Redis answers nothing to a second MONITOR
	}
	if c.multi != nil || c.execing {
		ctx.Out.Error("ERR MONITOR isn't allowed for DENY BLOCKING client")
		return
	}
	ctx.Out.OK()
	if !s.startPush(c) {
		return
	}
	c.monitoring.Store(true)
	s.monitors.add(c)
}

// stopMonitor takes c out of the monitors (RESET, the connection's end).
func (s *Server) stopMonitor(c *client) {
	if c.monitoring.Swap(false) {
		s.monitors.remove(c)
	}
}

// feedMonitors shows a call of cmd with args, run for c (nil: a script's
// call, shown as "lua"), to the monitors, unless cmd is admin or
// skip_monitor.
func (s *Server) feedMonitors(c *client, cmd *protocol.Command, args [][]byte) {
	if s.monitors.n.Load() == 0 || cmd == nil {
		return
	}
	if isContainer(cmd) && len(args) > 1 { // CONFIG GET is admin, CONFIG is not
		if sub := protocol.SubcommandOf(cmd, args[1]); sub != nil {
			cmd = sub
		}
	}
	if cmd.Flags&(protocol.Admin|protocol.SkipMonitor) != 0 && !scriptCalls[cmd.Name] {
		return // EVAL and FCALL are skip_monitor: shown before they run, by their callers
	}
	who := "lua"
	if c != nil {
		who = monitorAddr(c.nc)
	}
	s.monitors.feed(monitorLine(time.Now(), who, redactArgs(args)))
}

// feedScript shows cl to the monitors if it runs a script (EVAL, FCALL...),
// once: a script tried as a read first comes here again.
func (s *Server) feedScript(c *client, cl *call) {
	if s.monitors.n.Load() == 0 || !scriptCalls[cl.cmd.Name] || c.monitorFed == cl {
		return
	}
	c.monitorFed = cl
	s.feedMonitors(c, cl.cmd, cl.args)
}

// monitorLine is replicationFeedMonitors' line.
func monitorLine(now time.Time, who string, args [][]byte) []byte {
	b := append([]byte{'+'}, strconv.FormatInt(now.Unix(), 10)...)
	b = append(b, '.')
	us := strconv.FormatInt(int64(now.Nanosecond()/1000), 10)
	for range 6 - len(us) {
		b = append(b, '0')
	}
	b = append(b, us...)
	b = append(b, " [0 "...)
	b = append(b, who...)
	b = append(b, ']')
	for _, a := range args {
		b = append(b, ' ')
		b = appendRepr(b, a)
	}
	return append(b, "\r\n"...)
}

// appendRepr appends a quoted as Redis's sdscatrepr does.
func appendRepr(b, a []byte) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for _, ch := range a {
		switch ch {
		case '\\', '"':
			b = append(b, '\\', ch)
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		case '\a':
			b = append(b, '\\', 'a')
		case '\b':
			b = append(b, '\\', 'b')
		default:
			if ch >= 0x20 && ch < 0x7f {
				b = append(b, ch)
			} else {
				b = append(b, '\\', 'x', hex[ch>>4], hex[ch&15])
			}
		}
	}
	return append(b, '"')
}
