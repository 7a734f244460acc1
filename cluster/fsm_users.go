package cluster

import (
	"github.com/geetcache/geetcache/acl"
	"github.com/geetcache/geetcache/protocol"
)

// SetUsers makes users the state machine's ACL user table, kept in its
// snapshots. Call it before the FSM starts.
func (f *FSM) SetUsers(users *acl.Users) { f.users = users }

// usersOrDefault returns the user table, a table of the default user alone
// when none was set.
func (f *FSM) usersOrDefault() *acl.Users {
	if f.users == nil {
		f.users = acl.NewUsers(acl.NewCatalog())
	}
	return f.users
}

// usersSnapshot returns a point-in-time copy of the users for Persist.
func (f *FSM) usersSnapshot() *acl.Users { return f.usersOrDefault().Snapshot() }

// emptyUsers returns a table for Restore to fill: the default user alone.
func (f *FSM) emptyUsers() *acl.Users { return acl.NewUsers(f.usersOrDefault().Catalog()) }

// replaceUsers installs the users Restore read into the live table (the
// one the server reads).
func (f *FSM) replaceUsers(u *acl.Users) { f.usersOrDefault().ReplaceWith(u) }

func newFSMWithUsers(table *protocol.Table, cfg Config) *FSM {
	f := NewFSM(table, cfg.Scripting)
	if cfg.Databases > 0 {
		f.SetDatabases(cfg.Databases)
	}
	f.users = cfg.Users
	f.scriptACL = cfg.ScriptACL
	f.onMaxMemory = cfg.OnMaxMemory
	return f
}
