package protocol

// entryUsers marks an EntryCommands entry some of whose units carry a
// User: it is encoded with one more unit after the origins' unit (if any)
// and before the databases' unit (if any), whose only argv holds each
// unit's user name ("" for none). Decoding takes the bit off and sets
// Unit.User. A binary that does not know it refuses the entry as too new
// (its kind stays above every kind it applies), so a script proposed with
// its caller's user is never run unchecked by an older node.
const entryUsers EntryKind = 0x10

// users is the extra unit carrying the units' users, or nil when no unit
// has one.
func (e *Entry) users() *Unit {
	return e.perUnit(func(u *Unit) []byte { return u.User })
}

// takeUsers turns a decoded entry with entryUsers, once its databases'
// unit is taken, back into its kind with its units' users.
func (e *Entry) takeUsers() bool {
	if !e.takePerUnit(e.originUnits(), func(u *Unit, name []byte) { u.User = name }) {
		return false
	}
	e.Kind &^= entryUsers
	return true
}

// usersUnits is how many of e's decoded units are the users' unit: one
// while entryUsers is still set.
func (e *Entry) usersUnits() int {
	if e.Kind&entryUsers != 0 {
		return 1
	}
	return 0
}
