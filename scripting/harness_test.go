package scripting

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/geetcache/geetcache/datatypes"
	"github.com/geetcache/geetcache/protocol"
)

// harness runs commands the way a node does: a call whose FlagsFor says
// Write runs as the state machine runs it (entry time, seeded Rand), any
// other as the read path runs it (no Rand).
type harness struct {
	t     testing.TB
	eng   *Engine
	table *protocol.Table
	ks    *datatypes.Keyspace
	now   int64
	seq   uint64
	proto int
}

func newHarness(t testing.TB) *harness {
	table := protocol.DataTable()
	eng := NewEngine(table)
	for _, c := range eng.Commands() {
		table.Register(c)
	}
	return &harness{t: t, eng: eng, table: table, ks: datatypes.NewKeyspace(), now: 1_700_000_000_123, proto: 2}
}

// do runs one command and returns its raw RESP reply.
func (h *harness) do(args ...string) string {
	h.t.Helper()
	argv := make([][]byte, len(args))
	for i, a := range args {
		argv[i] = []byte(a)
	}
	w := &protocol.Writer{Proto: h.proto}
	cmd := h.table.Lookup(argv[0])
	switch {
	case cmd == nil:
		w.Error(protocol.ErrUnknownCommand(argv))
	case !cmd.ArityOK(len(argv)):
		w.Error(protocol.ErrWrongArity(cmd.Name))
	default:
		c := &protocol.Ctx{Args: argv, DB: h.ks, Now: h.now, Out: w}
		if cmd.FlagsFor(argv)&protocol.Write != 0 {
			h.seq++
			c.Rand = rand.New(rand.NewPCG(h.seq, 0))
		}
		cmd.Handler.ServeRESP(c)
	}
	return string(w.B)
}

// resp writes RESP with "|" for CRLF.
func resp(s string) string { return strings.ReplaceAll(s, "|", "\r\n") }

type step struct {
	args []string
	want string // RESP, "|" for CRLF
}

func cmd(want string, args ...string) step { return step{args: args, want: want} }

func (h *harness) run(steps []step) {
	h.t.Helper()
	for _, s := range steps {
		if got := h.do(s.args...); got != resp(s.want) {
			h.t.Errorf("%q:\n got %q\nwant %q", s.args, got, resp(s.want))
		}
	}
}
