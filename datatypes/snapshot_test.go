package datatypes

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"strconv"
	"testing"
)

// sampleKeyspace holds every value type, with and without expiry and
// stamps, and one large string.
func sampleKeyspace() *Keyspace {
	ks := NewKeyspace()
	ks.SetStamp(7)
	ks.Set("str", String("value"), 0)
	ks.Set("empty", String(""), 1234)
	ks.Set("big", String(bytes.Repeat([]byte("0123456789"), 200_000)), 0)
	h := NewHash()
	s := NewSet()
	z := NewZSet()
	l := NewList()
	for i := range 300 {
		v := strconv.Itoa(i)
		h.Set("f"+v, v)
		s.Add(v)
		z.Set("m"+v, float64(i)/3)
		l.PushBack([]byte(v))
	}
	ks.SetStamp(1 << 40)
	ks.Set("hash", h, 99)
	ks.Set("set", s, 0)
	ks.Set("zset", z, 0)
	ks.Set("list", l, -5)
	ks.Set("hll", NewHLL(), 0)
	return ks
}

// referenceImage is the snapshot format written the simple way: each entry
// built whole in memory (appendEntry, then the stamp) and length-prefixed.
func referenceImage(ks *Keyspace) []byte {
	b := binary.AppendUvarint(nil, uint64(ks.Len()))
	ks.keys.Scan(func(s slot) bool {
		b = appendBytes(b, binary.AppendUvarint(appendEntry(nil, s.e), s.e.mod))
		return true
	})
	return b
}

// TestWriteToStreamsTheSameBytes: the streaming encoder writes exactly the
// format the whole-entry encoder defines, so old and new binaries read each
// other's snapshots and replicas still write identical bytes.
func TestWriteToStreamsTheSameBytes(t *testing.T) {
	ks := sampleKeyspace()
	var buf bytes.Buffer
	n, err := ks.WriteTo(&buf)
	if err != nil {
		t.Fatal(err)
	}
	want := referenceImage(ks)
	if !bytes.Equal(buf.Bytes(), want) || n != int64(len(want)) {
		t.Fatalf("WriteTo wrote %d bytes (reported %d), reference %d; equal: %v", buf.Len(), n, len(want), bytes.Equal(buf.Bytes(), want))
	}
	got, err := ReadKeyspace(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if got.Digest() != ks.Digest() || got.Len() != ks.Len() || got.VolatileLen() != ks.VolatileLen() {
		t.Fatal("round trip changed the keyspace")
	}
	for _, k := range []string{"str", "hash", "big"} {
		if a, b := got.find(k).mod, ks.find(k).mod; a != b {
			t.Errorf("%s: stamp %d after the round trip, want %d", k, a, b)
		}
	}
}

// TestReadKeyspaceRejectsEveryTruncation: any prefix of an image (and the
// image with a byte appended inside an entry) fails with an error.
func TestReadKeyspaceRejectsEveryTruncation(t *testing.T) {
	ks := NewKeyspace()
	ks.Set("a", String("xyz"), 5)
	h := NewHash()
	h.Set("f", "v")
	ks.Set("h", h, 0)
	var buf bytes.Buffer
	ks.WriteTo(&buf)
	img := buf.Bytes()
	for i := range len(img) {
		if _, err := ReadKeyspace(bytes.NewReader(img[:i])); err == nil {
			t.Errorf("prefix of %d/%d bytes read without error", i, len(img))
		}
	}
}

// BenchmarkWriteToStrings writes a keyspace of 100k small strings, as a
// snapshot does; its allocations are garbage the writes' GC pays for.
func BenchmarkWriteToStrings(b *testing.B) {
	ks := NewKeyspace()
	for i := 0; i < 100000; i++ {
		ks.SetString("key:"+strconv.Itoa(i), []byte("value-"+strconv.Itoa(i)), 0)
	}
	ks.Settle()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := ks.WriteTo(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}

// failingWriter takes room bytes, then fails every write.
type failingWriter struct{ room, took int }

var errSinkFull = errors.New("sink full")

func (w *failingWriter) Write(p []byte) (int, error) {
	n := min(len(p), w.room-w.took)
	w.took += n
	if n < len(p) {
		return n, errSinkFull
	}
	return n, nil
}

// TestWriteToStopsAtTheFirstError: a sink that fails mid-image gets no
// byte after the failure and WriteTo returns its error, at any point.
func TestWriteToStopsAtTheFirstError(t *testing.T) {
	ks := sampleKeyspace()
	whole := referenceImage(ks)
	for _, room := range []int{0, 1, 10, 1 << 16, len(whole) / 2, len(whole) - 1} {
		w := &failingWriter{room: room}
		if _, err := ks.WriteTo(w); !errors.Is(err, errSinkFull) {
			t.Fatalf("room %d: WriteTo returned %v, want the sink's error", room, err)
		}
		if w.took != room {
			t.Fatalf("room %d: the sink took %d bytes", room, w.took)
		}
	}
}
