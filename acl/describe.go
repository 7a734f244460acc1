package acl

import "strings"

// Flags returns ACL GETUSER's flags: on or off, then nopass and the
// payload sanitizing flag when set.
func (u *User) Flags() []string {
	f := []string{"off"}
	if u.On {
		f[0] = "on"
	}
	if u.NoPass {
		f = append(f, "nopass")
	}
	if u.Sanitize != "" {
		f = append(f, u.Sanitize)
	}
	return f
}

// CommandRules describes the commands as Redis 7.0 does, from the
// permissions rather than the rules given: "+@all" or "-@all", then each
// category that brings more commands closer than it moves away, then
// the single commands (and subcommands) still different, then the
// first-argument rules. Redis lists single commands in its command
// dictionary's order; geetcache in name order.
func (u *User) CommandRules() string {
	fake := newUser("", u.cat)
	parts := []string{"-@all"}
	if u.future {
		parts[0] = "+@all"
	}
	fake.setAll(u.future)
	fake.materialize(u.cat)
	for _, c := range Categories {
		if u.categoryFits(c, !u.future) {
			op := ifElse(u.future, "-@", "+@") + c
			parts = append(parts, op)
			_ = fake.apply(op, u.cat)
		}
	}
	for _, n := range u.cat.names {
		if mine := u.CanRun(n, nil); mine != fake.allowed[n] {
			op := ifElse(mine, "+", "-") + n
			parts = append(parts, op)
			_ = fake.apply(op, u.cat)
		}
		for _, a := range u.firstArgs[n] {
			parts = append(parts, "+"+n+"|"+a)
		}
	}
	return strings.Join(parts, " ")
}

// categoryFits is Redis's test for emitting a category: more of its
// commands allowed than not (additive), or more denied than allowed.
func (u *User) categoryFits(c string, additive bool) bool {
	on, off := 0, 0
	for _, n := range u.cat.InCategory(c) {
		if u.CanRun(n, nil) {
			on++
		} else {
			off++
		}
	}
	return additive && on > off || !additive && off > on
}

func ifElse(c bool, a, b string) string {
	if c {
		return a
	}
	return b
}

// KeyRules describes the key patterns ("~*" for allkeys; "" for none).
func (u *User) KeyRules() string {
	if u.AllKeys {
		return "~*"
	}
	parts := make([]string, len(u.Keys))
	for i, k := range u.Keys {
		switch k.Flags {
		case KeyRead:
			parts[i] = "%R~" + k.Pattern
		case KeyWrite:
			parts[i] = "%W~" + k.Pattern
		default:
			parts[i] = "~" + k.Pattern
		}
	}
	return strings.Join(parts, " ")
}

// ChannelRules describes the channel patterns ("&*" for allchannels).
func (u *User) ChannelRules() string {
	if u.AllChannels {
		return "&*"
	}
	parts := make([]string, len(u.Channels))
	for i, c := range u.Channels {
		parts[i] = "&" + c
	}
	return strings.Join(parts, " ")
}

// Describe returns the user's rules as ACL LIST shows them after "user
// <name> ": applying them to a new user rebuilds it.
func (u *User) Describe() string {
	parts := u.Flags()
	for _, p := range u.Passwords {
		parts = append(parts, "#"+p)
	}
	if k := u.KeyRules(); k != "" {
		parts = append(parts, k)
	}
	if u.AllChannels {
		parts = append(parts, "&*")
	} else {
		parts = append(parts, "resetchannels")
		if c := u.ChannelRules(); c != "" {
			parts = append(parts, c)
		}
	}
	return strings.Join(append(parts, u.CommandRules()), " ")
}
