package server

import (
	"log/slog"
	"strings"
	"sync/atomic"
)

// LogLevel is the process's log level in Redis's words (loglevel: debug,
// verbose, notice, warning); a slog.Leveler, so CONFIG SET loglevel
// changes the level of every line written after it.
type LogLevel struct {
	name  atomic.Pointer[string]
	level slog.LevelVar
}

// logLevels maps Redis's levels onto slog's (verbose is debug: geetcache
// has no level between).
var logLevels = map[string]slog.Level{"debug": slog.LevelDebug, "verbose": slog.LevelDebug,
	"notice": slog.LevelInfo, "warning": slog.LevelWarn}

// NewLogLevel returns the level named name, which must be one of Redis's.
func NewLogLevel(name string) *LogLevel {
	l := &LogLevel{}
	l.set(name)
	return l
}

// Level is the slog level in effect.
func (l *LogLevel) Level() slog.Level { return l.level.Level() }

func (l *LogLevel) set(name string) {
	l.name.Store(&name)
	l.level.Set(logLevels[name])
}

func getLogLevel(st *settings) string {
	if st.logLevel == nil {
		return "notice"
	}
	return *st.logLevel.name.Load()
}

func setLogLevel(st *settings, v []byte) (func(), string) {
	name := strings.ToLower(string(v))
	if _, ok := logLevels[name]; !ok {
		return nil, "argument(s) must be one of the following: debug, verbose, notice, warning"
	}
	return func() {
		if st.logLevel != nil {
			st.logLevel.set(name)
		}
	}, ""
}

// startValue is a parameter fixed at start by a flag of cmd/geetcache
// (logfile, pidfile, supervised, enable-debug-command):
// Config.StartSettings.
func startValue(name string) func(*settings) string {
	return func(st *settings) string {
		if v, ok := st.startSettings[name]; ok {
			return v
		}
		return startDefaults[name]
	}
}

// startDefaults are Redis's defaults of the start values.
var startDefaults = map[string]string{"supervised": "no", "enable-debug-command": "yes"}
