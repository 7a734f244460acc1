package acl

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
)

// Users is the replicated user table. It changes only inside the state
// machine's Apply (SetUser, DelUser, Replace), so every replica holds the
// same users; it is safe for concurrent use.
type Users struct {
	mu      sync.RWMutex
	cat     *Catalog
	byName  map[string]*User
	version atomic.Uint64 // bumped by every change
	// onChange, if set, is told after every change (see SetOnChange).
	onChange atomic.Pointer[func()]
	// allChannels is acl-pubsub-default allchannels: new users, new
	// selectors and "reset" get allchannels rather than resetchannels.
	allChannels atomic.Bool
}

// SetPubsubDefault sets acl-pubsub-default (true: allchannels). The state
// machine calls it when the replicated setting is applied or restored,
// so every node creates users alike.
func (t *Users) SetPubsubDefault(allChannels bool) { t.allChannels.Store(allChannels) }

// PubsubDefault reports acl-pubsub-default (true: allchannels).
func (t *Users) PubsubDefault() bool { return t.allChannels.Load() }

// SetOnChange makes fn be called after every change of the table. It
// runs inside the state machine's Apply: it must be quick and never
// block.
func (t *Users) SetOnChange(fn func()) { t.onChange.Store(&fn) }

// changed bumps the version and tells the listener.
func (t *Users) changed() {
	t.version.Add(1)
	if fn := t.onChange.Load(); fn != nil {
		(*fn)()
	}
}

// NewUsers returns a table holding only Redis's default user. cat resolves
// command rules; it must not change afterwards.
func NewUsers(cat *Catalog) *Users {
	t := &Users{cat: cat}
	t.byName = map[string]*User{"default": DefaultUser(cat)}
	return t
}

// Catalog returns the commands the rules name.
func (t *Users) Catalog() *Catalog { return t.cat }

// Version changes whenever a user changes: a connection that keeps a
// *User looks it up again when the version moved.
func (t *Users) Version() uint64 { return t.version.Load() }

// Get returns the user named name (case-sensitive), or nil.
func (t *Users) Get(name string) *User {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.byName[name]
}

// Names returns the user names, sorted.
func (t *Users) Names() []string {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return sortedNames(t.byName)
}

func sortedNames(m map[string]*User) []string {
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// RuleError is a rule ACL SETUSER refused.
type RuleError struct {
	Rule string
	Err  error
}

// Error is ACL SETUSER's error reply, without the "ERR " code.
func (e *RuleError) Error() string {
	return fmt.Sprintf("Error in ACL SETUSER modifier '%s': %s", e.Rule, e.Err)
}

// ErrBadUsername refuses a user name with spaces or null bytes... Redis
// refuses names that would make ACL LIST ambiguous.
var errBadUsername = errors.New("Usernames can't contain spaces or null characters")

// Check applies rules to a copy of the user named name (a new one when
// absent) and returns the result without storing it. Deterministic.
func (t *Users) Check(name string, rules []string) (*User, error) {
	if hasSpace(name) {
		return nil, errBadUsername
	}
	t.mu.RLock()
	old := t.byName[name]
	t.mu.RUnlock()
	rules, err := mergeSelectorArgs(rules)
	if err != nil {
		return nil, err
	}
	all := t.allChannels.Load()
	u := newUser(name, t.cat)
	u.AllChannels = all
	if old != nil {
		u = old.clone()
	}
	u.pubsubAll = all
	for _, r := range rules {
		if err := u.apply(r, t.cat); err != nil {
			return nil, &RuleError{Rule: r, Err: err}
		}
	}
	u.seal()
	return u, nil
}

// SetUser creates or changes a user by rules: all of them apply or none.
func (t *Users) SetUser(name string, rules []string) error {
	u, err := t.Check(name, rules)
	if err != nil {
		return err
	}
	t.mu.Lock()
	t.byName[name] = u
	t.mu.Unlock()
	t.changed()
	return nil
}

// DelUser deletes the named users that exist and returns how many.
func (t *Users) DelUser(names []string) int {
	t.mu.Lock()
	n := 0
	for _, name := range names {
		if _, ok := t.byName[name]; ok {
			delete(t.byName, name)
			n++
		}
	}
	t.mu.Unlock()
	t.changed()
	return n
}

// Snapshot returns a point-in-time copy (users are immutable: a shallow
// copy of the table).
func (t *Users) Snapshot() *Users {
	t.mu.RLock()
	defer t.mu.RUnlock()
	c := &Users{cat: t.cat, byName: make(map[string]*User, len(t.byName))}
	for n, u := range t.byName {
		c.byName[n] = u
	}
	return c
}

// AppendSnapshot appends the table's encoding: uvarint(n), then per user
// in name order its name and its description (ACL LIST's rules), each
// uvarint-length-prefixed. Deterministic.
func (t *Users) AppendSnapshot(b []byte) []byte {
	t.mu.RLock()
	defer t.mu.RUnlock()
	names := sortedNames(t.byName)
	b = binary.AppendUvarint(b, uint64(len(names)))
	for _, n := range names {
		b = appendString(b, n)
		b = appendString(b, t.byName[n].Describe())
	}
	return b
}

func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

// ReadSnapshot replaces the table with what AppendSnapshot wrote.
func (t *Users) ReadSnapshot(r *bufio.Reader) error {
	n, err := binary.ReadUvarint(r)
	if err != nil {
		return err
	}
	if n > 1<<24 {
		return errors.New("too many users")
	}
	users := map[string]*User{}
	for i := uint64(0); i < n; i++ {
		name, err := readString(r)
		if err != nil {
			return err
		}
		rules, err := readString(r)
		if err != nil {
			return err
		}
		u, err := readUser(name, rules, t.cat)
		if err != nil {
			return err
		}
		users[name] = u
	}
	if users["default"] == nil { // never written so; the default user always exists
		users["default"] = DefaultUser(t.cat)
	}
	t.Replace(users)
	return nil
}

// readUser rebuilds a user from its description (Describe).
func readUser(name, rules string, cat *Catalog) (*User, error) {
	args, err := mergeSelectorArgs(strings.Fields(rules))
	if err != nil {
		return nil, fmt.Errorf("user %q: %w", name, err)
	}
	u := newUser(name, cat)
	for _, rule := range args {
		if isSelectorRule(rule) {
			s, err := parseSelector(rule[1:len(rule)-1], cat, true, false)
			if err != nil {
				return nil, fmt.Errorf("user %q: %w", name, &RuleError{Rule: rule, Err: err})
			}
			u.Selectors = append(u.Selectors, s)
			continue
		}
		err := u.apply(rule, cat)
		if errors.Is(err, errUnknownCmd) {
			continue // a command a later binary no longer has: nothing to allow or deny
		}
		if err != nil {
			return nil, fmt.Errorf("user %q: %w", name, &RuleError{Rule: rule, Err: err})
		}
	}
	u.seal()
	return u, nil
}

// Reset goes back to the default user alone (a snapshot without users).
func (t *Users) Reset() {
	t.Replace(map[string]*User{"default": DefaultUser(t.cat)})
}

// Replace installs users.
func (t *Users) Replace(users map[string]*User) {
	t.mu.Lock()
	t.byName = users
	t.mu.Unlock()
	t.changed()
}

func readString(r *bufio.Reader) (string, error) {
	n, err := binary.ReadUvarint(r)
	if err != nil {
		return "", err
	}
	if n > 1<<26 {
		return "", errors.New("string too long")
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(r, b); err != nil {
		return "", err
	}
	return string(b), nil
}

// ReplaceWith installs o's users in t (a restored snapshot's).
func (t *Users) ReplaceWith(o *Users) {
	o.mu.RLock()
	users := o.byName
	o.mu.RUnlock()
	t.Replace(users)
}
