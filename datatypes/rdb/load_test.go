package rdb

import (
	"bytes"
	"encoding/binary"
	"math"
	"runtime"
	"strconv"
	"testing"

	"github.com/geetcache/geetcache/datatypes"
)

// redisVectors are DUMP payloads made by redis-server 7.0.15 (default
// settings) for values built by the commands named: each loads here and
// dumps back to the very same bytes.
var redisVectors = []struct{ name, payload string }{
	{"SET str 'hello world'", "\x00\x0bhello world\n\x00\x0b\xfcI\xb9\xa6\xc7\xa04"},
	{"SET int -70000", "\x00\xc2\x90\xee\xfe\xff\n\x00(u\xde{\x13\xeb(\x00"},
	{"RPUSH list a 1 -200 bb", "\x12\x01\x02\x13\x13\x00\x00\x00\x04\x00\x81a\x02\x01\x01\xdf8\x02\x82bb\x03\xff\n\x00\x98\x97N\xa4{\x02\x10>"},
	{"SADD iset 5 -1 70000", "\x0b\x14\x04\x00\x00\x00\x03\x00\x00\x00\xff\xff\xff\xff\x05\x00\x00\x00p\x11\x01\x00\n\x00\xef\xda\xb8\xfbtDN\x88"},
	{"ZADD zs 1.5 a 2 b", "\x11\x14\x14\x00\x00\x00\x04\x00\x81a\x02\x831.5\x04\x81b\x02\x02\x01\xff\n\x00\xfa\x02\xb4%\xaf\x18\x87c"},
	{"HSET hs f v n 7", "\x10\x12\x12\x00\x00\x00\x04\x00\x81f\x02\x81v\x02\x81n\x02\a\x01\xff\n\x00\xb8*\xde\xa8@\x7f\xfa\xa8"},
	{"XADD st 5-1 f v; XADD st 5-2 f w; XADD st 6-0 g x; XDEL st 5-2; XGROUP CREATE st grp 0",
		"\x13\x01\x10\x00\x00\x00\x00\x00\x00\x00\x05\x00\x00\x00\x00\x00\x00\x00\x0199\x00\x00\x00\x16\x00\x02\x01\x01\x01\x01\x01\x81f\x02\x00\x01\x02\x01\x00\x01\x00\x01\x81v\x02\x04\x01\x03\x01\x00\x01\x01\x01\x81w\x02\x04\x01\x00\x01\x01\x01\xdf\xff\x02\x01\x01\x81g\x02\x81x\x02\x06\x01\xff\x02\x06\x00\x05\x01\x05\x02\x03\x01\x03grp\x00\x00\x81\xff\xff\xff\xff\xff\xff\xff\xff\x00\x00\n\x00\x9a\x06\x0c\xb3f\x00\xd5\xef"},
}

func TestRedisVectorsRoundTrip(t *testing.T) {
	for _, tc := range redisVectors {
		t.Run(tc.name, func(t *testing.T) {
			p := []byte(tc.payload)
			if !CheckPayload(p) {
				t.Fatal("footer refused")
			}
			v, err := Load(p, datatypes.DefaultEncodingLimits)
			if err != nil {
				t.Fatalf("load: %v", err)
			}
			if got := Dump(v, datatypes.DefaultEncodingLimits); !bytes.Equal(got, p) {
				t.Fatalf("dump differs from Redis's:\n got %q\nwant %q", got, p)
			}
		})
	}
}

// zlBuild writes a ziplist of entries: integers in the smallest integer
// encoding, the rest as strings.
func zlBuild(entries ...string) []byte {
	b := make([]byte, zlHeaderSize)
	prev, last := 0, zlHeaderSize
	for _, e := range entries {
		start := len(b)
		if prev < 254 {
			b = append(b, byte(prev))
		} else {
			b = binary.LittleEndian.AppendUint32(append(b, 254), uint32(prev))
		}
		b = zlAppendData(b, e)
		last, prev = start, len(b)-start
	}
	b = append(b, 0xFF)
	binary.LittleEndian.PutUint32(b, uint32(len(b)))
	binary.LittleEndian.PutUint32(b[4:], uint32(last))
	binary.LittleEndian.PutUint16(b[8:], uint16(len(entries)))
	return b
}

func zlAppendData(b []byte, e string) []byte {
	if v, ok := datatypes.ParseCanonicalInt([]byte(e)); ok {
		switch {
		case v >= 0 && v <= 12:
			return append(b, 0xF1+byte(v))
		case v >= -128 && v <= 127:
			return append(b, 0xFE, byte(v))
		case v >= -32768 && v <= 32767:
			return binary.LittleEndian.AppendUint16(append(b, 0xC0), uint16(v))
		case v >= -1<<23 && v < 1<<23:
			return append(b, 0xF0, byte(v), byte(v>>8), byte(v>>16))
		case v >= -1<<31 && v < 1<<31:
			return binary.LittleEndian.AppendUint32(append(b, 0xD0), uint32(v))
		}
		return binary.LittleEndian.AppendUint64(append(b, 0xE0), uint64(v))
	}
	switch n := len(e); {
	case n < 64:
		b = append(b, byte(n))
	case n < 16384:
		b = append(b, 0x40|byte(n>>8), byte(n))
	default:
		b = binary.BigEndian.AppendUint32(append(b, 0x80), uint32(n))
	}
	return append(b, e...)
}

// zmBuild writes a zipmap of keys and values, alternating, with one free
// byte after each value.
func zmBuild(kv ...string) []byte {
	b := []byte{byte(len(kv) / 2)}
	for i, s := range kv {
		b = append(b, byte(len(s)))
		if i%2 == 1 {
			b = append(b, 1)
		}
		b = append(b, s...)
		if i%2 == 1 {
			b = append(b, 0)
		}
	}
	return append(b, 0xFF)
}

func seal(t byte, body []byte) []byte { return Seal(append([]byte{t}, body...)) }

func rdbStrings(ss ...string) []byte {
	b := AppendLen(nil, uint64(len(ss)))
	for _, s := range ss {
		b = AppendString(b, []byte(s))
	}
	return b
}

// TestOldEncodings: the encodings Redis 7.0 no longer writes but still
// loads give the same value as the current ones.
func TestOldEncodings(t *testing.T) {
	long := string(bytes.Repeat([]byte("z"), 300))
	list := datatypes.NewList()
	for _, e := range []string{"a", "12", "-5000", "100000", "9000000000", long} {
		list.PushBack([]byte(e))
	}
	hash := datatypes.NewHash()
	hash.Set("f", "v")
	hash.Set("n", "12")
	zset := datatypes.NewZSet()
	zset.Set("a", 1.5)
	zset.Set("b", 2)
	set := datatypes.NewSet()
	set.Add("x")
	set.Add("7")
	lim := datatypes.DefaultEncodingLimits
	strScore := func(s string) []byte { return append([]byte{byte(len(s))}, s...) }
	oldZSet := append(AppendString(AppendString(AppendLen(nil, 2), []byte("a")), nil)[:0:0], AppendLen(nil, 2)...)
	oldZSet = append(append(AppendString(oldZSet, []byte("a")), strScore("1.5")...), append(AppendString(nil, []byte("b")), strScore("2")...)...)
	quicklist1 := AppendString(AppendString(AppendLen(nil, 2), zlBuild("a", "12", "-5000")), zlBuild("100000", "9000000000", long))
	for _, tc := range []struct {
		name    string
		payload []byte
		want    datatypes.Value
	}{
		{"list linked", seal(TypeList, rdbStrings("a", "12", "-5000", "100000", "9000000000", long)), list},
		{"list ziplist", seal(TypeListZiplist, AppendString(nil, zlBuild("a", "12", "-5000", "100000", "9000000000", long))), list},
		{"list quicklist", seal(TypeListQuicklist, quicklist1), list},
		{"hash table", seal(TypeHash, append(AppendLen(nil, 2), rdbStrings("f", "v", "n", "12")[1:]...)), hash},
		{"hash zipmap", seal(TypeHashZipmap, AppendString(nil, zmBuild("f", "v", "n", "12"))), hash},
		{"hash ziplist", seal(TypeHashZiplist, AppendString(nil, zlBuild("f", "v", "n", "12"))), hash},
		{"zset ziplist", seal(TypeZSetZiplist, AppendString(nil, zlBuild("a", "1.5", "b", "2"))), zset},
		{"zset strings", seal(TypeZSet, oldZSet), zset},
		{"set table", seal(TypeSet, rdbStrings("x", "7")), set},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, err := Load(tc.payload, lim)
			if err != nil {
				t.Fatalf("load: %v", err)
			}
			if got, want := Dump(v, lim), Dump(tc.want, lim); !bytes.Equal(got, want) {
				t.Fatalf("loaded value dumps as\n%q\nwant\n%q", got, want)
			}
		})
	}
}

// TestStreamV1: a STREAM_LISTPACKS (v1) payload, without the first ID,
// the maximal deleted ID, entries added and groups' entries read, loads
// with Redis's derived values.
func TestStreamV1(t *testing.T) {
	v2, err := Load([]byte(redisVectors[6].payload), datatypes.DefaultEncodingLimits)
	if err != nil {
		t.Fatal(err)
	}
	s := v2.(*datatypes.Stream)
	var b []byte
	b = AppendLen(b, uint64(s.NodeCount()))
	s.EachNode(func(v datatypes.StreamNodeView) bool {
		b = AppendString(b, appendRawID(nil, v.Master()))
		b = AppendString(b, streamListpack(v))
		return true
	})
	b = appendID(AppendLen(b, s.Len()), s.LastID())
	b = AppendLen(b, 1)
	b = appendID(AppendString(b, []byte("grp")), datatypes.StreamID{Ms: 5, Seq: 1})
	b = AppendLen(AppendLen(b, 0), 0)
	v, err := Load(seal(TypeStreamListpacks, b), datatypes.DefaultEncodingLimits)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	got := v.(*datatypes.Stream)
	if got.Len() != 2 || got.EntriesAdded() != 2 || got.FirstID() != (datatypes.StreamID{Ms: 5, Seq: 1}) || !got.MaxDeletedID().IsZero() {
		t.Fatalf("len %d added %d first %v maxdel %v", got.Len(), got.EntriesAdded(), got.FirstID(), got.MaxDeletedID())
	}
	if cg := got.Groups().Get([]byte("grp")); cg == nil || cg.EntriesRead != 1 {
		t.Fatalf("group %+v", cg)
	}
}

// TestLoadRefuses: malformed payloads are ErrBadFormat, never a panic.
func TestLoadRefuses(t *testing.T) {
	lp := func(build func(*Listpack)) []byte {
		var l Listpack
		build(&l)
		return l.Bytes()
	}
	dupHash := lp(func(l *Listpack) {
		l.Append([]byte("f"))
		l.Append([]byte("v"))
		l.Append([]byte("f"))
		l.Append([]byte("w"))
	})
	badBacklen := lp(func(l *Listpack) { l.Append([]byte("abc")) })
	badBacklen[len(badBacklen)-2] = 9
	huge := binary.BigEndian.AppendUint64([]byte{0x81}, math.MaxUint64)
	for _, tc := range []struct {
		name    string
		payload []byte
	}{
		{"no type", Seal(nil)},
		{"unknown type", seal(8, []byte{0})},
		{"set listpack (7.2)", seal(20, AppendString(nil, lp(func(l *Listpack) { l.Append([]byte("a")) })))},
		{"module", seal(TypeModule2, []byte{0})},
		{"truncated string", seal(TypeString, []byte{40, 'a'})},
		{"empty list", seal(TypeList, []byte{0})},
		{"empty set", seal(TypeSet, []byte{0})},
		{"huge count", seal(TypeSet, huge)},
		{"huge string", seal(TypeString, huge)},
		{"duplicate member", seal(TypeSet, rdbStrings("a", "a"))},
		{"duplicate field", seal(TypeHashListpack, AppendString(nil, dupHash))},
		{"bad backlen", seal(TypeHashListpack, AppendString(nil, badBacklen))},
		{"odd hash", seal(TypeHashListpack, AppendString(nil, badBacklen[:0:0]))},
		{"nan score", seal(TypeZSet2, append(AppendString(AppendLen(nil, 1), []byte("a")), 0, 0, 0, 0, 0, 0, 0xf8, 0x7f))},
		{"lzf lie", seal(TypeString, []byte{0xC3, 2, 0x3f, 0xff, 0, 'a'})},
		{"intset unsorted", seal(TypeSetIntset, AppendString(nil, []byte{2, 0, 0, 0, 2, 0, 0, 0, 5, 0, 3, 0}))},
		{"quicklist bad container", seal(TypeListQuicklist2, []byte{1, 3, 1, 'a'})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Load(tc.payload, datatypes.DefaultEncodingLimits); err != ErrBadFormat {
				t.Fatalf("got %v, want ErrBadFormat", err)
			}
		})
	}
}

// TestTruncatedVectors: every prefix of each of Redis's payloads, sealed
// again, is refused or loads; none panics.
func TestTruncatedVectors(t *testing.T) {
	for _, tc := range redisVectors {
		body := []byte(tc.payload[:len(tc.payload)-FooterLen])
		for n := range len(body) {
			Load(Seal(append([]byte{}, body[:n]...)), datatypes.DefaultEncodingLimits)
		}
	}
}

// TestListNodes: a long list is split into quicklist nodes as Redis
// splits pushes at the tail (8 kB listpacks at fill -2).
func TestListNodes(t *testing.T) {
	l := datatypes.NewList()
	for i := range 3000 {
		l.PushBack([]byte("element-" + strconv.Itoa(i)))
	}
	p := Dump(l, datatypes.DefaultEncodingLimits)
	r := NewReader(p[1:])
	n, _ := r.Len()
	if n < 2 {
		t.Fatalf("%d nodes", n)
	}
	if st := l.Quicklist(-2); uint64(st.Nodes) != n {
		t.Fatalf("%d nodes, DEBUG OBJECT's estimate says %d", n, st.Nodes)
	}
	back, err := Load(p, datatypes.DefaultEncodingLimits)
	if err != nil || back.(*datatypes.List).Len() != 3000 {
		t.Fatalf("reload: %v", err)
	}
}

// TestLoadedValuesSurviveSnapshots: a restored value (a stream with a
// tombstone and a group included) comes back from its snapshot encoding
// with the same DUMP, so a node restarted from a snapshot holds what the
// others hold.
func TestLoadedValuesSurviveSnapshots(t *testing.T) {
	lim := datatypes.DefaultEncodingLimits
	for _, tc := range redisVectors {
		v, err := Load([]byte(tc.payload), lim)
		if err != nil {
			t.Fatal(err)
		}
		back, err := datatypes.DecodeValue(v.AppendEncoded(nil))
		if err != nil {
			t.Fatalf("%s: snapshot decode: %v", tc.name, err)
		}
		if got := Dump(back, lim); string(got) != tc.payload {
			t.Fatalf("%s: after a snapshot, DUMP gives\n%q\nwant\n%q", tc.name, got, tc.payload)
		}
	}
}

// TestLZFExpansionBounded: an LZF string that claims to expand past 512
// MiB is refused before anything is allocated for it, even when its
// compressed bytes could (by LZF's ratio) hold that much.
func TestLZFExpansionBounded(t *testing.T) {
	ulen := uint64(600 << 20)
	clen := ulen/133 + 1024
	b := AppendLen(AppendLen([]byte{TypeString, 0xC0 | encLZF}, clen), ulen)
	b = append(b, make([]byte, clen)...)
	p := Seal(b)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	if _, err := Load(p, datatypes.DefaultEncodingLimits); err != ErrBadFormat {
		t.Fatalf("got %v, want ErrBadFormat", err)
	}
	runtime.ReadMemStats(&after)
	if n := after.TotalAlloc - before.TotalAlloc; n > 64<<20 {
		t.Fatalf("allocated %d MiB for a %d KiB payload", n>>20, len(p)>>10)
	}
}
