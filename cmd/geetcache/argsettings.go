package main

import (
	"flag"
	"fmt"
	"strings"

	"github.com/geetcache/geetcache/server"
)

// As redis-server takes any configuration directive on its command line
// (redis-server --save "" --appendonly yes), geetcache takes every CONFIG
// parameter there as --<name> <value>: the arguments up to the next option
// are its value, joined by spaces (--save 900 1 300 10), or --<name>=<value>.
// They are checked and applied as a configuration file's directives are,
// after the file's, so the command line wins. The flags stay the flag
// package's.

// splitSettings takes the CONFIG parameters out of args, leaving the flags
// and their values to fs.
func splitSettings(args []string, fs *flag.FlagSet) (rest []string, settings [][2]string, err error) {
	for i := 0; i < len(args); i++ {
		name, value, hasValue := optionName(args[i], fs)
		if name == "" {
			rest = append(rest, args[i])
			continue
		}
		if !hasValue {
			var values []string
			for i+1 < len(args) && !isOption(args[i+1], fs) {
				i++
				values = append(values, args[i])
			}
			value = strings.Join(values, " ")
		}
		if err := server.CheckSetting(name, value); err != nil {
			return nil, nil, fmt.Errorf("invalid value %q for --%s: %v", value, name, err)
		}
		settings = append(settings, [2]string{name, value})
	}
	return rest, settings, nil
}

// optionName is the CONFIG parameter arg names (--name or --name=value),
// "" when it names none (a flag, a flag's value, anything else).
func optionName(arg string, fs *flag.FlagSet) (name, value string, hasValue bool) {
	if !strings.HasPrefix(arg, "-") || arg == "--" {
		return "", "", false
	}
	name, value, hasValue = strings.Cut(strings.TrimLeft(arg, "-"), "=")
	if name == "" || fs.Lookup(name) != nil || !server.IsSetting(name) {
		return "", "", false
	}
	return strings.ToLower(name), value, hasValue
}

// isOption reports whether arg starts another option: a flag or a CONFIG
// parameter (a value such as -1 does not).
func isOption(arg string, fs *flag.FlagSet) bool {
	if arg == "--" {
		return true
	}
	if name, _, _ := optionName(arg, fs); name != "" {
		return true
	}
	flagName, _, _ := strings.Cut(strings.TrimLeft(arg, "-"), "=")
	return strings.HasPrefix(arg, "-") && flagName != "" && fs.Lookup(flagName) != nil
}
