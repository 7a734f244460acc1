//go:build pprof

package main

// Built with -tags pprof, geetcache serves net/http/pprof on the address in
// GEETCACHE_PPROF_ADDR (e.g. 127.0.0.1:6060), for the profiles in
// docs/benchmarks.md:
//
//	go build -tags pprof -o geetcache ./cmd/geetcache
//	GEETCACHE_PPROF_ADDR=127.0.0.1:6060 ./geetcache ...
//	go tool pprof -top 'http://127.0.0.1:6060/debug/pprof/profile?seconds=10'
//
// Release builds do not include it.

import (
	"log/slog"
	"net/http"
	_ "net/http/pprof"
	"os"
)

func init() {
	addr := os.Getenv("GEETCACHE_PPROF_ADDR")
	if addr == "" {
		return
	}
	go func() {
		slog.Warn("pprof server stopped", "err", http.ListenAndServe(addr, nil))
	}()
}
