package server

import "github.com/geetcache/geetcache/protocol"

// redacted stands for a secret argument in the slow log, as Redis's
// shared.redacted.
var redacted = []byte("(redacted)")

// sensitiveParams are the CONFIG SET parameters whose values Redis 7.0
// redacts (SENSITIVE_CONFIG).
var sensitiveParams = []string{"requirepass", "masterauth", "masteruser"}

// redactArgs returns args with the secrets Redis 7.0 redacts
// (redactClientCommandArgument) replaced by "(redacted)": AUTH's
// arguments, HELLO's AUTH user and password, every argument of ACL
// SETUSER after the subcommand, the values of CONFIG SET requirepass,
// masterauth and masteruser, MIGRATE's AUTH and AUTH2 credentials, and
// RAFT AUTH's user and digest (which logs a link in). args is not
// modified; a copy is made only when something is redacted.
func redactArgs(args [][]byte) [][]byte {
	if len(args) < 2 {
		return args
	}
	var secret []int
	switch name := args[0]; {
	case protocol.EqualFold(name, "auth"):
		secret = span(1, len(args))
	case protocol.EqualFold(name, "hello"):
		secret = helloSecrets(args)
	case protocol.EqualFold(name, "acl") && protocol.EqualFold(args[1], "setuser"):
		secret = span(2, len(args))
	case protocol.EqualFold(name, "raft") && protocol.EqualFold(args[1], "auth"):
		secret = span(2, len(args))
	case protocol.EqualFold(name, "config") && protocol.EqualFold(args[1], "set"):
		secret = configSecrets(args)
	case protocol.EqualFold(name, "migrate"):
		secret = migrateSecrets(args)
	}
	if len(secret) == 0 {
		return args
	}
	out := append([][]byte(nil), args...)
	for _, i := range secret {
		out[i] = redacted
	}
	return out
}

// span returns the positions from..to-1.
func span(from, to int) []int {
	var out []int
	for i := from; i < to; i++ {
		out = append(out, i)
	}
	return out
}

// helloSecrets: HELLO [protover [AUTH username password] [SETNAME name]],
// read as helloCommand reads its options.
func helloSecrets(args [][]byte) []int {
	var out []int
	for j := 2; j < len(args); j++ {
		more := len(args) - 1 - j
		switch {
		case protocol.EqualFold(args[j], "auth") && more >= 2:
			out = append(out, j+1, j+2)
			j += 2
		case protocol.EqualFold(args[j], "setname") && more >= 1:
			j++
		default:
			return out
		}
	}
	return out
}

// configSecrets: CONFIG SET parameter value [parameter value ...].
func configSecrets(args [][]byte) []int {
	var out []int
	for j := 2; j+1 < len(args); j += 2 {
		for _, p := range sensitiveParams {
			if protocol.EqualFold(args[j], p) {
				out = append(out, j+1)
			}
		}
	}
	return out
}

// migrateSecrets: MIGRATE host port key db timeout [COPY] [REPLACE]
// [AUTH password | AUTH2 username password] [KEYS key ...].
func migrateSecrets(args [][]byte) []int {
	var out []int
	for j := 6; j < len(args); j++ {
		more := len(args) - 1 - j
		switch {
		case protocol.EqualFold(args[j], "auth") && more >= 1:
			out = append(out, j+1)
			j++
		case protocol.EqualFold(args[j], "auth2") && more >= 2:
			out = append(out, j+1, j+2)
			j += 2
		case protocol.EqualFold(args[j], "keys"):
			return out
		}
	}
	return out
}
