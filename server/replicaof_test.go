package server

import "testing"

// TestFileReplicaOf: replicaof in a configuration file or on the command
// line, as Redis's loader takes or refuses it.
func TestFileReplicaOf(t *testing.T) {
	for _, tc := range []struct{ value, want, reason string }{
		{"127.0.0.1 6379", "127.0.0.1 6379", ""},
		{"redis.example 0", "redis.example 0", ""},
		{"no one", "", ""},
		{"NO ONE", "", ""},
		{"127.0.0.1 65536", "", "Invalid master port"},
		{"127.0.0.1 x", "", "Invalid master port"},
		{"127.0.0.1 -1", "", "Invalid master port"},
		{"127.0.0.1", "", "wrong number of arguments"},
		{"127.0.0.1 6379 1", "", "wrong number of arguments"},
	} {
		st := newSettings(Config{})
		apply, reason := fileReplicaOf(st, []byte(tc.value))
		if reason != tc.reason {
			t.Errorf("replicaof %q: refused %q, want %q", tc.value, reason, tc.reason)
			continue
		}
		if reason == "" {
			apply()
			if got := getReplicaOf(st); got != tc.want {
				t.Errorf("replicaof %q: CONFIG GET replicaof %q, want %q", tc.value, got, tc.want)
			}
		}
	}
}
