package server

import (
	"testing"
	"time"
)

func TestMonitorLine(t *testing.T) {
	at := time.Unix(1796413370, 678329000)
	tests := []struct {
		name string
		who  string
		args []string
		want string
	}{
		{"plain", "127.0.0.1:42502", []string{"set", "foo", "bar"}, `+1796413370.678329 [0 127.0.0.1:42502] "set" "foo" "bar"` + "\r\n"},
		{"lua", "lua", []string{"get", "foo"}, `+1796413370.678329 [0 lua] "get" "foo"` + "\r\n"},
		// as redis-server 7.0.15 shows SET "a\x01b\"c\\d" "é"
		{"escapes", "c", []string{"set", "a\x01b\"c\\d", "é", "\n\r\t\a\b"},
			`+1796413370.678329 [0 c] "set" "a\x01b\"c\\d" "\xc3\xa9" "\n\r\t\a\b"` + "\r\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			args := make([][]byte, len(tc.args))
			for i, a := range tc.args {
				args[i] = []byte(a)
			}
			if got := string(monitorLine(at, tc.who, args)); got != tc.want {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
	if got := string(monitorLine(time.Unix(5, 1000), "x", nil)); got != "+5.000001 [0 x]\r\n" {
		t.Errorf("microseconds are not padded: %q", got)
	}
}
