package main

import (
	"bytes"
	"slices"
	"strings"
	"testing"
)

// TestCommandInfoMatchesRedis: COMMAND INFO of every command and
// subcommand geetcache shares with redis-server 7.0.15, in RESP2 and RESP3,
// is Redis's (flags, key positions, categories, tips, key specs) but for
// the order of a container's subcommands (Redis's hash order, which its
// hash seed changes from run to run); a container missing some of Redis's
// subcommands (CLUSTER, SCRIPT) has the others as Redis's.
func TestCommandInfoMatchesRedis(t *testing.T) {
	redisAddr, gcAddr := startRedisServer(t), startNode(t).addr()
	p := newDiffPair(t, 2, redisAddr, gcAddr)
	rep, err := p.redis.roundTrip([]string{"COMMAND", "LIST"})
	if err != nil {
		t.Fatal(err)
	}
	var cmds [][]string
	for _, e := range rep.elems {
		cmds = append(cmds, []string{"COMMAND", "INFO", bulkText(e)})
	}
	for _, proto := range []int{2, 3} {
		fromRedis, fromGC := newDiffPair(t, proto, redisAddr, gcAddr).batch(t, cmds)
		for i, cmd := range cmds {
			g, r := fromGC[i].elems[0], fromRedis[i].elems[0]
			if g.null || len(g.elems) != 10 {
				continue // a command geetcache does not have
			}
			gHead, gSubs := infoParts(g)
			rHead, rSubs := infoParts(r)
			missing := slices.DeleteFunc(slices.Clone(gSubs), func(s string) bool { return slices.Contains(rSubs, s) })
			if !bytes.Equal(gHead, rHead) || len(missing) > 0 || (len(gSubs) == len(rSubs)) != slices.Equal(gSubs, rSubs) {
				t.Errorf("RESP%d %q:\n geetcache %q %q\n     redis %q %q", proto, cmd, gHead, gSubs, rHead, rSubs)
			}
		}
	}
}

// infoParts splits one command's COMMAND INFO into its first nine
// elements and its subcommands' (each the same way), the latter in name
// order.
func infoParts(r respReply) (head []byte, subs []string) {
	if len(r.elems) != 10 {
		return r.raw, nil
	}
	head = header(r.raw)
	for _, e := range r.elems[:9] {
		head = append(head, e.raw...)
	}
	for _, s := range r.elems[9].elems {
		h, ss := infoParts(s)
		subs = append(subs, string(h)+strings.Join(ss, ""))
	}
	slices.Sort(subs)
	return head, subs
}
