package datatypes

import (
	"bytes"
	"testing"
)

func sid(ms, seq uint64) StreamID { return StreamID{ms, seq} }

// groupStream builds a stream with entries 1-0..n-0 and two groups with
// consumers and pending entries.
func groupStream(t testing.TB, n uint64) *Stream {
	t.Helper()
	s := NewStream()
	for i := uint64(1); i <= n; i++ {
		s.Append(sid(i, 0), [][]byte{[]byte("f"), []byte("v")}, DefaultStreamNodeLimits)
	}
	g := s.Groups()
	b := g.Create([]byte("g2"), StreamID{}, 0)
	a := g.Create([]byte("g1"), StreamID{}, InvalidEntriesRead)
	if a == nil || b == nil || g.Create([]byte("g1"), StreamID{}, 0) != nil {
		t.Fatal("Create: want two new groups and BUSYGROUP for a duplicate")
	}
	alice := a.Touch([]byte("alice"), 100)
	bob := a.Touch([]byte("bob"), 200)
	for i := uint64(1); i <= n; i++ {
		c := alice
		if i%2 == 0 {
			c = bob
		}
		s.DeliverTo(a, sid(i, 0))
		a.Deliver(sid(i, 0), c, int64(1000+i))
	}
	return s
}

func TestStreamGroupsPEL(t *testing.T) {
	s := groupStream(t, 6)
	g := s.Groups().Get([]byte("g1"))
	alice, bob := g.Consumer([]byte("alice")), g.Consumer([]byte("bob"))
	steps := []struct {
		name       string
		do         func()
		pel, a, b  int
		wantLastID StreamID
	}{
		{"delivered", func() {}, 6, 3, 3, sid(6, 0)},
		{"ack", func() { g.Ack(sid(1, 0)) }, 5, 2, 3, sid(6, 0)},
		{"ack twice", func() { g.Ack(sid(1, 0)) }, 5, 2, 3, sid(6, 0)},
		{"claim to alice", func() { g.Claim(sid(2, 0), alice, 5, 9) }, 5, 3, 2, sid(6, 0)},
		{"redeliver after setid", func() { g.Deliver(sid(3, 0), bob, 7) }, 5, 2, 3, sid(6, 0)},
		{"delete bob", func() { g.DeleteConsumer([]byte("bob")) }, 2, 2, -1, sid(6, 0)},
	}
	for _, st := range steps {
		st.do()
		a, b := -1, -1
		if c := g.Consumer([]byte("alice")); c != nil {
			a = c.PendingLen()
		}
		if c := g.Consumer([]byte("bob")); c != nil {
			b = c.PendingLen()
		}
		if g.PendingLen() != st.pel || a != st.a || b != st.b || g.LastID != st.wantLastID {
			t.Fatalf("%s: pel %d alice %d bob %d last %v, want %d %d %d %v", st.name,
				g.PendingLen(), a, b, g.LastID, st.pel, st.a, st.b, st.wantLastID)
		}
	}
	if p, _ := g.Pending(sid(2, 0)); p.Consumer != "alice" || p.DeliveryTime != 5 || p.DeliveryCount != 9 {
		t.Fatalf("claimed entry %+v", p)
	}
}

func TestStreamGroupsCodecAndClone(t *testing.T) {
	s := groupStream(t, 250)
	enc := s.AppendEncoded(nil)
	v, err := DecodeValue(enc)
	if err != nil {
		t.Fatal(err)
	}
	if again := v.AppendEncoded(nil); !bytes.Equal(again, enc) {
		t.Fatal("decode then encode differs")
	}
	c := s.Clone().(*Stream)
	c.Groups().Get([]byte("g1")).Ack(sid(7, 0))
	c.Groups().Destroy([]byte("g2"))
	if !bytes.Equal(s.AppendEncoded(nil), enc) {
		t.Fatal("changing a clone changed the original")
	}
	for cut := 1; cut < 40; cut++ {
		if _, err := DecodeValue(enc[:len(enc)-cut]); err == nil {
			t.Fatalf("truncated by %d: decoded", cut)
		}
	}
}

func TestStreamGroupLag(t *testing.T) {
	cases := []struct {
		name      string
		setup     func(s *Stream, g *ConsumerGroup)
		wantRead  int64
		wantLag   int64
		lagKnown  bool
		groupLast StreamID
	}{
		{"fresh group at 0", func(s *Stream, g *ConsumerGroup) {}, InvalidEntriesRead, 5, true, sid(0, 0)},
		{"read one", func(s *Stream, g *ConsumerGroup) { s.DeliverTo(g, sid(1, 0)) }, 1, 4, true, sid(1, 0)},
		{"read all", func(s *Stream, g *ConsumerGroup) { s.DeliverTo(g, sid(5, 0)) }, 5, 0, true, sid(5, 0)},
		{"tombstone ahead", func(s *Stream, g *ConsumerGroup) { s.Delete(sid(3, 0)) }, InvalidEntriesRead, 0, false, sid(0, 0)},
		{"tombstone ahead, read past it", func(s *Stream, g *ConsumerGroup) {
			s.Delete(sid(3, 0))
			s.DeliverTo(g, sid(4, 0))
		}, InvalidEntriesRead, 0, false, sid(4, 0)},
		{"tombstone ahead, read to the end", func(s *Stream, g *ConsumerGroup) {
			s.Delete(sid(3, 0))
			s.DeliverTo(g, sid(5, 0))
		}, 5, 0, true, sid(5, 0)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := NewStream()
			for i := uint64(1); i <= 5; i++ {
				s.Append(sid(i, 0), [][]byte{[]byte("f"), []byte("v")}, DefaultStreamNodeLimits)
			}
			g := s.Groups().Create([]byte("g"), StreamID{}, InvalidEntriesRead)
			tc.setup(s, g)
			lag, ok := s.GroupLag(g)
			if g.EntriesRead != tc.wantRead || ok != tc.lagKnown || (ok && lag != tc.wantLag) || g.LastID != tc.groupLast {
				t.Fatalf("entries-read %d lag %d/%v last %v, want %d %d/%v %v", g.EntriesRead, lag, ok, g.LastID,
					tc.wantRead, tc.wantLag, tc.lagKnown, tc.groupLast)
			}
		})
	}
}
