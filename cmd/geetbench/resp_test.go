package main

import (
	"bufio"
	"strings"
	"testing"
	"time"
)

func TestSkipReply(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		wantErr  bool
	}{
		{"status", "+OK\r\n", false},
		{"integer", ":1\r\n", false},
		{"bulk", "$3\r\nabc\r\n", false},
		{"null bulk", "$-1\r\n", false},
		{"array", "*2\r\n$1\r\na\r\n:2\r\n", false},
		{"null array", "*-1\r\n", false},
		{"error", "-ERR no\r\n", true},
		{"bad bulk length", "$x\r\n", true},
		{"negative bulk length", "$-2\r\n", true},
		{"no CR", "+OK\n", true},
		{"unknown type", "?1\r\n", true},
		{"truncated bulk", "$5\r\nab", true},
		{"too deep", strings.Repeat("*1\r\n", maxDepth+2) + ":1\r\n", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := skipReply(bufio.NewReader(strings.NewReader(tc.in)))
			if (err != nil) != tc.wantErr {
				t.Fatalf("skipReply(%q) = %v, want error %v", tc.in, err, tc.wantErr)
			}
		})
	}
}

func TestAppendCommand(t *testing.T) {
	got := string(appendCommand(nil, "WAIT", "1", "0"))
	if want := "*3\r\n$4\r\nWAIT\r\n$1\r\n1\r\n$1\r\n0\r\n"; got != want {
		t.Fatalf("appendCommand = %q, want %q", got, want)
	}
}

func TestPercentile(t *testing.T) {
	var lat []time.Duration
	for i := 1; i <= 1000; i++ {
		lat = append(lat, time.Duration(i))
	}
	for _, tc := range []struct {
		p    float64
		want time.Duration
	}{{50, 500}, {99, 990}, {99.9, 999}, {100, 1000}, {0, 1}} {
		if got := percentile(lat, tc.p); got != tc.want {
			t.Errorf("percentile(%v) = %v, want %v", tc.p, got, tc.want)
		}
	}
	if got := percentile(nil, 50); got != 0 {
		t.Errorf("percentile of nothing = %v, want 0", got)
	}
}

func TestSplit(t *testing.T) {
	q := split(10, 3)
	if q[0]+q[1]+q[2] != 10 || q[0] != 4 || q[2] != 3 {
		t.Fatalf("split(10, 3) = %v", q)
	}
}

func TestOptionsRefuseHostileValues(t *testing.T) {
	ok := options{clients: 1, requests: 1, pipeline: 1, wait: -1, keys: 1, size: 3}
	if err := ok.check(); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []func(*options){
		func(o *options) { o.clients = 0 },
		func(o *options) { o.requests = maxRequests + 1 },
		func(o *options) { o.pipeline = maxPipeline + 1 },
		func(o *options) { o.wait = -2 },
		func(o *options) { o.keys = 0 },
		func(o *options) { o.size = maxSize + 1 },
	} {
		o := ok
		bad(&o)
		if o.check() == nil {
			t.Errorf("check accepted %+v", o)
		}
	}
}
