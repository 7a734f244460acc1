package server

import (
	"errors"
	"strings"
	"time"
)

// A configuration file (cmd/geetcache) sets CONFIG parameters too: the
// ones CONFIG SET changes on this node are applied at start (ApplySettings)
// as CONFIG SET would apply them, and the start-only ones Redis lets only a
// file set (settings_kept.go); a fixed one only to the value it has, unless
// it has a check of its own for the file (fileSet: appendfsync, daemonize); a
// replicated one (kept in the Raft log, the same on every node) only to
// the value it has before anyone set it, since one node's file must not
// change the whole cluster's state.

// DefaultShutdownTimeout is shutdown-timeout's default, as Redis's.
const DefaultShutdownTimeout = 10 * time.Second

// IsSetting reports whether name (any case) is a CONFIG GET parameter.
func IsSetting(name string) bool { return lookupParam([]byte(name)) != nil }

// CheckSetting reports why a configuration file may not set the parameter
// name to value, in CONFIG SET's words, or nil.
func CheckSetting(name, value string) error {
	_, err := settingApply(newSettings(Config{}), name, value)
	return err
}

// ApplySettings sets parameters (name, value pairs) as a configuration
// file gives them, before Listen; the first one CheckSetting refuses is
// returned, and none is applied.
func (s *Server) ApplySettings(pairs [][2]string) error {
	var applies []func()
	for _, p := range pairs {
		apply, err := settingApply(s.settings, p[0], p[1])
		if err != nil {
			return err
		}
		applies = append(applies, apply)
	}
	for _, apply := range applies {
		apply()
	}
	for _, p := range pairs {
		if q := lookupParam([]byte(p[0])); q.fileSet != nil && !strings.EqualFold(q.get(s.settings), p[1]) {
			s.log.Warn("configuration file: this value has no effect here", "directive", q.name, "value", p[1], "in effect", q.get(s.settings))
		}
	}
	return nil
}

// settingApply validates one parameter against st and returns how to
// apply it.
func settingApply(st *settings, name, value string) (func(), error) {
	p := lookupParam([]byte(name))
	switch {
	case p == nil:
		return nil, errors.New("unknown parameter")
	case p.replicated:
		return unchanged(p, st, value, "it is replicated through the Raft log: set it once with CONFIG SET on a running cluster")
	case p.fileSet != nil:
		apply, reason := p.fileSet(st, []byte(value))
		if reason != "" {
			return nil, errors.New(reason)
		}
		return apply, nil
	case p.immutable || p.set == nil:
		return unchanged(p, st, value, "can't set immutable config")
	}
	apply, reason := p.set(st, []byte(value))
	if reason != "" {
		return nil, errors.New(reason)
	}
	return apply, nil
}

// unchanged accepts value only if it is the parameter's value already.
func unchanged(p *param, st *settings, value, reason string) (func(), error) {
	if strings.EqualFold(value, p.get(st)) {
		return func() {}, nil
	}
	return nil, errors.New(reason + " (its value is " + quoteValue(p.get(st)) + ")")
}

func quoteValue(v string) string { return `"` + v + `"` }

// checkAppendFsync takes appendfsync from a configuration file as Redis
// does (always, everysec or no) and changes nothing: every write is in the
// Raft log, fsynced, before it is acknowledged, so "always" stays in
// effect (a weaker value asks for less than geetcache gives).
func checkAppendFsync(_ *settings, v []byte) (func(), string) {
	switch strings.ToLower(string(v)) {
	case "always", "everysec", "no":
		return func() {}, ""
	}
	return nil, "argument(s) must be one of the following: always, everysec, no"
}

// checkDaemonize takes daemonize no from a configuration file; yes asks
// for a fork geetcache does not make.
func checkDaemonize(_ *settings, v []byte) (func(), string) {
	switch strings.ToLower(string(v)) {
	case "no":
		return func() {}, ""
	case "yes":
		return nil, "geetcache does not fork: set daemonize no and let a service manager run it (supervised systemd)"
	}
	return nil, "argument must be 'yes' or 'no'"
}
