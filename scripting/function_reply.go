package scripting

import (
	"github.com/geetcache/geetcache/datatypes"
	"github.com/geetcache/geetcache/protocol"
)

// listOptions are FUNCTION LIST's arguments.
type listOptions struct {
	pattern    []byte
	hasPattern bool
	withCode   bool
}

// parseListOptions reads FUNCTION LIST [LIBRARYNAME pattern] [WITHCODE]
// (args after the subcommand) as Redis 7.0's functionListCommand does:
// each option at most once, in any order.
func parseListOptions(args [][]byte) (listOptions, string) {
	var o listOptions
	for i := 0; i < len(args); i++ {
		switch a := args[i]; {
		case !o.withCode && protocol.EqualFold(a, "withcode"):
			o.withCode = true
		case !o.hasPattern && protocol.EqualFold(a, "libraryname"):
			if i == len(args)-1 {
				return o, protocol.ErrFuncListNoLibName
			}
			i++
			o.pattern, o.hasPattern = args[i], true
		default:
			return o, protocol.ErrFuncUnknownArgument(a)
		}
	}
	return o, ""
}

// writeList writes FUNCTION LIST's reply: the libraries (sorted by name;
// Redis lists them in its hash table's order) whose name matches the
// pattern (any case), each with its functions in registration order.
func (ls *Libraries) writeList(w *protocol.Writer, o listOptions) {
	var libs []*Library
	for _, l := range ls.Sorted() {
		if !o.hasPattern || datatypes.MatchGlob(string(o.pattern), l.Name, true) {
			libs = append(libs, l)
		}
	}
	w.Array(len(libs))
	for _, l := range libs {
		n := 3
		if o.withCode {
			n++
		}
		w.Map(n)
		w.BulkString("library_name")
		w.BulkString(l.Name)
		w.BulkString("engine")
		w.BulkString(l.Engine())
		w.BulkString("functions")
		w.Array(len(l.Functions))
		for _, f := range l.Functions {
			writeFunctionInfo(w, f)
		}
		if o.withCode {
			w.BulkString("library_code")
			w.Bulk(l.Code)
		}
	}
}

func writeFunctionInfo(w *protocol.Writer, f *Function) {
	w.Map(3)
	w.BulkString("name")
	w.BulkString(f.Name)
	w.BulkString("description")
	if f.HasDesc {
		w.BulkString(f.Desc)
	} else {
		w.Null()
	}
	w.BulkString("flags")
	names := functionFlagNames(f.Flags)
	w.Set(len(names))
	for _, n := range names {
		w.Simple(n)
	}
}

// writeStats writes FUNCTION STATS's reply. running writes the running
// function's map and reports true, or writes nothing and reports false.
func (ls *Libraries) writeStats(w *protocol.Writer, running func(w *protocol.Writer) bool) {
	w.Map(2)
	w.BulkString("running_script")
	if running == nil || !running(w) {
		w.Null()
	}
	w.BulkString("engines")
	w.Map(1)
	w.BulkString("LUA")
	libs, fns := ls.Len()
	w.Map(2)
	w.BulkString("libraries_count")
	w.Int(int64(libs))
	w.BulkString("functions_count")
	w.Int(int64(fns))
}

// functionHelpLines is FUNCTION HELP's text, as Redis 7.0.15's.
var functionHelpLines = []string{
	"FUNCTION <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
	"LOAD [REPLACE] <FUNCTION CODE>",
	"    Create a new library with the given library name and code.",
	"DELETE <LIBRARY NAME>",
	"    Delete the given library.",
	"LIST [LIBRARYNAME PATTERN] [WITHCODE]",
	"    Return general information on all the libraries:",
	"    * Library name",
	"    * The engine used to run the Library",
	"    * Library description",
	"    * Functions list",
	"    * Library code (if WITHCODE is given)",
	"    It also possible to get only function that matches a pattern using LIBRARYNAME argument.",
	"STATS",
	"    Return information about the current function running:",
	"    * Function name",
	"    * Command used to run the function",
	"    * Duration in MS that the function is running",
	"    If no function is running, return nil",
	"    In addition, returns a list of available engines.",
	"KILL",
	"    Kill the current running function.",
	"FLUSH [ASYNC|SYNC]",
	"    Delete all the libraries.",
	"    When called without the optional mode argument, the behavior is determined by the",
	"    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
	"    * ASYNC: Asynchronously flush the libraries.",
	"    * SYNC: Synchronously flush the libraries.",
	"DUMP",
	"    Return a serialized payload representing the current libraries, can be restored using FUNCTION RESTORE command",
	"RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]",
	"    Restore the libraries represented by the given payload, it is possible to give a restore policy to",
	"    control how to handle existing libraries (default APPEND):",
	"    * FLUSH: delete all existing libraries.",
	"    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.",
	"    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old",
	"      libraries with the new libraries (notice that even on this option there is a chance of failure",
	"      in case of functions name collision with another library).",
	"HELP",
	"    Prints this help.",
}
