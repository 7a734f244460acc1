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
// permissions rather than the rules given: "+@all" or "-@all", then the
// categories that fit best (bestCategory), then the single commands (and
// subcommands) still different, then the first-argument rules. Redis
// lists single commands in its command dictionary's order; geetcache in
// name order.
func (u *Selector) CommandRules() string {
	fake := &Selector{cat: u.cat}
	parts := []string{"-@all"}
	if u.future {
		parts[0] = "+@all"
	}
	fake.setAll(u.future)
	fake.materialize(u.cat)
	temp := u.clone()
	applied := map[string]bool{}
	for {
		c := temp.bestCategory(!u.future, applied)
		if c == "" {
			break
		}
		op := ifElse(u.future, "-@", "+@") + c
		parts = append(parts, op)
		_ = fake.apply(op, u.cat)
		_ = temp.apply(ifElse(u.future, "+@", "-@")+c, u.cat)
		applied[c] = true
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

// bestCategory is Redis 7.0's choice of the next category to emit, among
// those not applied, counting the commands the categories emitted so far
// left (u is the user with those categories taken away): one with more
// of its commands matching than not (allowed, when additive), the fewest
// not matching, then the most matching, then the first in ACL CAT's
// order; "" when none fits.
func (u *Selector) bestCategory(additive bool, applied map[string]bool) string {
	best, minDiff, maxSame := "", int(^uint(0)>>1), 0
	for _, c := range Categories {
		if applied[c] {
			continue
		}
		on, off := u.countCategory(c)
		diff, same := ifElse2(additive, off, on), ifElse2(additive, on, off)
		if same > diff && (diff < minDiff || diff == minDiff && same > maxSame) {
			best, minDiff, maxSame = c, diff, same
		}
	}
	return best
}

// countCategory counts the commands of category c that u allows (on) and
// denies (off), leaving out those Redis does not have.
func (u *Selector) countCategory(c string) (on, off int) {
	for _, n := range u.cat.InCategory(c) {
		if u.cat.local[n] {
			continue
		}
		if u.CanRun(n, nil) {
			on++
		} else {
			off++
		}
	}
	return on, off
}

func ifElse2(c bool, a, b int) int {
	if c {
		return a
	}
	return b
}

func ifElse(c bool, a, b string) string {
	if c {
		return a
	}
	return b
}

// KeyRules describes the key patterns ("~*" for allkeys; "" for none).
func (u *Selector) KeyRules() string {
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
func (u *Selector) ChannelRules() string {
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
	parts = append(parts, u.Selector.describe())
	for _, s := range u.Selectors {
		parts = append(parts, "("+s.describe()+")")
	}
	return strings.Join(parts, " ")
}

// describe returns a selector's rules as ACLDescribeSelector: keys,
// channels (after "resetchannels" unless all), commands.
func (u *Selector) describe() string {
	var parts []string
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
