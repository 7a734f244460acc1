package protocol

import (
	"strings"
	"testing"
)

func TestNotifyFlagsParseAndRender(t *testing.T) {
	// Renderings checked against redis-server 7.0.15's CONFIG GET.
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"KA", "AK"},
		{"EA", "AE"},
		{"gKE", "gKE"},
		{"$lshzxeKE", "$lshzxeKE"},
		{"AKEm", "AKEm"},
		{"g$lshzxetdn", "A"}, // A hides n
		{"nK", "nK"},
		{"Ex", "xE"},
		{"KEAn", "AKE"},
		{"tdm", "tdm"},
	} {
		f, ok := ParseNotifyFlags([]byte(tc.in))
		if !ok || f.String() != tc.want {
			t.Errorf("%q: got %q (ok %v), want %q", tc.in, f.String(), ok, tc.want)
		}
	}
	for _, bad := range []string{"Q", "KEAq", " ", "a"} {
		if _, ok := ParseNotifyFlags([]byte(bad)); ok {
			t.Errorf("%q: parsed, want refused", bad)
		}
	}
	if f, _ := ParseNotifyFlags([]byte("An")); f&NotifyNew == 0 {
		t.Error("An lost n")
	}
}

// eventLog is a Publisher that records "channel message" lines.
type eventLog struct{ got []string }

func (l *eventLog) Publish(channel, msg []byte, shard bool) int {
	l.got = append(l.got, string(channel)+" "+string(msg))
	return 0
}

// TestKeyspaceEvents runs commands with every class enabled on the
// keyevent channel and compares the events with those redis-server
// 7.0.15 publishes for the same commands.
func TestKeyspaceEvents(t *testing.T) {
	for _, tc := range []struct {
		name string
		cmds []string
		want string // "event:key ..." of the last command
	}{
		{"set new", []string{"SET k v"}, "new:k set:k"},
		{"set existing with ttl", []string{"SET k v", "SET k w EX 100"}, "set:k expire:k"},
		{"set keepttl", []string{"SET k v EX 100", "SET k w KEEPTTL"}, "set:k"},
		{"set nx refused", []string{"SET k v", "SET k w NX"}, ""},
		{"mset", []string{"MSET a 1 b 2"}, "new:a set:a new:b set:b"},
		{"incr", []string{"INCR n"}, "new:n incrby:n"},
		{"getdel", []string{"SET k v", "GETDEL k"}, "del:k"},
		{"getex persist no ttl", []string{"SET k v", "GETEX k PERSIST"}, ""},
		{"getex past", []string{"SET k v", "GETEX k PXAT 1"}, "del:k"},
		{"append", []string{"APPEND k v"}, "new:k append:k"},
		{"setrange empty", []string{"SET k v", "SETRANGE k 0 \"\""}, ""},
		{"lpush then pop all", []string{"RPUSH l a", "LPOP l"}, "lpop:l del:l"},
		{"lmove", []string{"RPUSH s a", "LMOVE s d LEFT RIGHT"}, "new:d rpush:d lpop:s del:s"},
		{"blmpop served", []string{"RPUSH l a b", "BLMPOP 0 1 l RIGHT COUNT 2"}, "rpop:l del:l"},
		{"ltrim nothing", []string{"RPUSH l a", "LTRIM l 0 -1"}, "ltrim:l"},
		{"lrem none", []string{"RPUSH l a", "LREM l 0 b"}, ""},
		{"hdel last", []string{"HSET h f v", "HDEL h f x"}, "hdel:h del:h"},
		{"hsetnx exists", []string{"HSET h f v", "HSETNX h f w"}, ""},
		{"smove dst has it", []string{"SADD s a b", "SADD d a", "SMOVE s d a"}, "srem:s"},
		{"smove", []string{"SADD s a", "SMOVE s d a"}, "srem:s del:s new:d sadd:d"},
		{"spop count all", []string{"SADD s a b", "SPOP s 5"}, "spop:s del:s"},
		{"sunionstore empty", []string{"SET d x", "SUNIONSTORE d nokey"}, "del:d"},
		{"zincrby", []string{"ZINCRBY z 1 m"}, "new:z zincr:z"},
		{"zadd nothing", []string{"ZADD z 1 m", "ZADD z NX 2 m"}, ""},
		{"zpopmin", []string{"ZADD z 1 a 2 b", "ZPOPMIN z 2"}, "zpopmin:z del:z"},
		{"zremrangebyscore", []string{"ZADD z 1 a 2 b", "ZREMRANGEBYSCORE z 1 1"}, "zremrangebyscore:z"},
		{"zrangestore", []string{"ZADD z 1 a", "ZRANGESTORE d z 0 -1"}, "new:d zrangestore:d"},
		{"rename", []string{"SET a 1", "SET b 2", "RENAME a b"}, "new:b rename_from:a rename_to:b"},
		{"copy replace", []string{"SET a 1", "SET b 2", "COPY a b REPLACE"}, "new:b copy_to:b"},
		{"expire past", []string{"SET k v", "PEXPIREAT k 1"}, "del:k"},
		{"persist", []string{"SET k v EX 100", "PERSIST k"}, "persist:k"},
		{"setbit unchanged", []string{"SETBIT b 7 1", "SETBIT b 7 1"}, ""},
		{"bitfield unchanged", []string{"SET b abc", "BITFIELD b SET u8 0 97"}, ""},
		{"bitop empty", []string{"SET d x", "BITOP OR d nokey"}, "del:d"},
		{"pfadd unchanged", []string{"PFADD p a", "PFADD p a"}, ""},
		{"pfmerge", []string{"PFMERGE p"}, "new:p pfadd:p"},
		{"xadd trim", []string{"XADD x 1-1 f v", "XADD x MAXLEN 1 2-1 f v"}, "xadd:x xtrim:x"},
		{"xgroup mkstream", []string{"XGROUP CREATE x g $ MKSTREAM"}, "new:x xgroup-create:x"},
		{"xreadgroup new consumer", []string{"XADD x 1-1 f v", "XGROUP CREATE x g 0", "XREADGROUP GROUP g c STREAMS x >"}, "xgroup-createconsumer:x"},
		{"sort store", []string{"RPUSH l 2 1", "SORT l STORE d"}, "new:d sortstore:d"},
		{"del two", []string{"SET a 1", "DEL a b"}, "del:a"},
		{"geoadd", []string{"GEOADD g 13.36 38.11 a"}, "new:g zadd:g"},
		{"geoadd nothing", []string{"GEOADD g 13.36 38.11 a", "GEOADD g NX 13.36 38.11 a"}, ""},
		{"geosearchstore", []string{"GEOADD g 13.36 38.11 a", "GEOSEARCHSTORE d g FROMLONLAT 13.36 38.11 BYRADIUS 10 km"}, "new:d geosearchstore:d"},
		{"georadius store missing", []string{"SET d x", "GEORADIUS nokey 0 0 10 km STORE d"}, "del:d"},
		{"georadiusbymember storedist", []string{"GEOADD g 13.36 38.11 a", "SET d x", "GEORADIUSBYMEMBER g a 10 km STOREDIST d"}, "georadiusstore:d"},
		{"geosearchstore empty", []string{"GEOADD g 13.36 38.11 a", "SET d x", "GEOSEARCHSTORE d g FROMLONLAT 0 0 BYRADIUS 1 km"}, "del:d"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			log := &eventLog{}
			h.events = &Events{Pub: log, Flags: NotifyAll | NotifyNew | NotifyKeyevent}
			h.ks.Observe(DBEvents{Ev: h.events})
			for _, cmd := range tc.cmds {
				log.got = log.got[:0]
				h.do(splitTestArgs(cmd)...)
			}
			var got []string
			for _, line := range log.got {
				ch, key, _ := strings.Cut(line, " ")
				got = append(got, strings.TrimPrefix(ch, "__keyevent@0__:")+":"+key)
			}
			if g := strings.Join(got, " "); g != tc.want {
				t.Errorf("%v: got %q, want %q", tc.cmds, g, tc.want)
			}
		})
	}
}

// splitTestArgs splits on spaces; "" is an empty argument.
func splitTestArgs(s string) []string {
	args := strings.Fields(s)
	for i, a := range args {
		if a == `""` {
			args[i] = ""
		}
	}
	return args
}

func TestKeyspaceEventChannels(t *testing.T) {
	log := &eventLog{}
	ev := &Events{Pub: log, Flags: NotifyKeyspace | NotifyKeyevent | NotifyString}
	ev.Notify(0, NotifyString, "set", []byte("k"))
	ev.Notify(0, NotifyList, "lpush", []byte("k")) // class off
	DBEvents{Ev: ev}.KeyExpired("k")               // class off
	ev.Notify(12, NotifyString, "set", []byte("k"))
	want := "__keyspace@0__:k set|__keyevent@0__:set k|__keyspace@12__:k set|__keyevent@12__:set k"
	if got := strings.Join(log.got, "|"); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	var none *Events
	none.Notify(0, NotifyString, "set", []byte("k")) // nil publishes nothing
}

// TestSmoveKeepsDestinationStamp: SMOVE of a member the destination holds
// does not count as a change of the destination (Redis's WATCH, and
// unit/type/set's "SMOVE only notify dstset when the addition is
// successful").
func TestSmoveKeepsDestinationStamp(t *testing.T) {
	h := newHarness(t)
	h.ks.SetStamp(1)
	h.check([][2]string{{"SADD src a b", ":2|"}, {"SADD dst a", ":1|"}})
	h.ks.SetStamp(2)
	h.check([][2]string{{"SMOVE src dst a", ":1|"}})
	if e := h.ks.Lookup("dst", h.now); e == nil || e.Mod() != 1 {
		t.Fatalf("dst stamp changed by an SMOVE that added nothing: %+v", e)
	}
	h.check([][2]string{{"SMOVE src dst b", ":1|"}})
	if e := h.ks.Lookup("dst", h.now); e.Mod() != 2 {
		t.Fatalf("dst stamp %d after an SMOVE that added, want 2", e.Mod())
	}
}

func TestFormatNotifyFlagsRoundTrips(t *testing.T) {
	for _, in := range []string{"", "KEA", "An", "AKEmn", "g$lshzxetdnKEm", "Ex", "m"} {
		f, _ := ParseNotifyFlags([]byte(in))
		back, ok := ParseNotifyFlags([]byte(FormatNotifyFlags(f)))
		if !ok || back != f {
			t.Errorf("%q: stored as %q, parsed back as %q", in, FormatNotifyFlags(f), back)
		}
	}
}
