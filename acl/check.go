package acl

import "github.com/geetcache/geetcache/datatypes"

// Denial says what a check refused.
type Denial uint8

// Check results.
const (
	Allowed       Denial = iota
	DeniedCommand        // the command (or subcommand)
	DeniedKey            // one of the keys
	DeniedChannel        // one of the channels
)

// CanRun reports whether u may run the command full ("get",
// "config|get"); first is its first argument (for +cmd|firstarg rules),
// nil when there is none.
func (u *Selector) CanRun(full string, first []byte) bool {
	if u.allowed == nil {
		return u.future
	}
	if u.allowed[full] {
		return true
	}
	if first != nil {
		for _, a := range u.firstArgs[full] {
			if equalFold(a, first) {
				return true
			}
		}
	}
	return false
}

// CanKey reports whether u may access key with the access flags (KeyRead,
// KeyWrite or both).
func (u *Selector) CanKey(key []byte, flags int) bool {
	if u.AllKeys {
		return true
	}
	for _, p := range u.Keys {
		if p.Flags&flags == flags && datatypes.MatchGlob(p.Pattern, string(key), false) {
			return true
		}
	}
	return false
}

// CanChannel reports whether u may use channel; isPattern is set for
// PSUBSCRIBE's patterns, which must equal one of u's patterns.
func (u *Selector) CanChannel(channel []byte, isPattern bool) bool {
	if u.AllChannels {
		return true
	}
	for _, p := range u.Channels {
		if isPattern && p == string(channel) || !isPattern && datatypes.MatchGlob(p, string(channel), false) {
			return true
		}
	}
	return false
}

func equalFold(a string, b []byte) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range b {
		x, y := a[i], b[i]
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}
