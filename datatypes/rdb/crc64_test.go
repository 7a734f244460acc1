package rdb

import "testing"

func TestCRC64(t *testing.T) {
	// Redis's crc64.c self-test values.
	for _, tc := range []struct {
		in   string
		want uint64
	}{
		{"123456789", 0xe9c6d914c4b8d9ca},
		// The body of a FUNCTION DUMP from redis-server 7.0.15, whose
		// footer ends with this CRC (little endian: 10 dd 1f ac 27 ea 65 23).
		{"\xf5@D#!LUA name=t1\nredis.register_function(\"f1\", function() return 1 end)\n\x00", 0x2365ea27ac1fdd10},
		{"", 0},
	} {
		if got := CRC64(0, []byte(tc.in)); got != tc.want {
			t.Errorf("crc64(%q) = %#x, want %#x", tc.in, got, tc.want)
		}
	}
}
