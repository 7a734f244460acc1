package acl

import (
	"errors"
	"slices"
	"strings"
)

// Rule errors, with ACL SETUSER's texts (ACLSetUserStringError).
var (
	errSyntax       = errors.New("Syntax error")
	errUnknownCmd   = errors.New("Unknown command or category name in ACL")
	errKeyAfterAll  = errors.New("Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and does not have any effect. Try 'resetkeys' to start with an empty list of patterns")
	errChanAfterAll = errors.New("Adding a pattern after the * pattern (or the 'allchannels' flag) is not valid and does not have any effect. Try 'resetchannels' to start with an empty list of channels")
	errNoSuchPass   = errors.New("The password you are trying to remove from the user does not exist")
	errBadHash      = errors.New("The password hash must be exactly 64 characters and contain only lowercase hexadecimal characters")
	errSubFirstArg  = errors.New("Allowing first-arg of a subcommand is not supported")
)

// apply applies one rule of ACL SETUSER to u.
func (u *User) apply(rule string, cat *Catalog) error {
	if err := u.applyFlag(strings.ToLower(rule)); err != errSyntax {
		return err
	}
	switch {
	case rule == "":
		return errSyntax
	case rule[0] == '>' || rule[0] == '<' || rule[0] == '#' || rule[0] == '!':
		return u.applyPassword(rule)
	case rule[0] == '~' || rule[0] == '%':
		return u.applyKey(rule)
	case rule[0] == '&':
		return u.applyChannel(rule[1:])
	case rule[0] == '+' || rule[0] == '-':
		return u.applyCommand(strings.ToLower(rule), cat)
	}
	return errSyntax
}

// applyFlag applies a rule that is one word; errSyntax means it is not one.
func (u *User) applyFlag(rule string) error {
	switch rule {
	case "on":
		u.On = true
	case "off":
		u.On = false
	case "nopass":
		u.NoPass, u.Passwords = true, nil
	case "resetpass":
		u.NoPass, u.Passwords = false, nil
	case "skip-sanitize-payload", "sanitize-payload":
		u.Sanitize = rule
	case "allkeys":
		u.AllKeys, u.Keys = true, nil
	case "resetkeys":
		u.AllKeys, u.Keys = false, nil
	case "allchannels":
		u.AllChannels, u.Channels = true, nil
	case "resetchannels":
		u.AllChannels, u.Channels = false, nil
	case "allcommands":
		u.setAll(true)
	case "nocommands":
		u.setAll(false)
	case "reset":
		u.NoPass, u.Passwords, u.AllKeys, u.Keys = false, nil, false, nil
		u.AllChannels, u.Channels, u.On, u.Sanitize = false, nil, false, ""
		u.setAll(false)
		u.Sanitize = "sanitize-payload"
	default:
		return errSyntax
	}
	return nil
}

// setAll is +@all (allow) or -@all: every command, present and future.
func (u *User) setAll(allow bool) {
	u.future, u.firstArgs = allow, nil
	u.allowed = map[string]bool{}
	if allow {
		u.allowed = nil // nil with future: everything (see canRun)
	}
}

func (u *User) applyPassword(rule string) error {
	var h string
	switch rule[0] {
	case '>', '<':
		h = HashPassword([]byte(rule[1:]))
	default:
		h = rule[1:]
		if !validHash(h) {
			return errBadHash
		}
	}
	i := slices.Index(u.Passwords, h)
	if rule[0] == '<' || rule[0] == '!' {
		if i < 0 {
			return errNoSuchPass
		}
		u.Passwords = slices.Delete(u.Passwords, i, i+1)
		return nil
	}
	if i < 0 {
		u.Passwords = append(u.Passwords, h)
	}
	u.NoPass = false
	return nil
}

func validHash(h string) bool {
	if len(h) != 64 {
		return false
	}
	for i := 0; i < len(h); i++ {
		if !('0' <= h[i] && h[i] <= '9' || 'a' <= h[i] && h[i] <= 'f') {
			return false
		}
	}
	return true
}

// applyKey applies ~pattern or %<flags>~pattern.
func (u *User) applyKey(rule string) error {
	flags, pat := KeyRead|KeyWrite, rule[1:]
	if rule[0] == '%' {
		i := strings.IndexByte(rule, '~')
		if i < 2 {
			return errSyntax
		}
		flags = 0
		for _, ch := range strings.ToUpper(rule[1:i]) {
			switch ch {
			case 'R':
				flags |= KeyRead
			case 'W':
				flags |= KeyWrite
			default:
				return errSyntax
			}
		}
		pat = rule[i+1:]
	}
	if u.AllKeys {
		return errKeyAfterAll
	}
	if pat == "*" && flags == KeyRead|KeyWrite {
		u.AllKeys, u.Keys = true, nil
		return nil
	}
	for i := range u.Keys {
		if u.Keys[i].Pattern == pat {
			u.Keys[i].Flags |= flags
			return nil
		}
	}
	u.Keys = append(u.Keys, KeyPattern{Pattern: pat, Flags: flags})
	return nil
}

func (u *User) applyChannel(pat string) error {
	if u.AllChannels {
		return errChanAfterAll
	}
	if pat == "*" {
		u.AllChannels, u.Channels = true, nil
		return nil
	}
	if !slices.Contains(u.Channels, pat) {
		u.Channels = append(u.Channels, pat)
	}
	return nil
}

// applyCommand applies +cmd, -cmd, +cmd|sub, +cmd|firstarg, +@cat, -@cat
// (rule lower case).
func (u *User) applyCommand(rule string, cat *Catalog) error {
	allow, name := rule[0] == '+', rule[1:]
	if name == "@all" {
		u.setAll(allow)
		return nil
	}
	var names []string
	switch {
	case strings.HasPrefix(name, "@"):
		if !KnownCategory(name[1:]) {
			return errUnknownCmd
		}
		names = cat.InCategory(name[1:])
	case cat.Known(name) && !strings.Contains(name, "|"):
		names = append([]string{name}, cat.subs[name]...)
		delete(u.firstArgs, name)
	case cat.Known(name):
		names = []string{name}
	default:
		return u.applyFirstArg(allow, name, cat)
	}
	u.materialize(cat)
	for _, n := range names {
		u.allowed[n] = allow
	}
	return nil
}

// applyFirstArg applies +cmd|arg for a command without subcommands.
func (u *User) applyFirstArg(allow bool, name string, cat *Catalog) error {
	i := strings.IndexByte(name, '|')
	if j := strings.LastIndexByte(name, '|'); j > i && i > 0 && cat.Known(name[:j]) {
		return errSubFirstArg // +config|get|appendonly
	}
	if i <= 0 || !allow || !cat.Known(name[:i]) || cat.HasSubcommands(name[:i]) || strings.Contains(name[i+1:], "|") {
		return errUnknownCmd
	}
	parent, arg := name[:i], name[i+1:]
	u.materialize(cat)
	if u.allowed[parent] {
		return nil
	}
	if u.firstArgs == nil {
		u.firstArgs = map[string][]string{}
	}
	if !slices.Contains(u.firstArgs[parent], arg) {
		u.firstArgs[parent] = append(u.firstArgs[parent], arg)
	}
	return nil
}

// materialize turns "everything" (nil allowed with future) into an
// explicit table before a rule changes part of it.
func (u *User) materialize(cat *Catalog) {
	if u.allowed != nil {
		return
	}
	u.allowed = make(map[string]bool, len(cat.names))
	if u.future {
		for _, n := range cat.names {
			u.allowed[n] = true
		}
	}
}
