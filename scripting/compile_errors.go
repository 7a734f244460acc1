package scripting

import (
	"errors"
	"fmt"
	"strings"

	"github.com/yuin/gopher-lua/parse"
)

// luaSyntaxError rewrites gopher-lua's parse errors into Lua 5.1's form,
// "user_script:<line>: <message> near '<token>'": gopher-lua's parser says
// only "syntax error" where Lua names what it expected, so that becomes
// Lua's most common text, "unexpected symbol" (docs/compatibility.md lists
// the texts that still differ).
func luaSyntaxError(err error, name, src string) error {
	var pe *parse.Error
	if !errors.As(err, &pe) {
		return err
	}
	line, tok := pe.Pos.Line, pe.Token
	atEOF := line == parse.EOF
	if atEOF {
		line, tok = strings.Count(src, "\n")+1, "<eof>"
	}
	msg := pe.Message
	switch {
	case msg == "syntax error":
		msg = "unexpected symbol"
	case msg == "unterminated multiline string":
		msg = "unfinished long string"
	case msg == "invalid multiline comment" && atEOF:
		msg = "unfinished long comment"
	case msg == "unterminated string" && atEOF:
		msg = "unfinished string" // the source ends inside it: Lua names <eof>
	case msg == "unterminated string":
		// Lua stops at the end of the line and shows the opening quote.
		msg, line = "unfinished string", max(line-1, 1)
		tok = openingQuote(src, line) + tok
	}
	return fmt.Errorf("%s:%d: %s near '%s'", name, line, msg, tok)
}

// openingQuote returns the quote that opens the last string on line
// (1-based) of src, for an unfinished string's token.
func openingQuote(src string, line int) string {
	lines := strings.Split(src, "\n")
	if line > len(lines) {
		return "'"
	}
	l := lines[line-1]
	if i := strings.LastIndexAny(l, "'\""); i >= 0 {
		return l[i : i+1]
	}
	return "'"
}
