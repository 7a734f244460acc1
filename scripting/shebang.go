package scripting

import "strings"

// ScriptFlags are the flags of a script's shebang or a function's
// registration (Redis 7.0's SCRIPT_FLAG_*).
type ScriptFlags uint8

// The flags a "#!lua flags=..." line may name.
const (
	FlagNoWrites ScriptFlags = 1 << iota
	FlagAllowOOM
	FlagAllowStale
	FlagNoCluster
	FlagAllowCrossSlot
	// FlagEvalCompat marks a script without a shebang: Redis 7.0's
	// compatibility mode (it may write, OOM checks as before 7.0).
	FlagEvalCompat
)

var flagByName = map[string]ScriptFlags{
	"no-writes": FlagNoWrites, "allow-oom": FlagAllowOOM, "allow-stale": FlagAllowStale,
	"no-cluster": FlagNoCluster, "allow-cross-slot-keys": FlagAllowCrossSlot,
}

// ParseFlags parses a comma-separated list of flag names (a shebang's
// flags= value, or a function's flags); bad is the first unknown name.
func ParseFlags(list string) (flags ScriptFlags, bad string, ok bool) {
	if list == "" {
		return 0, "", true
	}
	for _, name := range strings.Split(list, ",") {
		f, known := flagByName[name]
		if !known {
			return 0, name, false
		}
		flags |= f
	}
	return flags, "", true
}

// parseShebang reads a body's "#!<engine> [flags=...]" first line as
// Redis 7.0 does. It returns the flags and the source to compile: the
// shebang line becomes a comment, so line numbers do not move.
func parseShebang(body string) (ScriptFlags, string, string) {
	if !strings.HasPrefix(body, "#!") {
		return FlagEvalCompat, body, ""
	}
	line, _, _ := strings.Cut(body, "\n")
	parts := strings.Split(line, " ")
	if parts[0] != "#!lua" {
		return 0, "", "ERR Unexpected engine in script shebang: " + parts[0]
	}
	var flags ScriptFlags
	for _, p := range parts[1:] {
		if p == "" {
			continue
		}
		list, ok := strings.CutPrefix(p, "flags=")
		if !ok {
			return 0, "", "ERR Unknown lua shebang option: " + p
		}
		f, bad, ok := ParseFlags(list)
		if !ok {
			return 0, "", "ERR Unexpected flag in script shebang: " + bad
		}
		flags |= f
	}
	return flags, "--" + body[2:], ""
}
