package main

import (
	"testing"
	"time"
)

// TestAnsweredWritesDeleteExpiredKeys: a call answered without a log entry
// because it changes nothing (a PFCOUNT of a valid count, a ZPOPMIN of a
// missing key) deletes the expired key it met, as Redis's lookup does: the
// same expired_keys and DBSIZE right after, on the same connection, on a
// node as on redis-server 7.0.15 (active expiry off on both).
func TestAnsweredWritesDeleteExpiredKeys(t *testing.T) {
	steps := [][]string{
		{"PFADD", "x", "a"}, {"PFCOUNT", "x"}, {"PEXPIRE", "x", "1"},
		{"ZADD", "z", "1", "a"}, {"PEXPIRE", "z", "1"},
	}
	sides := []namedAddr{{"redis", startRedisServer(t, "--enable-debug-command", "yes")}, {"geetcache", startNode(t).addr()}}
	for _, side := range sides {
		s := dialDiffSide(t, side.name, side.addr)
		mustRun(t, s, []string{"DEBUG", "SET-ACTIVE-EXPIRE", "0"})
		mustRun(t, s, []string{"CONFIG", "RESETSTAT"})
		for _, st := range steps {
			mustRun(t, s, st)
		}
		time.Sleep(5 * time.Millisecond) // both keys past their TTL
		for _, c := range []struct {
			args    []string
			want    string
			expired string
			dbsize  string
		}{
			{[]string{"PFCOUNT", "x"}, ":0\r\n", "1", ":1\r\n"},
			{[]string{"ZPOPMIN", "z"}, "*0\r\n", "2", ":0\r\n"},
		} {
			rep, err := s.roundTrip(c.args)
			if err != nil || string(rep.raw) != c.want {
				t.Fatalf("%s: %q = %q, %v; want %q", side.name, c.args, rep.raw, err, c.want)
			}
			info, err := s.roundTrip([]string{"INFO", "stats"})
			if err != nil {
				t.Fatal(err)
			}
			if got := infoLineOf(string(info.raw), "expired_keys"); got != c.expired {
				t.Errorf("%s: after %q, expired_keys %s, want %s", side.name, c.args, got, c.expired)
			}
			if rep, _ := s.roundTrip([]string{"DBSIZE"}); string(rep.raw) != c.dbsize {
				t.Errorf("%s: after %q, DBSIZE %q, want %q", side.name, c.args, rep.raw, c.dbsize)
			}
		}
		mustRun(t, s, []string{"DEBUG", "SET-ACTIVE-EXPIRE", "1"})
	}
}
