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
	if line == parse.EOF {
		line, tok = strings.Count(src, "\n")+1, "<eof>"
	}
	msg := pe.Message
	if msg == "syntax error" {
		msg = "unexpected symbol"
	}
	return fmt.Errorf("%s:%d: %s near '%s'", name, line, msg, tok)
}
