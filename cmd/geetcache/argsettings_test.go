package main

import (
	"io"
	"reflect"
	"strings"
	"testing"
)

// TestSettingsOnCommandLine: CONFIG parameters on the command line, as
// redis-server takes them, beside the flags and after a file's.
func TestSettingsOnCommandLine(t *testing.T) {
	noEnv := func(string) string { return "" }
	file := writeConf(t, "hz 30\nmaxclients 5\n")
	for _, tc := range []struct {
		name string
		args []string
		want [][2]string
		port int
		err  string
	}{
		{"empty value", []string{"--save", "", "--appendonly", "yes"}, [][2]string{{"save", ""}, {"appendonly", "yes"}}, 6379, ""},
		{"several words", []string{"--save", "900", "1", "300", "10", "--port", "7001"}, [][2]string{{"save", "900 1 300 10"}}, 7001, ""},
		{"with =", []string{"--hz=20", "-port", "7002"}, [][2]string{{"hz", "20"}}, 7002, ""},
		{"flag between", []string{"-port", "7003", "--tcp-keepalive", "60", "--bind", "127.0.0.1"}, [][2]string{{"tcp-keepalive", "60"}}, 7003, ""},
		{"after the file's", []string{file, "--hz", "20"}, [][2]string{{"hz", "30"}, {"maxclients", "5"}, {"hz", "20"}}, 6379, ""},
		{"file after flags", []string{"--bind", "0.0.0.0", "--dir", "/data", file, "--port", "7004", "--hz", "20"},
			[][2]string{{"hz", "30"}, {"maxclients", "5"}, {"hz", "20"}}, 7004, ""},
		{"two files", []string{file, file}, nil, 0, `unexpected argument`},
		{"bad value", []string{"--hz", "abc"}, nil, 0, `invalid value "abc" for --hz: argument couldn't be parsed into an integer`},
		{"immutable", []string{"--cluster-enabled", "yes"}, nil, 0, `invalid value "yes" for --cluster-enabled: can't set immutable config`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseConfig(tc.args, noEnv, io.Discard)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got.settings, tc.want) || got.port != tc.port {
				t.Errorf("settings %q, port %d; want %q, %d", got.settings, got.port, tc.want, tc.port)
			}
		})
	}
	n := startNode(t, "--appendonly", "yes", "--save", "", "--tcp-keepalive", "60", "--hz", "20")
	c := n.Client(noRetries)
	for name, want := range map[string]string{"appendonly": "yes", "save": "", "tcp-keepalive": "60", "hz": "20"} {
		if got := configGet(c, name); got != want {
			t.Errorf("CONFIG GET %s: %q, want %q", name, got, want)
		}
	}
}
