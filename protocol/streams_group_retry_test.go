package protocol

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/geetcache/geetcache/datatypes"
)

// TestXReadGroupRetry: a blocked XREADGROUP run again after a wake-up
// (Ctx.Retry) answers as Redis answers the client it unblocks.
func TestXReadGroupRetry(t *testing.T) {
	cases := []struct {
		name  string
		setup func(h *harness)
		want  string // prefix of the reply
	}{
		{"stream deleted", func(h *harness) { h.ks.Delete("s") }, "-UNBLOCKED the stream key no longer exists\r\n"},
		{"stream replaced", func(h *harness) { h.do("SET", "s", "v") }, "-UNBLOCKED the stream key no longer exists\r\n"},
		{"group destroyed", func(h *harness) { h.do("XGROUP", "DESTROY", "s", "g") },
			"-NOGROUP the consumer group this client was blocked on no longer exists\r\n"},
		{"nothing new", func(h *harness) { h.do("XREADGROUP", "GROUP", "g", "other", "STREAMS", "s", ">") }, "*-1\r\n"},
		{"COUNT defaults to 1000", func(h *harness) {}, "*1\r\n*2\r\n$1\r\ns\r\n*1000\r\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			s := datatypes.NewStream()
			for i := uint64(1); i <= 1500; i++ {
				s.Append(datatypes.StreamID{Ms: i}, [][]byte{[]byte("f"), []byte("v")}, datatypes.DefaultStreamNodeLimits)
			}
			h.ks.Set("s", s, 0)
			h.do("XGROUP", "CREATE", "s", "g", "0")
			tc.setup(h)
			args := [][]byte{[]byte("XREADGROUP"), []byte("GROUP"), []byte("g"), []byte("c"),
				[]byte("BLOCK"), []byte("0"), []byte("STREAMS"), []byte("s"), []byte(">")}
			w := &Writer{Proto: 2}
			xreadgroup(&Ctx{Args: args, DB: h.ks, Now: h.now, Out: w, Rand: rand.New(rand.NewPCG(1, 2)), Retry: true})
			if got := string(w.B); !strings.HasPrefix(got, tc.want) {
				t.Fatalf("got %.80q, want it to start with %q", got, tc.want)
			}
		})
	}
}
