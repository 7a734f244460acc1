package main

import (
	"io"
	"testing"
	"time"
)

// TestInlineCommands sends commands in the inline form (what telnet and
// redis-cli's piped mode may send) on one connection, in order.
func TestInlineCommands(t *testing.T) {
	c := startNode(t).Dial()
	cases := []struct {
		name string
		send string
		want string
	}{
		{"ping", "PING\r\n", "+PONG\r\n"},
		{"ping with a bare newline", "PING\n", "+PONG\r\n"},
		{"quoted argument", "SET k \"a b\"\r\n", "+OK\r\n"},
		{"get the quoted value", "GET k\r\n", "$3\r\na b\r\n"},
		{"escapes in double quotes", "SET e \"x\\ty\\x41\"\r\nGET e\r\n", "+OK\r\n$4\r\nx\tyA\r\n"},
		{"single quotes", "SET s 'a \\' b'\r\nGET s\r\n", "+OK\r\n$5\r\na ' b\r\n"},
		{"empty lines are ignored", "\r\n\r\nPING\r\n", "+PONG\r\n"},
		{"unknown command", "NOPE a b\r\n", "-ERR unknown command 'NOPE', with args beginning with: 'a' 'b' \r\n"},
		// Last: a protocol error closes the connection.
		{"closing quote followed by a letter", "SET s 'it''s'\r\n", "-ERR Protocol error: unbalanced quotes in request\r\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c.SetDeadline(time.Now().Add(5 * time.Second))
			if _, err := c.Write([]byte(tc.send)); err != nil {
				t.Fatalf("write: %v", err)
			}
			got := make([]byte, len(tc.want))
			if _, err := io.ReadFull(c, got); err != nil {
				t.Fatalf("read %q so far: %v", got, err)
			}
			if string(got) != tc.want {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}
}
