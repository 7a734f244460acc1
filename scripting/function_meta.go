package scripting

import (
	"bytes"
	"errors"

	"github.com/geetcache/geetcache/protocol"
)

// libMeta is what a library's shebang line says: "#!<engine> name=<name>".
type libMeta struct {
	engine string // as written, e.g. "lua" or "LUA"
	name   string
	// body is the code after the shebang, starting with the newline that
	// ends it, so that line numbers in errors count the shebang.
	body []byte
}

// replyError is an error whose text is a whole Redis error reply
// ("ERR ..."), written to the client as is.
type replyError string

func (e replyError) Error() string { return string(e) }

// parseLibMeta reads the shebang of a FUNCTION LOAD payload as Redis 7.0's
// functionExtractLibMetaData does: the line is split like an inline
// command, its first word is "#!" and the engine, every other word must be
// name=<library> (the key in any case), given once.
func parseLibMeta(code []byte) (libMeta, error) {
	if !bytes.HasPrefix(code, []byte("#!")) {
		return libMeta{}, replyError(protocol.ErrFuncMissingMeta)
	}
	line := code
	if i := bytes.IndexByte(line, 0); i >= 0 {
		line = line[:i] // Redis looks for the newline in a C string
	}
	end := bytes.IndexByte(line, '\n')
	if end < 0 {
		return libMeta{}, replyError(protocol.ErrFuncInvalidMeta)
	}
	parts, ok := protocol.SplitArgs(code[:end])
	if !ok || len(parts) == 0 {
		return libMeta{}, replyError(protocol.ErrFuncInvalidMeta)
	}
	md := libMeta{engine: string(parts[0][min(2, len(parts[0])):]), body: code[end:]}
	named := false
	for _, p := range parts[1:] {
		if len(p) < 5 || !protocol.EqualFold(p[:5], "name=") {
			return libMeta{}, replyError(protocol.ErrFuncInvalidMetaValue(p))
		}
		if named {
			return libMeta{}, replyError(protocol.ErrFuncNameGivenTwice)
		}
		md.name, named = string(p[5:]), true
	}
	if !named {
		return libMeta{}, replyError(protocol.ErrFuncNoLibName)
	}
	return md, nil
}

// validName reports whether s may name a library or a function: one or
// more letters, digits or underscores.
func validName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// errorReply returns the reply text of err: a replyError's own text, or
// err's message as a generic error.
func errorReply(err error) string {
	var re replyError
	if errors.As(err, &re) {
		return string(re)
	}
	return "ERR " + err.Error()
}
