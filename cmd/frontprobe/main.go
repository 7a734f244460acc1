// Command frontprobe measures what a front end's model costs on a machine,
// apart from everything else geetcache does: it is a toy server of GET, SET
// and PING (a map, SETs appended to a log file and fdatasynced before they
// are answered, as Redis's appendfsync always), served by one of three
// models:
//
//	goroutines  a goroutine per connection, as geetcache's front end; SETs
//	            wait for a group-commit goroutine's fdatasync
//	goroutines-direct
//	            goroutines, with the replies of a synced batch written by
//	            the group-commit goroutine, not by each connection's
//	loop        one thread's epoll loop, as Redis: it reads every readable
//	            socket, appends the SETs, fdatasyncs once, writes the replies
//	loop-writer the loop, with the log written and synced by a goroutine of
//	            its own, as an event loop in front of Raft's log would be: the
//	            loop goes on reading while a batch syncs, and writes its
//	            replies when the writer says, through a pipe, that the batch
//	            is on disk
//	loop-thread loop-writer with the writer on an OS thread of its own,
//	            woken through a pipe: the hand-offs are the kernel's alone
//
// docs/bench_frontend.sh runs each beside Redis 7.0 and prints the ratios
// (docs/benchmarks.md). It is a measurement, not a server: no other
// command, no limits, no errors beyond closing a connection.
//
//	frontprobe -model loop -port 7000 -log /tmp/probe.log
package main

import (
	"flag"
	"fmt"
	"net"
	"os"
)

func main() {
	model := flag.String("model", "goroutines", "goroutines, goroutines-direct, loop, loop-writer or loop-thread")
	port := flag.Int("port", 7000, "loopback port to listen on")
	logPath := flag.String("log", "", "log file for SETs (required)")
	flag.Parse()
	if *logPath == "" {
		fmt.Fprintln(os.Stderr, "frontprobe: -log is required")
		os.Exit(2)
	}
	log, err := os.OpenFile(*logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		fmt.Fprintln(os.Stderr, "frontprobe:", err)
		os.Exit(1)
	}
	ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", *port))
	if err != nil {
		fmt.Fprintln(os.Stderr, "frontprobe:", err)
		os.Exit(1)
	}
	st := newStore(log)
	switch *model {
	case "goroutines":
		err = serveGoroutines(ln, st, false)
	case "goroutines-direct":
		err = serveGoroutines(ln, st, true)
	case "loop":
		err = serveLoop(ln, st, "")
	case "loop-writer":
		err = serveLoop(ln, st, "goroutine")
	case "loop-thread":
		err = serveLoop(ln, st, "thread")
	default:
		err = fmt.Errorf("unknown model %q", *model)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "frontprobe:", err)
		os.Exit(1)
	}
}
