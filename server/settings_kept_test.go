package server

import "testing"

// TestKeptParse: the kept (and multi-argument) parameters' checks, as redis-server 7.0.15
// answered each (TestRedisParamsKept in cmd/geetcache sets every one
// beside a running redis-server).
func TestKeptParse(t *testing.T) {
	for _, tc := range []struct {
		name, value, want, reason string
	}{
		{"hz", "0", "1", ""},
		{"hz", "501", "500", ""},
		{"hz", "-1", "", "argument must be between 0 and 2147483647 inclusive"},
		{"activerehashing", "YES", "yes", ""},
		{"activerehashing", "maybe", "", "argument must be 'yes' or 'no'"},
		{"active-defrag-ignore-bytes", "1kb", "1024", ""},
		{"active-defrag-ignore-bytes", "0", "", "argument must be between 1 and 9223372036854775807 inclusive"},
		{"auto-aof-rewrite-min-size", "-1", "", "argument must be a memory value"},
		{"cluster-link-sendbuf-limit", "99999999999999999999", "18446744073709551615", ""},
		{"repl-diskless-load", "SWAPDB", "swapdb", ""},
		{"repl-diskless-load", "bad", "", "argument(s) must be one of the following: disabled, on-empty-db, swapdb"},
		{"unixsocketperm", "700", "700", ""},
		{"unixsocketperm", "1000", "", "argument must be between 0 and 777 inclusive"},
		{"appendfilename", "a/b", "", "appendfilename can't be a path, just a filename"},
		{"appenddirname", "", "", "appenddirname can't be empty"},
		{"cluster-announce-hostname", "bad_host!", "", "Hostnames may only contain alphanumeric characters, hyphens or dots"},
		{"oom-score-adj-values", "+5 00 -0", "5 0 0", ""},
		{"oom-score-adj-values", " 1  2 3 ", "", "wrong number of arguments"},
		{"oom-score-adj-values", "1  2", "1 0 2", ""},
		{"oom-score-adj-values", "0 200 3000", "", "Invalid oom-score-adj-values, elements must be between -2000 and 2000."},
		{"save", "900  1", "", "Invalid save parameters"},
		{"save", " 900 1", "", "Invalid save parameters"},
		{"save", "", "", ""},
		{"latency-tracking-info-percentiles", "50  99", "", "Invalid latency-tracking-info-percentiles parameters"},
		{"latency-tracking-info-percentiles", "", "", ""},
		{"proc-title-template", "x", "x", ""},
		{"proc-title-template", "{title}", "", "template format is invalid or contains unknown variables"},
		{"proc-title-template", "{title} {port}", "{title} {port}", ""},
		{"proc-title-template", "{nosuch} x", "", "template format is invalid or contains unknown variables"},
	} {
		st := newSettings(Config{})
		p := lookupParam([]byte(tc.name))
		apply, reason := p.set(st, []byte(tc.value))
		if reason != tc.reason {
			t.Errorf("%s %q: reason %q, want %q", tc.name, tc.value, reason, tc.reason)
			continue
		}
		if reason != "" {
			continue
		}
		apply()
		if got := p.get(st); got != tc.want {
			t.Errorf("%s %q: kept %q, want %q", tc.name, tc.value, got, tc.want)
		}
	}
}
