package acl

import (
	"errors"
	"slices"
	"strings"
)

// Selector is one set of command, key and channel permissions. A user has
// a root selector (its own rules) and may have more, added with
// "(rules)" (Redis 7.0's selectors): a command runs when one selector
// allows all of it (the command, every key and every channel).
type Selector struct {
	future    bool            // commands added later are allowed (+@all)
	allowed   map[string]bool // full command names allowed
	cat       *Catalog        // what the rules resolved against
	firstArgs map[string][]string

	AllKeys     bool
	Keys        []KeyPattern
	AllChannels bool
	Channels    []string
}

// clone returns a deep copy that can be changed without touching s.
func (s *Selector) clone() Selector {
	c := *s
	c.Keys = slices.Clone(s.Keys)
	c.Channels = slices.Clone(s.Channels)
	if s.allowed != nil {
		c.allowed = make(map[string]bool, len(s.allowed))
		for k, v := range s.allowed {
			c.allowed[k] = v
		}
	}
	c.firstArgs = make(map[string][]string, len(s.firstArgs))
	for k, v := range s.firstArgs {
		c.firstArgs[k] = slices.Clone(v)
	}
	return c
}

// parseSelector builds an added selector from the rules between its
// parentheses, split at white space, as Redis's ACLCreateSelectorFromOpSet.
// A new selector allows nothing (but every channel with allChannels,
// acl-pubsub-default allchannels). With lenient, rules naming a command this
// binary does not have are skipped (a snapshot written by another binary).
func parseSelector(inner string, cat *Catalog, lenient, allChannels bool) (*Selector, error) {
	s := &Selector{cat: cat, AllChannels: allChannels}
	for _, r := range strings.Fields(inner) {
		err := s.apply(r, cat)
		if lenient && errors.Is(err, errUnknownCmd) {
			continue
		}
		if err != nil {
			return nil, err
		}
	}
	return s, nil
}

// isSelectorRule reports whether rule is "(...)", an added selector.
func isSelectorRule(rule string) bool {
	return len(rule) >= 2 && rule[0] == '(' && rule[len(rule)-1] == ')'
}

// errUnmatched is the error of a "(" never closed; its text names the
// argument that opened it.
type errUnmatched struct{ arg string }

func (e *errUnmatched) Error() string {
	return "Unmatched parenthesis in acl selector starting at '" + e.arg + "'."
}

// mergeSelectorArgs joins the arguments of a selector spread over several
// ("(~a", "+get)") into one rule "(~a +get)", as Redis's
// ACLMergeSelectorArguments: an argument opening with "(" and not closing
// with ")" starts one (dropping one that was open), the next argument
// ending with ")" closes it.
func mergeSelectorArgs(args []string) ([]string, error) {
	out := make([]string, 0, len(args))
	open, start := -1, ""
	for i, a := range args {
		switch {
		case len(a) > 0 && a[0] == '(' && a[len(a)-1] != ')':
			open, start = i, a // inside one already, Redis drops what it held
		case open >= 0:
			start += " " + a
			if len(a) > 0 && a[len(a)-1] == ')' {
				out, open = append(out, start), -1
			}
		default:
			out = append(out, a)
		}
	}
	if open >= 0 {
		return nil, &errUnmatched{arg: args[open]}
	}
	return out, nil
}
