package cluster

import (
	"testing"
	"time"
)

func TestLeaderClock(t *testing.T) {
	const s = int64(time.Second)
	type obs struct {
		term            uint64
		appended, local int64 // seconds from a base
		transitNs       int64
	}
	base := int64(1_800_000_000) * s
	tests := []struct {
		name   string
		obs    []obs
		at     int64 // seconds from base
		want   int64
		wantOK bool
	}{
		{"none", nil, 0, 0, false},
		{"least transit", []obs{{1, 0, 0, 300}, {1, 1, 1, 20}, {1, 2, 2, 90}}, 3, 20, true},
		{"clock ahead", []obs{{1, 0, 5, 40}, {1, 1, 6, 25}}, 7, 5*s + 25, true},
		{"a new term starts afresh", []obs{{1, 0, 0, 10}, {2, 1, 1, 70}}, 2, 70, true},
		{"the previous span counts", []obs{{1, 0, 0, 10}, {1, 11, 11, 70}}, 12, 10, true},
		{"two spans ago does not", []obs{{1, 0, 0, 10}, {1, 11, 11, 70}, {1, 22, 22, 50}}, 23, 50, true},
		{"stale", []obs{{1, 0, 0, 10}}, 21, 0, false},
		{"unknown append time", []obs{{1, -1, 0, 0}}, 1, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var k leaderClock
			for _, o := range tt.obs {
				appended := base + o.appended*s
				if o.appended < 0 {
					appended = 0
				}
				k.observe(o.term, appended, base+o.local*s+o.transitNs)
			}
			got, ok := k.ahead(base + tt.at*s)
			if ok != tt.wantOK || (ok && got != tt.want) {
				t.Fatalf("ahead = %d, %v; want %d, %v", got, ok, tt.want, tt.wantOK)
			}
		})
	}
}
