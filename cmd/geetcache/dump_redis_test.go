package main

import (
	"context"
	"encoding/binary"
	"math"
	"strings"
	"testing"

	"github.com/geetcache/geetcache/datatypes/rdb"
)

// TestRestoreRepliesMatchRedis: DUMP and RESTORE's replies, errors in
// Redis's order (options, existing key, TTL, footer, body) and TTL
// handling, byte for byte as redis-server 7.0.15's, alone and in MULTI
// (where the payload is judged in the state machine, not at the door).
func TestRestoreRepliesMatchRedis(t *testing.T) {
	redisAddr := startRedisServer(t)
	n := startNode(t)
	p := newDiffPair(t, 2, redisAddr, n.addr())
	requireRedis70(t, p.redis)
	good := "\x00\x0bhello world\n\x00\x0b\xfcI\xb9\xa6\xc7\xa04"  // Redis's DUMP of "hello world"
	newer := append([]byte(good[:len(good)-rdb.FooterLen]), 11, 0) // RDB version 11 (Redis 7.2)
	newer = binary.LittleEndian.AppendUint64(newer, rdb.CRC64(0, newer))
	bad := string(rdb.Seal([]byte{rdb.TypeString, 40, 'a'}))
	intoFooter := string(rdb.Seal([]byte{rdb.TypeString, 5, 'a'})) // Redis reads the footer's bytes
	setListpack := string(rdb.Seal([]byte{20, 8, 8, 0, 0, 0, 1, 0, 0x81, 'a', 2, 0xff}[:12]))
	emptyList := string(rdb.Seal([]byte{rdb.TypeListQuicklist2, 0}))
	p.requireSame(t, "RESTORE", [][]string{
		{"SET", "foo", "bar"}, {"DUMP", "foo"}, {"DUMP", "nokey"},
		{"RESTORE", "foo", "0", good}, {"RESTORE", "foo", "0", "..."}, {"RESTORE", "foo", "-1", good},
		{"RESTORE", "foo", "0", "...", "invalid-option"}, {"RESTORE", "foo", "0", bad, "idletime"},
		{"RESTORE", "new", "-1", good}, {"RESTORE", "new", "abc", good}, {"RESTORE", "new", "0", "..."},
		{"RESTORE", "new", "0", string(newer)}, {"RESTORE", "new", "0", bad}, {"RESTORE", "new", "0", setListpack},
		{"RESTORE", "new", "0", emptyList}, {"RESTORE", "new", "0"}, {"RESTORE", "tail", "0", intoFooter}, {"GET", "tail"},
		{"RESTORE", "new", "0", good, "IDLETIME", "-1"}, {"RESTORE", "new", "0", good, "IDLETIME", "x"},
		{"RESTORE", "new", "0", good, "FREQ", "256"}, {"RESTORE", "new", "0", good, "FREQ", "-1"},
		{"RESTORE", "new", "0", good, "FREQ", "1", "IDLETIME", "1"}, {"RESTORE", "new", "0", good, "IDLETIME", "1", "FREQ", "1"},
		{"RESTORE", "new", "0", good, "IDLETIME", "5"}, {"GET", "new"}, {"TTL", "new"},
		{"RESTORE", "new", "0", good, "REPLACE", "FREQ", "3"}, {"GET", "new"},
		{"RESTORE", "new", "1", good, "ABSTTL", "REPLACE"}, {"EXISTS", "new"},
		{"RESTORE", "new", "100000", good}, {"TTL", "new"},
		{"RESTORE", "abs", "99999999999999", good, "absttl"}, {"PEXPIRETIME", "abs"},
		{"RESTORE", "foo", "0", good, "replace", "absttl"}, {"GET", "foo"}, {"TTL", "foo"},
		{"DEL", "foo"}, {"MULTI"}, {"RESTORE", "foo", "0", bad}, {"RESTORE", "foo", "0", good}, {"EXEC"},
		{"MULTI"}, {"RESTORE", "foo", "0", "..."}, {"RESTORE", "foo", "0", "...", "nope"}, {"EXEC"},
	})
}

// TestRestoreRefusedAtDoor: a RESTORE whose payload does not decode is
// answered where it arrives and never reaches the Raft log (the last log
// index does not move), while a good one does; a hostile payload (huge
// claimed lengths, an LZF length lie) gets "Bad data format".
func TestRestoreRefusedAtDoor(t *testing.T) {
	n := startNode(t)
	c := n.Client()
	ctx := context.Background()
	lastIndex := func() string {
		info, err := c.Info(ctx, "raft").Result()
		if err != nil {
			t.Fatal(err)
		}
		_, rest, _ := strings.Cut(info, "raft_last_log_index:")
		v, _, _ := strings.Cut(rest, "\r\n")
		return v
	}
	// The node records its own client address through the log soon after
	// it leads (announceLoop); under load that entry could land between
	// the two readings below.
	waitForAddrs(t, []*node{n})
	huge := binary.BigEndian.AppendUint64([]byte{rdb.TypeSet, 0x81}, math.MaxUint64)
	hostile := [][]byte{
		rdb.Seal(huge),
		rdb.Seal([]byte{rdb.TypeString, 0xC3, 2, 0x3f, 0xff, 0, 'a'}),
		rdb.Seal([]byte{rdb.TypeStream2, 0x81, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}),
		rdb.Seal([]byte{rdb.TypeListQuicklist2, 1, 2, 0x80, 0xff, 0xff, 0xff, 0xff}),
	}
	before := lastIndex()
	for i, p := range hostile {
		if err := c.Do(ctx, "RESTORE", "k", "0", p).Err(); err == nil || err.Error() != "ERR Bad data format" {
			t.Fatalf("payload %d: %v", i, err)
		}
	}
	if after := lastIndex(); after != before {
		t.Fatalf("refused payloads moved the last log index from %s to %s", before, after)
	}
	good := rdb.Seal([]byte{rdb.TypeString, 2, 'o', 'k'})
	if err := c.Do(ctx, "RESTORE", "k", "0", good).Err(); err != nil {
		t.Fatal(err)
	}
	if after := lastIndex(); after == before {
		t.Fatal("a good RESTORE did not reach the log")
	}
}
