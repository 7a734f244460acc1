package scripting

import (
	"regexp"
	"strings"
)

// gopher-lua's runtime error texts differ from Lua 5.1's; luaVMError
// rewrites the common ones into Lua 5.1's form without a variable name
// ("attempt to call a nil value": Lua adds " (global 'f')" and the like
// where it knows the name, gopher-lua does not keep it). The position
// prefix ("user_script:1: ") is kept.
var vmErrorRewrites = []struct {
	re   *regexp.Regexp
	repl func(m []string) string
}{
	{regexp.MustCompile(`cannot perform (?:add|sub|mul|div|mod|pow|unm) operation between (\w+) and (\w+)`),
		func(m []string) string {
			return "attempt to perform arithmetic on a " + notType(m[1], m[2], "number") + " value"
		}},
	{regexp.MustCompile(`cannot perform concat operation between (\w+) and (\w+)`),
		func(m []string) string { return "attempt to concatenate a " + notConcat(m[1], m[2]) + " value" }},
	{regexp.MustCompile(`attempt to index a non-table object\((\w+)\) with key '[^']*'`),
		func(m []string) string { return "attempt to index a " + m[1] + " value" }},
	{regexp.MustCompile(`attempt to call a non-function object`),
		func([]string) string { return callNilText }},
}

// callNilText is the rewrite of gopher-lua's failed call; the error
// handler adds the callee's name when it can (failedCallName).
const callNilText = "attempt to call a nil value"

func luaVMError(msg string) string {
	if !strings.Contains(msg, "cannot perform") && !strings.Contains(msg, "non-") {
		return msg
	}
	for _, rw := range vmErrorRewrites {
		msg = rw.re.ReplaceAllStringFunc(msg, func(s string) string {
			return rw.repl(rw.re.FindStringSubmatch(s))
		})
	}
	return msg
}

// notType returns the first of a, b that is not want.
func notType(a, b, want string) string {
	if a != want {
		return a
	}
	return b
}

func notConcat(a, b string) string {
	if a != "string" && a != "number" {
		return a
	}
	return b
}
