// Package acl holds users and their permissions, as Redis 7.0's ACL: rule
// parsing (ACL SETUSER), descriptions (ACL LIST, GETUSER), password hashes
// and the checks of a command, its keys and its channels.
//
// The user table (Users) is replicated state: it changes only through log
// entries applied by the state machine, and is kept in snapshots, so every
// node authenticates and authorises identically. A *User is immutable once
// published in the table: a change replaces it with a new one, so a
// connection may keep its *User and read it without locks.
package acl

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
)

// Key permission flags of a key pattern.
const (
	KeyRead  = 1
	KeyWrite = 2
)

// KeyPattern is one ~pattern (both flags), %R~ or %W~ pattern.
type KeyPattern struct {
	Pattern string
	Flags   int
}

// User is one ACL user.
type User struct {
	Name      string
	On        bool
	NoPass    bool
	Passwords []string // SHA-256 hex digests, in the order they were added
	// Sanitize is "", "sanitize-payload" or "skip-sanitize-payload".
	Sanitize string

	// Selector is the root selector: the user's own commands, keys and
	// channels.
	Selector
	// Selectors are the selectors added with "(rules)", in order. They
	// never change once added (clearselectors drops them), so copies of
	// the user share them.
	Selectors []*Selector

	// unrestricted: +@all with no exception, all keys, all channels: the
	// checks have nothing to do.
	unrestricted bool
	// pubsubAll is acl-pubsub-default allchannels while rules apply: the
	// channels of a new selector and of "reset".
	pubsubAll bool
}

// newUser returns a user as ACL SETUSER creates it: off, no password, no
// commands, no keys, no channels (acl-pubsub-default resetchannels).
func newUser(name string, cat *Catalog) *User {
	return &User{Name: name, Selector: Selector{cat: cat}}
}

// DefaultUser returns the default user of a fresh Redis: on, nopass,
// every command, key and channel.
func DefaultUser(cat *Catalog) *User {
	u := newUser("default", cat)
	for _, r := range []string{"on", "nopass", "allkeys", "allchannels", "+@all"} {
		if err := u.apply(r, cat); err != nil {
			panic(err)
		}
	}
	u.seal()
	return u
}

// clone returns a deep copy that can be changed without touching u.
func (u *User) clone() *User {
	c := *u
	c.Passwords = slices.Clone(u.Passwords)
	c.Selector = u.Selector.clone()
	c.Selectors = slices.Clone(u.Selectors)
	return &c
}

// AllSelectors returns the root selector, then the added ones: a command
// is allowed when one of them allows it. The caller must not modify them.
func (u *User) AllSelectors() []*Selector {
	return append([]*Selector{&u.Selector}, u.Selectors...)
}

// seal computes the fast-path flag once the user's rules are applied.
func (u *User) seal() {
	all := u.allowed == nil
	if !all && u.cat != nil {
		all = true
		for _, n := range u.cat.names {
			all = all && u.allowed[n]
		}
	}
	u.unrestricted = u.future && all && u.AllKeys && u.AllChannels
}

// Unrestricted reports whether u may run every command on every key and
// channel: the checks are skipped.
func (u *User) Unrestricted() bool { return u.unrestricted }

// HashPassword returns the SHA-256 hex digest Redis stores for pass.
func HashPassword(pass []byte) string {
	sum := sha256.Sum256(pass)
	return hex.EncodeToString(sum[:])
}

// Authenticate reports whether pass logs in as u: u is on, and has nopass
// or a password whose hash matches.
func (u *User) Authenticate(pass []byte) bool {
	if u == nil || !u.On {
		return false
	}
	if u.NoPass {
		return true
	}
	h := HashPassword(pass)
	for _, p := range u.Passwords {
		if p == h {
			return true
		}
	}
	return false
}
