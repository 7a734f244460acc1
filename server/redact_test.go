package server

import (
	"strings"
	"testing"
)

// The redactions are redis-server 7.0.15's (its SLOWLOG GET after each
// command).
func TestRedactArgs(t *testing.T) {
	cases := []struct{ in, want string }{
		{"AUTH x y", "AUTH (redacted) (redacted)"},
		{"auth onlypass", "auth (redacted)"},
		{"HELLO 2 AUTH u p", "HELLO 2 AUTH (redacted) (redacted)"},
		{"HELLO 3 SETNAME n AUTH u p", "HELLO 3 SETNAME n AUTH (redacted) (redacted)"},
		{"HELLO 3 AUTH u", "HELLO 3 AUTH u"},
		{"ACL SETUSER zz on >pw ~*", "ACL SETUSER (redacted) (redacted) (redacted) (redacted)"},
		{"ACL DELUSER zz", "ACL DELUSER zz"},
		{"CONFIG SET requirepass s maxmemory 1 masterauth m masteruser u", "CONFIG SET requirepass (redacted) maxmemory 1 masterauth (redacted) masteruser (redacted)"},
		{"CONFIG GET requirepass", "CONFIG GET requirepass"},
		{"MIGRATE h 1 k 0 10 AUTH pw2", "MIGRATE h 1 k 0 10 AUTH (redacted)"},
		{"MIGRATE h 1  0 10 COPY AUTH2 us pw3 KEYS k", "MIGRATE h 1  0 10 COPY AUTH2 (redacted) (redacted) KEYS k"},
		{"RAFT AUTH app 0123", "RAFT AUTH (redacted) (redacted)"},
		{"GET auth", "GET auth"},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			var args [][]byte
			for _, a := range strings.Split(tc.in, " ") {
				args = append(args, []byte(a))
			}
			orig := strings.Join(strings.Split(tc.in, " "), " ")
			var got []string
			for _, a := range redactArgs(args) {
				got = append(got, string(a))
			}
			if g := strings.Join(got, " "); g != tc.want {
				t.Fatalf("got %q, want %q", g, tc.want)
			}
			var after []string
			for _, a := range args {
				after = append(after, string(a))
			}
			if strings.Join(after, " ") != orig {
				t.Fatal("redactArgs changed its argument")
			}
		})
	}
}
