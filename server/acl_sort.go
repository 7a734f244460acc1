package server

import (
	"bytes"

	"github.com/geetcache/geetcache/acl"
	"github.com/geetcache/geetcache/protocol"
)

// sortPatternDenied returns SORT's (or SORT_RO's) error for a BY pattern
// ("*" in it) or a GET option when u lacks read access to every key
// through a selector that allows the command, as Redis's
// sortCommandGeneric; "" otherwise. It reads the options as Redis does
// and stops where they stop parsing (the handler then answers the syntax
// error).
func sortPatternDenied(u *acl.User, cmd *protocol.Command, args [][]byte) string {
	if (cmd.Name != "sort" && cmd.Name != "sort_ro") || fullKeyAccess(u, cmd.Name) {
		return ""
	}
	for j := 2; j < len(args); j++ {
		left := len(args) - j - 1
		switch a := args[j]; {
		case protocol.EqualFold(a, "asc"), protocol.EqualFold(a, "desc"), protocol.EqualFold(a, "alpha"):
		case protocol.EqualFold(a, "limit") && left >= 2:
			if _, ok := protocol.ParseInt(args[j+1]); !ok {
				return ""
			}
			if _, ok := protocol.ParseInt(args[j+2]); !ok {
				return ""
			}
			j += 2
		case protocol.EqualFold(a, "store") && left >= 1 && cmd.Name == "sort":
			j++
		case protocol.EqualFold(a, "by") && left >= 1:
			if bytes.IndexByte(args[j+1], '*') >= 0 {
				return "ERR BY option of SORT denied due to insufficient ACL permissions."
			}
			j++
		case protocol.EqualFold(a, "get") && left >= 1:
			return "ERR GET option of SORT denied due to insufficient ACL permissions."
		default:
			return ""
		}
	}
	return ""
}

// fullKeyAccess reports whether one of u's selectors allows the command
// full and reading every key (allkeys, or a "*" pattern with read access).
func fullKeyAccess(u *acl.User, full string) bool {
	for _, s := range u.AllSelectors() {
		if !s.CanRun(full, nil) {
			continue
		}
		if s.AllKeys {
			return true
		}
		for _, k := range s.Keys {
			if k.Pattern == "*" && k.Flags&acl.KeyRead != 0 {
				return true
			}
		}
	}
	return false
}
