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

// apply applies one rule of ACL SETUSER to u (selectors' arguments
// already merged: mergeSelectorArgs).
func (u *User) apply(rule string, cat *Catalog) error {
	if err := u.applyFlag(strings.ToLower(rule)); err != errSyntax {
		return err
	}
	switch {
	case rule == "":
		return errSyntax
	case rule[0] == '>' || rule[0] == '<' || rule[0] == '#' || rule[0] == '!':
		return u.applyPassword(rule)
	case isSelectorRule(rule):
		s, err := parseSelector(rule[1:len(rule)-1], cat, false, u.pubsubAll)
		if err != nil {
			return err
		}
		u.Selectors = append(u.Selectors, s)
		return nil
	}
	return u.Selector.apply(rule, cat)
}

// apply applies one rule of a selector: keys, channels, commands.
func (u *Selector) apply(rule string, cat *Catalog) error {
	if err := u.applyFlag(strings.ToLower(rule)); err != errSyntax {
		return err
	}
	switch {
	case rule == "":
		return errSyntax
	case rule[0] == '~' || rule[0] == '%':
		return u.applyKey(rule)
	case rule[0] == '&':
		return u.applyChannel(rule[1:])
	case rule[0] == '+' || rule[0] == '-':
		return u.applyCommand(strings.ToLower(rule), cat)
	}
	return errSyntax
}

// applyFlag applies a rule of the user that is one word; errSyntax means
// it is not one.
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
	case "clearselectors":
		u.Selectors = nil
	case "reset":
		u.NoPass, u.Passwords, u.On, u.Selectors = false, nil, false, nil
		u.Selector = Selector{cat: u.cat, AllChannels: u.pubsubAll}
		u.setAll(false)
		u.Sanitize = "sanitize-payload"
	default:
		return errSyntax
	}
	return nil
}

// applyFlag applies a rule of a selector that is one word; errSyntax
// means it is not one.
func (u *Selector) applyFlag(rule string) error {
	switch rule {
	case "allkeys", "~*":
		u.AllKeys, u.Keys = true, nil
	case "resetkeys":
		u.AllKeys, u.Keys = false, nil
	case "allchannels", "&*":
		u.AllChannels, u.Channels = true, nil
	case "resetchannels":
		u.AllChannels, u.Channels = false, nil
	case "allcommands":
		u.setAll(true)
	case "nocommands":
		u.setAll(false)
	default:
		return errSyntax
	}
	return nil
}

// setAll is +@all (allow) or -@all: every command, present and future.
func (u *Selector) setAll(allow bool) {
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

// applyKey applies ~pattern or %<flags>~pattern, parsed as Redis's
// ACLSetSelector (each of R and W at most once; "%R" alone is the empty
// pattern).
func (u *Selector) applyKey(rule string) error {
	if u.AllKeys {
		return errKeyAfterAll
	}
	flags, pat := KeyRead|KeyWrite, rule[1:]
	if rule[0] == '%' {
		var ok bool
		if flags, pat, ok = keyFlags(rule[1:]); !ok {
			return errSyntax
		}
	}
	if hasSpace(pat) {
		return errSyntax
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

// keyFlags parses "RW~pattern" (after the '%'); ok is false for an
// unknown or repeated flag, or none.
func keyFlags(s string) (flags int, pat string, ok bool) {
	for i := 0; i < len(s); i++ {
		var f int
		switch s[i] {
		case 'R', 'r':
			f = KeyRead
		case 'W', 'w':
			f = KeyWrite
		case '~':
			return flags, s[i+1:], flags != 0
		default:
			return 0, "", false
		}
		if flags&f != 0 {
			return 0, "", false
		}
		flags |= f
	}
	return flags, "", flags != 0
}

// hasSpace reports whether s holds white space or a null byte (Redis's
// ACLStringHasSpaces): a pattern with one would make ACL LIST ambiguous.
func hasSpace(s string) bool {
	return strings.ContainsAny(s, " \t\n\v\f\r\x00")
}

func (u *Selector) applyChannel(pat string) error {
	if u.AllChannels {
		return errChanAfterAll
	}
	if hasSpace(pat) {
		return errSyntax
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
func (u *Selector) applyCommand(rule string, cat *Catalog) error {
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
func (u *Selector) applyFirstArg(allow bool, name string, cat *Catalog) error {
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
func (u *Selector) materialize(cat *Catalog) {
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
