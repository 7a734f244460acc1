package main

import (
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/geetcache/geetcache/protocol"
	"github.com/geetcache/geetcache/server"
)

// The configuration file: redis.conf's syntax (Redis's
// loadServerConfigFromString). One directive a line, its name (any case)
// then its arguments, split as Redis splits them ("double" and 'single'
// quotes); blank lines and lines starting with '#' are skipped; "include
// path" reads another file there. A directive is a flag's name (its
// arguments joined by spaces are the value; yes/no for true/false) or a
// CONFIG parameter's (see server.CheckSetting). Anything else, or a bad
// value, stops geetcache with the file name and line number.

// maxIncludeDepth bounds nested includes (a file including itself).
const maxIncludeDepth = 10

// confLine is one directive of a configuration file.
type confLine struct {
	file string
	line int
	name string // lower case
	args []string
}

func (l confLine) errorf(format string, a ...any) error {
	return fmt.Errorf("%s:%d: %s", l.file, l.line, fmt.Sprintf(format, a...))
}

// value is the directive's arguments as one flag value.
func (l confLine) value() string { return strings.Join(l.args, " ") }

// readConfFile reads path's directives, includes expanded.
func readConfFile(path string, depth int) ([]confLine, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("failed to read configuration file: %w", err)
	}
	var out []confLine
	for i, text := range strings.Split(string(data), "\n") {
		l, ok, err := parseConfLine(path, i+1, text)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		if l.name != "include" {
			out = append(out, l)
			continue
		}
		inc, err := includeFile(l, depth)
		if err != nil {
			return nil, err
		}
		out = append(out, inc...)
	}
	return out, nil
}

// parseConfLine splits one line; ok is false for a blank or comment line.
func parseConfLine(file string, n int, text string) (confLine, bool, error) {
	l := confLine{file: file, line: n}
	text = strings.Trim(text, " \t\r\n")
	if text == "" || text[0] == '#' {
		return l, false, nil
	}
	args, ok := protocol.SplitArgs([]byte(text))
	if !ok {
		return l, false, l.errorf("unbalanced quotes in configuration line")
	}
	if len(args) == 0 {
		return l, false, nil
	}
	l.name = strings.ToLower(string(args[0]))
	for _, a := range args[1:] {
		l.args = append(l.args, string(a))
	}
	return l, true, nil
}

func includeFile(l confLine, depth int) ([]confLine, error) {
	if len(l.args) != 1 {
		return nil, l.errorf("include takes one file name, got %d arguments", len(l.args))
	}
	if depth >= maxIncludeDepth {
		return nil, l.errorf("includes nested more than %d deep", maxIncludeDepth)
	}
	inc, err := readConfFile(l.args[0], depth+1)
	if err != nil {
		return nil, l.errorf("include %s: %v", l.args[0], err)
	}
	return inc, nil
}

// applyFile sets from file every flag not in given (set on the command
// line or in the environment) and collects the CONFIG parameters. Every
// directive is parsed, an overridden one too; the flags it set are
// recorded in c.fromFile, so that validate's errors can name their line.
func (c *config) applyFile(file string, fs *flag.FlagSet, given map[string]bool) error {
	lines, err := readConfFile(file, 0)
	if err != nil {
		return err
	}
	var scratch config
	check := newFlagSet(&scratch)
	for _, l := range lines { // a directive given twice: the last one counts, as in Redis
		if err := c.applyDirective(l, fs, check, given); err != nil {
			return err
		}
	}
	return nil
}

// applyDirective sets one directive: a flag, or a CONFIG parameter.
func (c *config) applyDirective(l confLine, fs, check *flag.FlagSet, given map[string]bool) error {
	if f := fs.Lookup(l.name); f != nil {
		v := flagValue(f, l.value())
		if err := check.Set(l.name, v); err != nil {
			return l.errorf("invalid value %q for %s: %v", l.value(), l.name, err)
		}
		if !given[l.name] {
			fs.Set(l.name, v)
			if c.fromFile == nil {
				c.fromFile = map[string]confLine{}
			}
			c.fromFile[l.name] = l
		}
		return nil
	}
	if !server.IsSetting(l.name) {
		if why, ok := refusedDirectives[strings.ToLower(l.name)]; ok {
			return l.errorf("%s is not supported: %s", l.name, why)
		}
		return l.errorf("unknown directive %q", l.name)
	}
	if err := server.CheckSetting(l.name, l.value()); err != nil {
		return l.errorf("invalid value %q for %s: %v", l.value(), l.name, err)
	}
	c.settings = append(c.settings, [2]string{l.name, l.value()})
	return nil
}

// flagValue maps redis.conf's yes/no onto a boolean flag's true/false.
func flagValue(f *flag.Flag, v string) string {
	if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
		switch strings.ToLower(v) {
		case "yes":
			return "true"
		case "no":
			return "false"
		}
	}
	return v
}

// blameLine prefixes err, one of validate's ("invalid value ... for
// -name: ..."), with the file and line that set that flag, if a file did.
func (c *config) blameLine(err error) error {
	if err == nil {
		return nil
	}
	for name, l := range c.fromFile {
		msg := err.Error()
		if strings.Contains(msg, "for -"+name+":") || strings.Contains(msg, "for -"+name+" ") {
			return l.errorf("%v", err)
		}
	}
	return err
}

// refusedDirectives are Redis's directives that are no CONFIG parameter
// and that geetcache refuses, with what to do instead: each would change
// who may do what, so it is never ignored.
var refusedDirectives = map[string]string{
	"user":           "users live in the Raft log: create them once with ACL SETUSER (docs/operations.md, \"Users and passwords\")",
	"rename-command": "restrict commands with ACL rules instead, e.g. ACL SETUSER default -flushall -flushdb",
	"loadmodule":     "geetcache has no modules",
}
