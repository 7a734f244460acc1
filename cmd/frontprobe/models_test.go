package main

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// TestModels: every model answers pipelined SETs and GETs in order, and a
// SET's bytes are in the log once it is answered.
func TestModels(t *testing.T) {
	models := map[string]func(net.Listener, *store) error{
		"goroutines":        func(ln net.Listener, st *store) error { return serveGoroutines(ln, st, false) },
		"goroutines-direct": func(ln net.Listener, st *store) error { return serveGoroutines(ln, st, true) },
	}
	if runtime.GOOS == "linux" {
		models["loop"] = func(ln net.Listener, st *store) error { return serveLoop(ln, st, "") }
		models["loop-writer"] = func(ln net.Listener, st *store) error { return serveLoop(ln, st, "goroutine") }
		models["loop-thread"] = func(ln net.Listener, st *store) error { return serveLoop(ln, st, "thread") }
	}
	for name, serve := range models {
		t.Run(name, func(t *testing.T) {
			logPath := filepath.Join(t.TempDir(), "log")
			log, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
			if err != nil {
				t.Fatal(err)
			}
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			go serve(ln, newStore(log)) // serves until the test binary exits
			checkPipelined(t, ln.Addr().String())
			data, _ := os.ReadFile(logPath)
			if want := "k0v0k1v1k2v2"; string(data[:len(want)]) != want {
				t.Fatalf("log starts %q, want %q", data, want)
			}
		})
	}
}

func checkPipelined(t *testing.T, addr string) {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var req []byte
	var want []string
	for i := range 3 {
		k, v := fmt.Sprintf("k%d", i), fmt.Sprintf("v%d", i)
		req = fmt.Appendf(req, "*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n", len(k), k, len(v), v)
		req = fmt.Appendf(req, "*2\r\n$3\r\nGET\r\n$%d\r\n%s\r\n", len(k), k)
		want = append(want, "+OK", "$2", v)
	}
	req = append(req, "*2\r\n$3\r\nGET\r\n$4\r\nnone\r\n*1\r\n$4\r\nPING\r\n"...)
	want = append(want, "$-1", "+PONG")
	if _, err := c.Write(req); err != nil {
		t.Fatal(err)
	}
	r := bufio.NewReader(c)
	for i, w := range want {
		line, err := r.ReadString('\n')
		if err != nil || line != w+"\r\n" {
			t.Fatalf("reply line %d: %q, %v; want %q", i, line, err, w)
		}
	}
}
