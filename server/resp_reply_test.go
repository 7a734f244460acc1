package server

import (
	"bufio"
	"strings"
	"testing"
	"testing/iotest"
)

func TestReadReply(t *testing.T) {
	tests := []struct {
		name, in string
		ok       bool
	}{
		{"status", "+OK\r\n", true},
		{"error", "-ERR x\r\n", true},
		{"int", ":-12\r\n", true},
		{"bulk", "$5\r\nhe\r\nl\r\n", true},
		{"null bulk", "$-1\r\n", true},
		{"null resp3", "_\r\n", true},
		{"array", "*2\r\n$1\r\na\r\n:1\r\n", true},
		{"null array", "*-1\r\n", true},
		{"map", "%1\r\n+k\r\n*1\r\n,1.5\r\n", true},
		{"set and verbatim", "~2\r\n=7\r\ntxt:abc\r\n#t\r\n", true},
		{"no CR", "+OK\n", false},
		{"unknown type", "?x\r\n", false},
		{"bad length", "$x\r\n", false},
		{"truncated bulk", "$5\r\nab", false},
		{"truncated array", "*3\r\n:1\r\n", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rd := bufio.NewReader(iotest.OneByteReader(strings.NewReader(tc.in)))
			got, err := readReply(rd, nil)
			if (err == nil) != tc.ok {
				t.Fatalf("err = %v, want ok=%v", err, tc.ok)
			}
			if tc.ok && string(got) != tc.in {
				t.Fatalf("got %q, want the input back", got)
			}
		})
	}
}
