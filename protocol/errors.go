package protocol

import (
	"strings"
)

// Redis 7.0's error replies, word for word. The first word is the code.
const (
	ErrSyntax        = "ERR syntax error"
	ErrWrongType     = "WRONGTYPE Operation against a key holding the wrong kind of value"
	ErrNotInteger    = "ERR value is not an integer or out of range"
	ErrNotFloat      = "ERR value is not a valid float"
	ErrOverflow      = "ERR increment or decrement would overflow"
	ErrNaNOrInfinity = "ERR increment would produce NaN or Infinity"
	ErrNoSuchKey     = "ERR no such key"
	ErrStringTooLong = "ERR string exceeds maximum allowed size (proto-max-bulk-len)"
	ErrOffsetRange   = "ERR offset is out of range"
	ErrDBIndex       = "ERR DB index is out of range"
	ErrInvalidDB     = "ERR invalid DB index"
	ErrNoAuth        = "NOAUTH Authentication required."
)

// ErrWrongArity is the reply to a command called with the wrong number of
// arguments; fullname is the command's lower-case name ("config|get" for a
// subcommand).
func ErrWrongArity(fullname string) string {
	return "ERR wrong number of arguments for '" + fullname + "' command"
}

// ErrInvalidExpire is the reply to a bad TTL; cmd is the lower-case name.
func ErrInvalidExpire(cmd string) string {
	return "ERR invalid expire time in '" + cmd + "' command"
}

// ErrUnknownCommand is the reply to a command not in the table: the name
// (up to 128 bytes) and the arguments, quoted, until 128 bytes of them have
// been shown, as Redis words it.
func ErrUnknownCommand(args [][]byte) string {
	var shown strings.Builder
	for _, a := range args[1:] {
		if shown.Len() >= 128 {
			break
		}
		shown.WriteString("'" + clip(a, 128-shown.Len()) + "' ")
	}
	return sanitize("ERR unknown command '" + clip(args[0], 128) +
		"', with args beginning with: " + shown.String())
}

// ErrUnknownSubcommand is the reply to CONFIG FOO and the like.
func ErrUnknownSubcommand(sub []byte, cmd string) string {
	return sanitize("ERR unknown subcommand '" + clip(sub, 128) + "'. Try " + strings.ToUpper(cmd) + " HELP.")
}

func clip(b []byte, n int) string {
	if n < 0 {
		n = 0
	}
	if len(b) > n {
		b = b[:n]
	}
	return string(b)
}

// sanitize replaces newlines so an error stays one RESP line, as Redis does.
func sanitize(s string) string {
	if strings.ContainsAny(s, "\r\n") {
		s = strings.NewReplacer("\r", " ", "\n", " ").Replace(s)
	}
	return s
}
