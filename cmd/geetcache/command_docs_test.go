package main

import (
	"bytes"
	"slices"
	"strings"
	"testing"
)

// TestCommandDocsMatchRedis: COMMAND DOCS of every command and subcommand
// geetcache shares with redis-server 7.0.15 is Redis's, byte for byte, in
// RESP2 and RESP3 (redis-cli builds its hints and HELP from it), but for
// the order of a container's subcommands (Redis's hash order, which its
// hash seed changes from run to run); a container whose subcommands differ
// (CLUSTER, SCRIPT: a few are absent here) is compared subcommand by
// subcommand.
func TestCommandDocsMatchRedis(t *testing.T) {
	redisAddr, gcAddr := startRedisServer(t), startNode(t).addr()
	list := func(c *diffSide) []string {
		rep, err := c.roundTrip([]string{"COMMAND", "LIST"})
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, e := range rep.elems {
			names = append(names, bulkText(e))
		}
		return names
	}
	p := newDiffPair(t, 2, redisAddr, gcAddr)
	redisNames, gcNames := list(p.redis), list(p.gc)
	subs := func(names []string, parent string) []string {
		var out []string
		for _, n := range names {
			if strings.HasPrefix(n, parent+"|") {
				out = append(out, n)
			}
		}
		slices.Sort(out)
		return out
	}
	var cmds [][]string
	for _, name := range gcNames {
		if !slices.Contains(redisNames, name) {
			continue // geetcache's own: RAFT, SENTINEL
		}
		if !strings.Contains(name, "|") && !slices.Equal(subs(gcNames, name), subs(redisNames, name)) {
			continue
		}
		cmds = append(cmds, []string{"COMMAND", "DOCS", name})
	}
	if len(cmds) < 340 {
		t.Fatalf("only %d commands shared with Redis: %v", len(cmds), gcNames)
	}
	for _, proto := range []int{2, 3} {
		fromRedis, fromGC := newDiffPair(t, proto, redisAddr, gcAddr).batch(t, cmds)
		for i, cmd := range cmds {
			if !bytes.Equal(canonDocs(fromGC[i]), canonDocs(fromRedis[i])) {
				t.Errorf("RESP%d %q:\n geetcache %q\n     redis %q", proto, cmd, fromGC[i].raw, fromRedis[i].raw)
			}
		}
	}
}

// canonDocs is a COMMAND DOCS reply of one command with its subcommands in
// name order.
func canonDocs(r respReply) []byte {
	if len(r.elems) != 2 {
		return r.raw
	}
	out := append(header(r.raw), r.elems[0].raw...)
	docs := r.elems[1]
	out = append(out, header(docs.raw)...)
	for j := 0; j+1 < len(docs.elems); j += 2 {
		out = append(out, docs.elems[j].raw...)
		v := docs.elems[j+1]
		if bulkText(docs.elems[j]) != "subcommands" {
			out = append(out, v.raw...)
			continue
		}
		var pairs []string
		for k := 0; k+1 < len(v.elems); k += 2 {
			pairs = append(pairs, string(v.elems[k].raw)+string(v.elems[k+1].raw))
		}
		slices.Sort(pairs)
		out = append(append(out, header(v.raw)...), strings.Join(pairs, "")...)
	}
	return out
}

// header is an aggregate's first line.
func header(raw []byte) []byte {
	i := bytes.Index(raw, []byte("\r\n"))
	return raw[:i+2]
}
