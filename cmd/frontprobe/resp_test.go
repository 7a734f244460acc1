package main

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string // each command's arguments joined by spaces
		used int
		bad  bool
	}{
		{"one", "*1\r\n$4\r\nPING\r\n", []string{"PING"}, 14, false},
		{"two", "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n*1\r\n$4\r\nPING\r\n", []string{"GET k", "PING"}, 34, false},
		{"cut in a bulk", "*2\r\n$3\r\nGET\r\n$5\r\nab", nil, 0, false},
		{"cut in a header", "*2\r\n$3\r\nGET\r\n$", nil, 0, false},
		{"whole then cut", "*1\r\n$4\r\nPING\r\n*1\r\n", []string{"PING"}, 14, false},
		{"empty", "", nil, 0, false},
		{"inline", "PING\r\n", nil, 0, true},
		{"no CR", "*1\n$4\r\nPING\r\n", nil, 0, true},
		{"zero args", "*0\r\n", nil, 0, true},
		{"too many args", "*999999\r\n", nil, 0, true},
		{"negative bulk", "*1\r\n$-1\r\n", nil, 0, true},
		{"not a number", "*x\r\n", nil, 0, true},
		{"endless header", "*" + strings.Repeat("1", 64), nil, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmds, used, err := parse([]byte(tt.in), nil)
			if (err != nil) != tt.bad {
				t.Fatalf("err %v, want bad=%v", err, tt.bad)
			}
			var got []string
			for _, c := range cmds {
				parts := make([]string, len(c))
				for i, a := range c {
					parts[i] = string(a)
				}
				got = append(got, strings.Join(parts, " "))
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") || used != tt.used {
				t.Fatalf("got %q used %d, want %q used %d", got, used, tt.want, tt.used)
			}
		})
	}
}

// FuzzParse: any input parses without a panic, and what it consumed is
// within the input.
func FuzzParse(f *testing.F) {
	f.Add([]byte("*2\r\n$3\r\nGET\r\n$1\r\nk\r\n"))
	f.Add([]byte("*1\r\n$99\r\nab"))
	f.Fuzz(func(t *testing.T, in []byte) {
		_, used, _ := parse(in, nil)
		if used < 0 || used > len(in) {
			t.Fatalf("used %d of %d", used, len(in))
		}
	})
}
