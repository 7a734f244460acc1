package main

import (
	"bufio"
	"fmt"
	"net"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"
)

// BenchmarkPubSub publishes b.N messages to one channel with 1 and 100
// subscribers, on redis-server 7.0.15 and a geetcache node side by side in
// one run, and reports messages published per second (acknowledged and
// received by every subscriber) and the publish-to-delivery latency
// (p50, p99: from the moment the publisher wrote the command to the
// moment a subscriber read the message). Two loads: one publisher, one
// message at a time (Load=serial: the latency of an idle server), and 8
// publishers pipelining 16 each (Load=pipelined: throughput).
//
//	go test -run '^$' -bench BenchmarkPubSub -benchtime 5000x ./cmd/geetcache/
func BenchmarkPubSub(b *testing.B) {
	servers := []struct{ name, addr string }{{"redis", startRedisServer(b)}, {"geetcache", startNode(b).addr()}}
	loads := []struct {
		name             string
		publishers, pipe int
	}{{"serial", 1, 1}, {"pipelined", 8, 16}}
	for _, subs := range []int{1, 100} {
		for _, ld := range loads {
			for _, srv := range servers {
				b.Run(fmt.Sprintf("Subscribers=%d/Load=%s/Server=%s", subs, ld.name, srv.name), func(b *testing.B) {
					benchPubSub(b, srv.addr, subs, ld.publishers, ld.pipe)
				})
			}
		}
	}
}

func benchPubSub(b *testing.B, addr string, subs, publishers, pipe int) {
	channel := "bench" + strconv.Itoa(b.N)
	var wg sync.WaitGroup
	lat := make([][]time.Duration, subs)
	for i := range subs {
		c, rd := benchSubscribe(b, addr, channel)
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer c.Close()
			lat[i] = readMessages(rd, b.N)
		}()
	}
	b.ResetTimer()
	start := time.Now()
	var pw sync.WaitGroup
	for p := range publishers {
		n := b.N / publishers
		if p < b.N%publishers {
			n++
		}
		pw.Add(1)
		go func() {
			defer pw.Done()
			benchPublish(b, addr, channel, n, pipe)
		}()
	}
	pw.Wait()
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	if len(all) != subs*b.N {
		b.Fatalf("subscribers received %d messages, want %d", len(all), subs*b.N)
	}
	slices.Sort(all)
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "msgs/s")
	b.ReportMetric(float64(all[len(all)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(all[len(all)*99/100].Microseconds()), "p99-µs")
	b.ReportMetric(0, "ns/op")
}

// benchSubscribe connects and subscribes, waiting for the confirmation.
func benchSubscribe(b *testing.B, addr, channel string) (net.Conn, *respReader) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		b.Fatal(err)
	}
	rd := &respReader{r: bufio.NewReaderSize(c, 64<<10)}
	if _, err := c.Write(appendCommand(nil, "SUBSCRIBE", channel)); err != nil {
		b.Fatal(err)
	}
	if _, err := rd.read(); err != nil {
		b.Fatal(err)
	}
	return c, rd
}

// readMessages reads n messages whose payload is the unix nanoseconds
// they were published at and returns their latencies.
func readMessages(rd *respReader, n int) []time.Duration {
	out := make([]time.Duration, 0, n)
	for len(out) < n {
		rep, err := rd.read()
		if err != nil {
			return out
		}
		if len(rep.elems) == 3 {
			sent, _ := strconv.ParseInt(bulkText(rep.elems[2]), 10, 64)
			out = append(out, time.Duration(time.Now().UnixNano()-sent))
		}
	}
	return out
}

// benchPublish publishes n messages, pipe at a time, each carrying the
// time its batch was written.
func benchPublish(b *testing.B, addr, channel string, n, pipe int) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		b.Error(err)
		return
	}
	defer c.Close()
	rd := &respReader{r: bufio.NewReaderSize(c, 64<<10)}
	var buf []byte
	for done := 0; done < n; {
		k := min(pipe, n-done)
		buf = buf[:0]
		now := strconv.FormatInt(time.Now().UnixNano(), 10)
		for range k {
			buf = appendCommand(buf, "PUBLISH", channel, now)
		}
		if _, err := c.Write(buf); err != nil {
			b.Error(err)
			return
		}
		for range k {
			if rep, err := rd.read(); err != nil || rep.kind != ':' {
				b.Errorf("PUBLISH: %q %v", rep.raw, err)
				return
			}
		}
		done += k
	}
}
