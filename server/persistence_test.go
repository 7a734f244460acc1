package server

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestSave(t *testing.T) {
	ts := startTestServer(t)
	r := dialRaw(t, ts.addr)
	before := r.do("LASTSAVE")
	if want := ":" + strconv.FormatInt(ts.srv.started.Unix(), 10) + "\r\n"; before != want {
		t.Errorf("LASTSAVE before any save = %q, want the start time %q", before, want)
	}
	r.do("SET", "a", "1")
	runExchanges(t, r, []exchange{
		{"save", []string{"SAVE"}, "+OK\r\n"},
		{"save, nothing new", []string{"SAVE"}, "+OK\r\n"},
		{"save arity", []string{"SAVE", "x"}, "-ERR wrong number of arguments for 'save' command\r\n"},
		{"bgsave bad option", []string{"BGSAVE", "foo"}, "-ERR syntax error\r\n"},
		{"bgsave too many", []string{"BGSAVE", "SCHEDULE", "x"}, "-ERR syntax error\r\n"},
		{"lastsave arity", []string{"LASTSAVE", "x"}, "-ERR wrong number of arguments for 'lastsave' command\r\n"},
	})
	r.do("SET", "a", "2")
	if got := r.do("BGSAVE", "SCHEDULE"); got != "+Background saving started\r\n" && got != "-ERR Background save already in progress\r\n" {
		t.Fatalf("BGSAVE = %q", got)
	}
	deadline := time.Now().Add(10 * time.Second)
	for strings.Contains(infoBody(t, r.do("INFO", "persistence")), "rdb_bgsave_in_progress:1") {
		if time.Now().After(deadline) {
			t.Fatal("BGSAVE never finished")
		}
		time.Sleep(10 * time.Millisecond)
	}
	info := infoBody(t, r.do("INFO", "persistence"))
	for _, want := range []string{"rdb_last_bgsave_status:ok\r\n", "rdb_saves:3\r\n", "rdb_current_bgsave_time_sec:-1\r\n"} {
		if !strings.Contains(info, want) {
			t.Errorf("INFO persistence lacks %q:\n%s", want, info)
		}
	}
}
