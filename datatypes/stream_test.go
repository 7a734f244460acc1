package datatypes

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// streamModel is the obvious slice implementation the Stream is checked
// against: live entries in ID order.
type streamModel []modelEntry

type modelEntry struct {
	id StreamID
	fv [][]byte
}

func (m streamModel) rng(start, end StreamID) streamModel {
	var out streamModel
	for _, e := range m {
		if !e.id.Less(start) && !end.Less(e.id) {
			out = append(out, e)
		}
	}
	return out
}

func collect(s *Stream, start, end StreamID, rev bool, count int) streamModel {
	var out streamModel
	s.Range(start, end, rev, func(id StreamID, fv [][]byte) bool {
		out = append(out, modelEntry{id, slices.Clone(fv)})
		return count == 0 || len(out) < count
	})
	return out
}

func sameEntries(t testing.TB, what string, got, want streamModel) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d entries, want %d", what, len(got), len(want))
	}
	for i := range want {
		if got[i].id != want[i].id || !slices.EqualFunc(got[i].fv, want[i].fv, bytes.Equal) {
			t.Fatalf("%s: entry %d = %v %q, want %v %q", what, i, got[i].id, got[i].fv, want[i].id, want[i].fv)
		}
	}
}

func checkStream(t testing.TB, s *Stream, m streamModel) {
	t.Helper()
	if s.Len() != uint64(len(m)) {
		t.Fatalf("Len = %d, want %d", s.Len(), len(m))
	}
	sameEntries(t, "forward", collect(s, StreamID{}, MaxStreamID, false, 0), m)
	rev := slices.Clone(m)
	slices.Reverse(rev)
	sameEntries(t, "backward", collect(s, StreamID{}, MaxStreamID, true, 0), rev)
	live := 0
	s.eachNode(func(n *streamNode) bool {
		live += n.live
		if n.count() != n.live+n.dead {
			t.Fatalf("node %v: %d entries, %d live, %d dead", n.master, n.count(), n.live, n.dead)
		}
		return true
	})
	if live != len(m) {
		t.Fatalf("nodes hold %d live entries, want %d", live, len(m))
	}
	if len(m) > 0 && s.FirstID() != m[0].id {
		t.Fatalf("FirstID = %v, want %v", s.FirstID(), m[0].id)
	}
}

func randomFields(r *rand.Rand) [][]byte {
	names := [][]byte{[]byte("a"), []byte("b"), []byte("item"), []byte("")}
	n := 1 + r.IntN(3)
	var fv [][]byte
	for i := 0; i < n; i++ {
		fv = append(fv, names[r.IntN(len(names))], fmt.Appendf(nil, "%d", r.IntN(1000)-10))
	}
	if r.IntN(4) == 0 {
		fv = fv[:2]
		fv[0] = []byte("a")
	}
	return fv
}

func TestStreamModel(t *testing.T) {
	seed := rand.Uint64()
	t.Logf("seed %d", seed)
	r := rand.New(rand.NewPCG(seed, 0))
	for round := 0; round < 30; round++ {
		s, m := NewStream(), streamModel(nil)
		lim := StreamNodeLimits{MaxEntries: int64(1 + r.IntN(12)), MaxBytes: int64(r.IntN(3) * 200)}
		next := StreamID{Ms: uint64(r.IntN(3)), Seq: 1}
		for op := 0; op < 300; op++ {
			switch k := r.IntN(20); {
			case k < 13:
				fv := randomFields(r)
				s.Append(next, fv, lim)
				m = append(m, modelEntry{next, fv})
				if r.IntN(3) == 0 {
					next.Ms += uint64(r.IntN(5))
				}
				next.Seq++
			case k < 17 && len(m) > 0:
				i := r.IntN(len(m))
				if !s.Delete(m[i].id) || s.Delete(m[i].id) {
					t.Fatalf("Delete %v", m[i].id)
				}
				m = slices.Delete(m, i, i+1)
			case k < 19:
				tr := StreamTrim{Approx: r.IntN(2) == 0, MaxLen: uint64(r.IntN(len(m) + 2))}
				if tr.Approx {
					tr.Limit = int64(r.IntN(20))
				}
				n := s.Trim(tr)
				if !tr.Approx {
					m = m[len(m)-min(len(m), int(tr.MaxLen)):]
				} else {
					m = m[n:]
				}
				if n < 0 || int(n) > len(m)+int(n) {
					t.Fatalf("Trim = %d", n)
				}
			default:
				if len(m) == 0 {
					continue
				}
				min := m[r.IntN(len(m))].id
				n := s.Trim(StreamTrim{ByMinID: true, MinID: min})
				i := slices.IndexFunc(m, func(e modelEntry) bool { return e.id == min })
				if int(n) != i {
					t.Fatalf("Trim MINID %v removed %d, want %d", min, n, i)
				}
				m = m[i:]
			}
			checkStream(t, s, m)
			checkRanges(t, r, s, m)
		}
		checkCodec(t, s, m)
	}
}

func checkRanges(t testing.TB, r *rand.Rand, s *Stream, m streamModel) {
	t.Helper()
	pick := func() StreamID {
		if len(m) > 0 && r.IntN(2) == 0 {
			return m[r.IntN(len(m))].id
		}
		return StreamID{uint64(r.IntN(20)), uint64(r.IntN(300))}
	}
	start, end := pick(), pick()
	want := m.rng(start, end)
	sameEntries(t, fmt.Sprintf("range %v %v", start, end), collect(s, start, end, false, 0), want)
	slices.Reverse(want)
	sameEntries(t, fmt.Sprintf("revrange %v %v", end, start), collect(s, start, end, true, 0), want)
	if len(want) > 1 {
		sameEntries(t, "revrange count", collect(s, start, end, true, 1), want[:1])
	}
	for _, e := range m[:min(3, len(m))] {
		if fv, ok := s.Get(e.id, nil); !ok || !slices.EqualFunc(fv, e.fv, bytes.Equal) {
			t.Fatalf("Get %v = %q %v", e.id, fv, ok)
		}
	}
}

func checkCodec(t testing.TB, s *Stream, m streamModel) {
	t.Helper()
	enc := s.AppendEncoded(nil)
	v, err := DecodeValue(enc)
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	back := v.(*Stream)
	checkStream(t, back, m)
	if !bytes.Equal(back.AppendEncoded(nil), enc) {
		t.Fatal("re-encoding differs")
	}
	c := s.Clone().(*Stream)
	if !bytes.Equal(c.AppendEncoded(nil), enc) {
		t.Fatal("clone encodes differently")
	}
	if len(m) > 0 {
		c.Delete(m[0].id)
		checkStream(t, s, m)
	}
	for cut := 0; cut < len(enc); cut += 1 + len(enc)/50 {
		if _, err := DecodeValue(enc[:cut]); err == nil {
			t.Fatalf("truncated to %d bytes decodes", cut)
		}
	}
}

// FuzzStreamDecode: any bytes either fail to decode or give a stream whose
// encoding decodes to the same stream (varints may come non-minimal), and
// that survives reads, appends and trims.
func FuzzStreamDecode(f *testing.F) {
	s := NewStream()
	lim := StreamNodeLimits{MaxEntries: 3}
	for i := uint64(1); i <= 8; i++ {
		s.Append(StreamID{Ms: i, Seq: i % 3}, [][]byte{[]byte("a"), []byte("1"), []byte("b"), fmt.Appendf(nil, "%d", i)}, lim)
	}
	s.Delete(StreamID{Ms: 2, Seq: 2})
	f.Add(s.AppendEncoded(nil))
	f.Add(NewStream().AppendEncoded(nil))
	f.Fuzz(func(t *testing.T, b []byte) {
		v, err := DecodeValue(b)
		if err != nil {
			return
		}
		st, ok := v.(*Stream)
		if !ok {
			return
		}
		enc := st.AppendEncoded(nil)
		again, err := DecodeValue(enc)
		if err != nil || !bytes.Equal(again.AppendEncoded(nil), enc) {
			t.Fatalf("re-encoding does not decode to the same stream: %v", err)
		}
		collect(st, StreamID{}, MaxStreamID, true, 0)
		st.Trim(StreamTrim{MaxLen: 1})
		if next, ok := st.LastID().Next(); ok {
			st.Append(next, [][]byte{[]byte("x"), []byte("y")}, lim)
		}
		collect(st, StreamID{}, MaxStreamID, false, 0)
	})
}

// TestStreamDecodeHugeFieldCount: a node claiming 2^62 master fields in a
// few bytes is refused at once (it looped over the count before).
func TestStreamDecodeHugeFieldCount(t *testing.T) {
	b := []byte{tagStream, 1}
	for range 3 {
		b = appendStreamID(b, StreamID{Ms: 1, Seq: 1})
	}
	b = append(b, 1, 1) // entries added, node count
	b = appendStreamID(b, StreamID{Ms: 1, Seq: 1})
	b = append(b, 1) // entry count
	b = appendBytes(b, binary.AppendUvarint(nil, 1<<62))
	b = append(b, 0) // no groups
	if _, err := DecodeValue(b); err == nil {
		t.Fatal("decoded")
	}
}

// TestStreamTombstoneAboveLaterEntries: a tombstone with the largest ID
// stays in a node whose live entries an exact MINID trim removed, XSETID
// lowers the last ID, and smaller IDs are appended after the tombstone (in
// its node, and in new nodes once it is full), as in Redis. Ranges, Get,
// Delete and the snapshot codec must all still find them. With first 10,
// the new IDs are below the master of the tombstone's node.
func TestStreamTombstoneAboveLaterEntries(t *testing.T) {
	for _, tc := range []struct {
		first uint64
		lim   StreamNodeLimits
	}{{1, StreamNodeLimits{MaxEntries: 100}}, {1, StreamNodeLimits{MaxEntries: 3}}, {1, StreamNodeLimits{MaxEntries: 2}},
		{10, StreamNodeLimits{MaxEntries: 100}}, {10, StreamNodeLimits{MaxEntries: 2}}} {
		lim := tc.lim
		t.Run(fmt.Sprintf("first=%d/entries=%d", tc.first, lim.MaxEntries), func(t *testing.T) {
			s := NewStream()
			fv := [][]byte{[]byte("a"), []byte("1")}
			s.Append(StreamID{tc.first, 0}, fv, lim)
			s.Append(MaxStreamID, fv, lim)
			if !s.Delete(MaxStreamID) {
				t.Fatal("Delete max")
			}
			if n := s.Trim(StreamTrim{ByMinID: true, MinID: StreamID{20, 0}}); n != 1 || s.Len() != 0 {
				t.Fatalf("Trim MINID 20 = %d, Len %d", n, s.Len())
			}
			s.SetLastID(StreamID{3, 0})
			var m streamModel
			for ms := uint64(4); ms < 9; ms++ {
				s.Append(StreamID{ms, 0}, fv, lim)
				m = append(m, modelEntry{StreamID{ms, 0}, fv})
			}
			checkStream(t, s, m)
			for start := uint64(0); start < 12; start++ {
				for end := start; end < 12; end++ {
					lo, hi := StreamID{start, 0}, StreamID{end, 0}
					want := m.rng(lo, hi)
					sameEntries(t, fmt.Sprintf("range %v %v", lo, hi), collect(s, lo, hi, false, 0), want)
					slices.Reverse(want)
					sameEntries(t, fmt.Sprintf("revrange %v %v", hi, lo), collect(s, lo, hi, true, 0), want)
				}
			}
			checkCodec(t, s, m)
			if !s.Delete(StreamID{6, 0}) || s.Has(StreamID{6, 0}) {
				t.Fatal("Delete 6-0")
			}
			m = slices.Delete(m, 2, 3)
			checkStream(t, s, m)
			checkCodec(t, s, m)
		})
	}
}
