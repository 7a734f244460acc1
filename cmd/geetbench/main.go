// Command geetbench is a small load generator for what redis-benchmark
// cannot send: a write followed by WAIT numreplicas timeout in the same
// request, the fair comparison between geetcache's majority-durable writes
// and a Redis primary whose replicas acknowledge through WAIT. It prints one
// line: requests per second, then p50, p99 and p99.9 latency in
// milliseconds (a request is the write and its WAIT).
//
//	geetbench -p 6379 -c 50 -n 100000 -P 1 -wait 1
package main

import (
	"flag"
	"fmt"
	"os"
	"time"
)

func main() {
	var o options
	flag.StringVar(&o.host, "h", "127.0.0.1", "server host")
	flag.IntVar(&o.port, "p", 6379, "server port")
	flag.IntVar(&o.clients, "c", 50, "parallel connections")
	flag.IntVar(&o.requests, "n", 100000, "total requests")
	flag.IntVar(&o.pipeline, "P", 1, "requests per round trip on a connection")
	flag.IntVar(&o.wait, "wait", -1, "send WAIT <wait> 0 after each SET (-1: no WAIT)")
	flag.IntVar(&o.keys, "r", 100000, "SET keys drawn from this many (key:0 .. key:r-1)")
	flag.IntVar(&o.size, "d", 3, "value size in bytes")
	flag.Parse()
	if err := o.check(); err != nil {
		fmt.Fprintln(os.Stderr, "geetbench:", err)
		os.Exit(2)
	}
	start := time.Now()
	lat, err := run(o)
	if err != nil {
		fmt.Fprintln(os.Stderr, "geetbench:", err)
		os.Exit(1)
	}
	fmt.Println(summary(lat, o.requests, time.Since(start)))
}
