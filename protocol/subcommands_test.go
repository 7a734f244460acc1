package protocol

import "testing"

// container is a Handler made of subcommands, for Called.
type container []*Command

func (c container) ServeRESP(*Ctx)          {}
func (c container) Subcommands() []*Command { return c }

func TestCalled(t *testing.T) {
	get := &Command{Name: "config|get", Arity: -3, Flags: Stale}
	config := &Command{Name: "config", Arity: -2, Handler: container{get}}
	ping := &Command{Name: "ping", Arity: -1, Handler: HandlerFunc(func(*Ctx) {})}
	argv := func(s ...string) [][]byte {
		out := make([][]byte, len(s))
		for i, a := range s {
			out[i] = []byte(a)
		}
		return out
	}
	for _, tc := range []struct {
		cmd  *Command
		args [][]byte
		want *Command
	}{
		{ping, argv("ping"), ping},
		{ping, argv("ping", "x"), ping}, // not a container: its argument is no subcommand
		{config, argv("config", "GET", "maxmemory"), get},
		{config, argv("config", "get"), nil},         // the subcommand's arity: its error first
		{config, argv("config", "nosuch", "x"), nil}, // no such subcommand: its error first
		{config, argv("config"), config},             // the container's own arity is judged by the caller
	} {
		if got := Called(tc.cmd, tc.args); got != tc.want {
			t.Errorf("Called(%s, %q) = %v, want %v", tc.cmd.Name, tc.args, got, tc.want)
		}
	}
}
