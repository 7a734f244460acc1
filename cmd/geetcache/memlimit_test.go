package main

import (
	"strings"
	"testing"
)

func TestSmallestCgroupLimit(t *testing.T) {
	files := map[string]int64{
		"/sys/fs/cgroup/memory/a/b/memory.limit_in_bytes": 3 << 30,
		"/sys/fs/cgroup/memory/a/memory.limit_in_bytes":   2 << 30,
		"/sys/fs/cgroup/memory/c/memory.limit_in_bytes":   5 << 30,
		"/sys/fs/cgroup/svc/memory.max":                   1 << 30,
	}
	read := func(file string) int64 { return files[file] }
	cases := []struct {
		name, procCgroup string
		want             int64
	}{
		{"v1, parent smaller", "4:memory:/a/b\n3:cpu:/x\n", 2 << 30},
		{"v1, combined controllers", "7:cpu,memory:/c\n", 5 << 30},
		{"v1, no limit", "4:memory:/none\n", 0},
		{"v2", "0::/svc\n", 1 << 30},
		{"v2 with a namespaced root", "0::/\n", 0},
		{"not memory", "4:cpu:/a/b\n", 0},
		{"garbage", "nonsense\n", 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := smallestLimit(strings.NewReader(tc.procCgroup), read); got != tc.want {
				t.Errorf("smallestLimit = %d, want %d", got, tc.want)
			}
		})
	}
}
