package main

import (
	"bufio"
	"fmt"
	"net"
	"strconv"
	"sync"
	"time"
)

// run sends o.requests requests over o.clients connections and returns each
// round trip's latency, once per request it carried.
func run(o options) ([]time.Duration, error) {
	addr := net.JoinHostPort(o.host, strconv.Itoa(o.port))
	quota := split(o.requests, o.clients)
	lats := make([][]time.Duration, o.clients)
	errs := make([]error, o.clients)
	var wg sync.WaitGroup
	for i := range o.clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			lats[i], errs[i] = client(addr, o, i, quota[i])
		}()
	}
	wg.Wait()
	var all []time.Duration
	for i := range lats {
		if errs[i] != nil {
			return nil, errs[i]
		}
		all = append(all, lats[i]...)
	}
	return all, nil
}

// split divides n requests among c clients as evenly as it can.
func split(n, c int) []int {
	q := make([]int, c)
	for i := range q {
		q[i] = n / c
		if i < n%c {
			q[i]++
		}
	}
	return q
}

// client runs one connection's share of the requests.
func client(addr string, o options, id, quota int) ([]time.Duration, error) {
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	r := bufio.NewReaderSize(conn, 64<<10)
	value := make([]byte, o.size)
	for i := range value {
		value[i] = 'x'
	}
	lats := make([]time.Duration, 0, quota)
	var buf []byte
	for n := 0; n < quota; {
		batch := min(o.pipeline, quota-n)
		buf = buf[:0]
		for j := range batch {
			key := "key:" + strconv.Itoa((id*quota+n+j)%o.keys)
			buf = appendCommand(buf, "SET", key, string(value))
			if o.wait >= 0 {
				buf = appendCommand(buf, "WAIT", strconv.Itoa(o.wait), "0")
			}
		}
		start := time.Now()
		if _, err := conn.Write(buf); err != nil {
			return nil, err
		}
		replies := batch
		if o.wait >= 0 {
			replies *= 2
		}
		for range replies {
			if err := skipReply(r); err != nil {
				return nil, fmt.Errorf("%s: %w", addr, err)
			}
		}
		d := time.Since(start)
		for range batch {
			lats = append(lats, d)
		}
		n += batch
	}
	return lats, nil
}
