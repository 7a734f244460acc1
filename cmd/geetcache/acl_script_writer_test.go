package main

import (
	"strings"
	"testing"
)

// TestACLKnownWriterScriptChecked: a script this node knows as a writer
// (another user's run of it reached a write) still has its calls up to its
// first write checked against a restricted caller, as Redis checks every
// call: the known-writer shortcut, which proposes such a script without
// its probe, is only for a user without restrictions.
func TestACLKnownWriterScriptChecked(t *testing.T) {
	n := startNode(t)
	c := n.Client()
	if err := c.Do(ctx, "ACL", "SETUSER", "noset", "on", ">pw", "~*", "&*", "+@all", "-set").Err(); err != nil {
		t.Fatal(err)
	}
	body := "return redis.call('set', 'k', 'v')"
	for range 2 { // the second run is a known writer's
		if got := result(c.Do(ctx, "EVAL", body, "0")); got != "OK" {
			t.Fatalf("EVAL as default = %q", got)
		}
	}
	u := n.Client(as("noset", "pw"))
	want := "ERR The user executing the script can't run this command or subcommand"
	for _, args := range [][]any{{"EVAL", body, "0"}, {"EVALSHA", "", "0"}} {
		if args[0] == "EVALSHA" {
			args[1] = result(c.Do(ctx, "SCRIPT", "LOAD", body))
		}
		if got := result(u.Do(ctx, args...)); !strings.HasPrefix(got, want) {
			t.Fatalf("%v as a user without +set = %q, want %q...", args[0], got, want)
		}
	}
}
