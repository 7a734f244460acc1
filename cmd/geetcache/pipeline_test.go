package main

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"testing"
	"time"
)

// TestPipelining writes 1000 commands (a random mix of SET, INCR and GET)
// in one write and expects 1000 replies in order, as a model predicts.
func TestPipelining(t *testing.T) {
	c := startNode(t).Dial()
	req, want := pipelineScript(newRand(t), 1000)
	c.SetDeadline(time.Now().Add(30 * time.Second))
	if _, err := c.Write(req); err != nil {
		t.Fatalf("write: %v", err)
	}
	got := make([]byte, len(want))
	if n, err := io.ReadFull(c, got); err != nil {
		t.Fatalf("read %d of %d reply bytes: %v", n, len(want), err)
	}
	if !bytes.Equal(got, want) {
		i := 0
		for i < len(got) && got[i] == want[i] {
			i++
		}
		t.Fatalf("replies differ at byte %d: got %q, want %q", i, clipAt(got, i), clipAt(want, i))
	}
}

// pipelineScript returns count RESP commands and the replies a correct
// server sends, in order.
func pipelineScript(r *rand.Rand, count int) (req, want []byte) {
	model := map[string]string{}
	for range count {
		key := "p:" + strconv.Itoa(r.IntN(50))
		switch r.IntN(3) {
		case 0:
			v := strconv.Itoa(r.IntN(1000))
			req = appendCommand(req, "SET", key, v)
			want = append(want, "+OK\r\n"...)
			model[key] = v
		case 1:
			req = appendCommand(req, "INCR", key)
			want = appendIncrReply(want, model, key)
		default:
			req = appendCommand(req, "GET", key)
			want = appendGetReply(want, model, key)
		}
	}
	return req, want
}

func appendIncrReply(b []byte, model map[string]string, key string) []byte {
	n, _ := strconv.ParseInt(model[key], 10, 64) // every value is numeric
	model[key] = strconv.FormatInt(n+1, 10)
	return fmt.Appendf(b, ":%d\r\n", n+1)
}

func appendGetReply(b []byte, model map[string]string, key string) []byte {
	v, ok := model[key]
	if !ok {
		return append(b, "$-1\r\n"...)
	}
	return fmt.Appendf(b, "$%d\r\n%s\r\n", len(v), v)
}

func appendCommand(b []byte, args ...string) []byte {
	b = fmt.Appendf(b, "*%d\r\n", len(args))
	for _, a := range args {
		b = fmt.Appendf(b, "$%d\r\n%s\r\n", len(a), a)
	}
	return b
}

func clipAt(b []byte, i int) []byte { return b[i:min(len(b), i+40)] }
