package main

import (
	"testing"

	"github.com/geetcache/geetcache/datatypes/rdb"
)

func TestExpiredIn(t *testing.T) {
	for _, c := range []struct {
		r    rdb.FileRecord
		want bool
	}{
		{rdb.FileRecord{Key: []byte("k")}, false},
		{rdb.FileRecord{Key: []byte("k"), ExpireAt: 999}, true},
		{rdb.FileRecord{Key: []byte("k"), ExpireAt: 1000}, true},
		{rdb.FileRecord{Key: []byte("k"), ExpireAt: 1001}, false},
		{rdb.FileRecord{ExpireAt: 1}, false}, // a library
	} {
		if got := expiredIn(c.r, 1000); got != c.want {
			t.Errorf("expiredIn(%+v, 1000) = %v, want %v", c.r, got, c.want)
		}
	}
}
