package cluster

import (
	"github.com/geetcache/geetcache/acl"
	"github.com/geetcache/geetcache/protocol"
)

// ScriptACLFunc checks a script's call of cmd with argv against u (nil
// when the user no longer exists): "" when allowed, else the error the
// call answers.
type ScriptACLFunc func(u *acl.User, cmd *protocol.Command, argv [][]byte) string

// unitUser is the Ctx.Conn of a unit that names its caller's user
// (protocol.Unit.User): it makes the unit's scripts check each call
// against that user (scripting.ACLChecker), as Redis checks redis.call
// against the script's caller. The user is looked up at each call in the
// replicated table as this entry finds it, so every node decides alike,
// and an ACL SETUSER earlier in the same MULTI block counts, as in Redis.
type unitUser struct {
	name  string
	users *acl.Users
	table *protocol.Table
	check ScriptACLFunc
}

// ScriptACLCheck implements scripting.ACLChecker. A denial is answered,
// not added to ACL LOG: that log is the node's own, and this runs on
// every node (the calls before the script's first write were checked and
// logged on the node the client is connected to).
func (u *unitUser) ScriptACLCheck(argv [][]byte) string {
	cmd := u.table.Lookup(argv[0])
	if cmd == nil {
		return ""
	}
	return u.check(u.users.Get(u.name), cmd, argv)
}

// ACLAllows implements scripting.ACLChecker (redis.acl_check_cmd).
func (u *unitUser) ACLAllows(argv [][]byte) bool { return u.ScriptACLCheck(argv) == "" }
