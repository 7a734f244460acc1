package main

import (
	"bufio"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// TestUnauthenticatedLimits is Redis's unit/auth "For unauthenticated
// clients multibulk and bulk length are limited": while the default user
// has a password, a connection that has not authenticated gets Redis's
// protocol error for a multibulk of more than 10 arguments or a bulk of
// more than 16384 bytes, and is closed; AUTH pipelined before such a
// command lifts the limits, as in Redis (compared with redis-server
// 7.0.15 byte for byte).
func TestUnauthenticatedLimits(t *testing.T) {
	redisAddr := startRedisServer(t)
	n := startNode(t)
	big := "*12\r\n$4\r\nECHO\r\n" + strings.Repeat("$1\r\nx\r\n", 11)
	inputs := []string{"*100\r\n", "*1\r\n$100000000\r\n", "*2\r\n$4\r\nECHO\r\n$16385\r\n" + strings.Repeat("x", 16385) + "\r\n",
		"AUTH pw\r\n" + big, "*2\r\n$4\r\nAUTH\r\n$2\r\npw\r\n*2\r\n$4\r\nECHO\r\n$20000\r\n" + strings.Repeat("x", 20000) + "\r\n",
		"*11\r\n$4\r\nECHO\r\n" + strings.Repeat("$1\r\nx\r\n", 10)}
	var got [2][]string
	for i, addr := range []string{redisAddr, n.addr()} {
		admin := redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1})
		if err := admin.Do(ctx, "CONFIG", "SET", "requirepass", "pw").Err(); err != nil {
			t.Fatal(err)
		}
		for _, in := range inputs {
			got[i] = append(got[i], rawExchange(t, addr, in))
		}
		if err := admin.Do(ctx, "CONFIG", "SET", "requirepass", "").Err(); err != nil {
			t.Fatal(err)
		}
		admin.Close()
	}
	for j := range inputs {
		if got[0][j] != got[1][j] {
			t.Errorf("%.40q:\n redis:     %q\n geetcache: %q", inputs[j], got[0][j], got[1][j])
		}
	}
}

// rawExchange sends in on a new connection and returns everything the
// server answers until it closes the connection or is quiet for 300 ms.
func rawExchange(t *testing.T, addr, in string) string {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.Write([]byte(in))
	r := bufio.NewReader(c)
	var out []byte
	buf := make([]byte, 4096)
	for {
		c.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
		k, err := r.Read(buf)
		out = append(out, buf[:k]...)
		if err != nil {
			if ne, ok := err.(net.Error); ok && ne.Timeout() {
				return string(out)
			}
			return string(out) + " [closed]"
		}
	}
}
