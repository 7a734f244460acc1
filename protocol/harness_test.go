package protocol

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/geetcache/geetcache/datatypes"
)

// harness runs commands against one keyspace the way the node does: write
// commands as the FSM runs them (entry time, seeded Rand), read commands as
// the read path runs them (no Rand). Replies are RESP2 unless proto is 3.
type harness struct {
	t     testing.TB
	table *Table
	ks    *datatypes.Keyspace
	now   int64
	seq   uint64
	proto int
	// streamLimits are the stream node limits writes run with (nil:
	// Redis's defaults), as the FSM gives its replicated settings.
	streamLimits *datatypes.StreamNodeLimits
	// events, when set, publishes the keyspace events of the commands run
	// (notify_test.go).
	events *Events
	// dbs are the databases and db the selected one (SELECT in the
	// harness switches it, as inside a transaction); ks is database 0.
	dbs *datatypes.DBs
	db  int
}

func newHarness(t testing.TB) *harness {
	dbs := datatypes.NewDBs(datatypes.DefaultDatabases)
	return &harness{t: t, table: DataTable(), ks: dbs.DB(0), dbs: dbs, now: 1_700_000_000_000, proto: 2}
}

// do runs one command given as separate arguments and returns the raw RESP
// reply. Arity is checked here, as the dispatcher does; a call whose
// routing flags make it a write runs as the FSM runs it (with a seeded
// random source).
func (h *harness) do(args ...string) string {
	h.t.Helper()
	argv := make([][]byte, len(args))
	for i, a := range args {
		argv[i] = []byte(a)
	}
	w := &Writer{Proto: h.proto}
	cmd := h.table.Lookup(argv[0])
	switch {
	case cmd == nil:
		w.Error(ErrUnknownCommand(argv))
	case !cmd.ArityOK(len(argv)):
		w.Error(ErrWrongArity(cmd.Name))
	default:
		if h.ks != h.dbs.DB(0) { // the test replaced database 0
			h.dbs = datatypes.Single(h.ks, datatypes.DefaultDatabases)
		}
		c := &Ctx{Args: argv, DB: h.dbs.DB(h.db), DBs: h.dbs, DBIndex: h.db, Now: h.now, Out: w, StreamLimits: h.streamLimits, Events: h.events}
		if cmd.FlagsFor(argv)&Write != 0 || cmd.Name == "select" {
			h.seq++
			c.Rand = rand.New(rand.NewPCG(h.seq, 0))
		}
		cmd.Handler.ServeRESP(c)
		h.db, h.ks = c.DBIndex, h.dbs.DB(0)
	}
	return string(w.B)
}

// check runs each case in order on the harness's keyspace and compares the
// reply. want is RESP with "\r\n" written as "|" for readability:
// "+OK|", "$1|a|", ":3|", "-ERR syntax error|".
func (h *harness) check(cases [][2]string) {
	h.t.Helper()
	for _, tc := range cases {
		got := h.do(strings.Fields(tc[0])...)
		want := strings.ReplaceAll(tc[1], "|", "\r\n")
		if got != want {
			h.t.Errorf("%s\n got: %q\nwant: %q", tc[0], got, want)
		}
	}
}

// advance moves the harness clock forward by ms.
func (h *harness) advance(ms int64) { h.now += ms }

func TestHarnessGetSet(t *testing.T) {
	h := newHarness(t)
	h.check([][2]string{
		{"GET k", "$-1|"},
		{"SET k v", "+OK|"},
		{"GET k", "$1|v|"},
		{"SET k w GET", "$1|v|"},
		{"SET k v EX 0", "-ERR invalid expire time in 'set' command|"},
		{"SET k v NX XX", "-ERR syntax error|"},
		{"FOO", "-ERR unknown command 'FOO', with args beginning with: |"},
		{"GET", "-ERR wrong number of arguments for 'get' command|"},
	})
}
