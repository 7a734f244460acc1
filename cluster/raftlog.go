package cluster

import (
	"context"
	"fmt"
	"io"
	"log"
	"log/slog"
	"sync/atomic"

	"github.com/hashicorp/go-hclog"
)

// raftLogger is the hclog.Logger hashicorp/raft (and raft-wal) log
// through: it writes to a slog.Logger (Config.RaftLogger), so Raft's lines
// have the same format as geetcache's own (logger=<name> for a named
// sub-logger). Messages below its level are dropped. A few
// that Raft logs as warnings or errors in normal operation are lowered
// (see lowered).
type raftLogger struct {
	l     *slog.Logger
	name  string
	level *atomic.Int32 // an hclog.Level
	args  []any
}

var _ hclog.Logger = (*raftLogger)(nil)

// newRaftLogger returns Raft's logger over l at level (hclog's names:
// "debug", "info", "warn", ...).
func newRaftLogger(l *slog.Logger, level string) *raftLogger {
	lv := &atomic.Int32{}
	lv.Store(int32(hclog.LevelFromString(level)))
	return &raftLogger{l: l, name: "raft", level: lv}
}

// Log writes one message.
func (r *raftLogger) Log(level hclog.Level, msg string, args ...any) {
	level = lowered(level, msg, args)
	if level < r.GetLevel() {
		return
	}
	attrs := make([]any, 0, len(r.args)+len(args)+2)
	if r.name != "raft" {
		attrs = append(attrs, "logger", r.name)
	}
	attrs = append(append(attrs, r.args...), args...)
	r.l.Log(context.Background(), slogLevel(level), msg, attrs...)
}

// lowered is the level a Raft message is logged at: a message that only
// says normal things happened is lowered to info (or debug), so that a
// healthy start or stop logs no warning.
func lowered(level hclog.Level, msg string, args []any) hclog.Level {
	switch {
	case level < hclog.Warn:
		return level
	case msg == "heartbeat timeout reached, starting election" && argIs(args, "last-leader-id", ""):
		return hclog.Info // no leader yet: a node that starts
	case msg == "rejecting vote request since we have a leader":
		return hclog.Info // a node that started late, or stopped hearing the leader, asked for votes
	case msg == "rejecting vote request since our last term is greater" || msg == "rejecting vote request since our last index is greater":
		return hclog.Info // a candidate whose log is behind (one slow to hear the leader at start) is refused, as it must be
	case msg == "peer has newer term, stopping replication":
		return hclog.Info // this leader steps down: an election or a hand-over
	case msg == "failed to decode incoming command" && argIs(args, "error", "transport shutdown"):
		return hclog.Debug // the node stops
	}
	return level
}

// argIs reports whether args (key, value pairs) hold key with a value
// that prints as want.
func argIs(args []any, key, want string) bool {
	for i := 0; i+1 < len(args); i += 2 {
		if k, ok := args[i].(string); ok && k == key {
			return fmt.Sprint(args[i+1]) == want
		}
	}
	return false
}

func slogLevel(l hclog.Level) slog.Level {
	switch l {
	case hclog.Trace:
		return slog.LevelDebug - 4
	case hclog.Debug:
		return slog.LevelDebug
	case hclog.Warn:
		return slog.LevelWarn
	case hclog.Error:
		return slog.LevelError
	}
	return slog.LevelInfo
}

func (r *raftLogger) Trace(msg string, args ...any) { r.Log(hclog.Trace, msg, args...) }
func (r *raftLogger) Debug(msg string, args ...any) { r.Log(hclog.Debug, msg, args...) }
func (r *raftLogger) Info(msg string, args ...any)  { r.Log(hclog.Info, msg, args...) }
func (r *raftLogger) Warn(msg string, args ...any)  { r.Log(hclog.Warn, msg, args...) }
func (r *raftLogger) Error(msg string, args ...any) { r.Log(hclog.Error, msg, args...) }

func (r *raftLogger) IsTrace() bool { return r.GetLevel() <= hclog.Trace }
func (r *raftLogger) IsDebug() bool { return r.GetLevel() <= hclog.Debug }
func (r *raftLogger) IsInfo() bool  { return r.GetLevel() <= hclog.Info }
func (r *raftLogger) IsWarn() bool  { return r.GetLevel() <= hclog.Warn }
func (r *raftLogger) IsError() bool { return r.GetLevel() <= hclog.Error }

func (r *raftLogger) ImpliedArgs() []any { return r.args }

func (r *raftLogger) With(args ...any) hclog.Logger {
	c := *r
	c.args = append(append([]any{}, r.args...), args...)
	return &c
}

func (r *raftLogger) Name() string { return r.name }

func (r *raftLogger) Named(name string) hclog.Logger {
	c := *r
	c.name = r.name + "." + name
	return &c
}

func (r *raftLogger) ResetNamed(name string) hclog.Logger {
	c := *r
	c.name = name
	return &c
}

func (r *raftLogger) SetLevel(level hclog.Level) { r.level.Store(int32(level)) }
func (r *raftLogger) GetLevel() hclog.Level      { return hclog.Level(r.level.Load()) }

// StandardLogger and StandardWriter give the standard library's logger
// over this one, at info (what raft's dependencies print through it).
func (r *raftLogger) StandardLogger(opts *hclog.StandardLoggerOptions) *log.Logger {
	return log.New(r.StandardWriter(opts), "", 0)
}

func (r *raftLogger) StandardWriter(*hclog.StandardLoggerOptions) io.Writer { return stdWriter{r} }

type stdWriter struct{ r *raftLogger }

func (w stdWriter) Write(p []byte) (int, error) {
	msg := string(p)
	for len(msg) > 0 && (msg[len(msg)-1] == '\n' || msg[len(msg)-1] == '\r') {
		msg = msg[:len(msg)-1]
	}
	w.r.Info(msg)
	return len(p), nil
}
