package main

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestKeyspaceEventsMatchRedis runs the differential stream (every family,
// RESP2 and RESP3, MULTI runs) against redis-server 7.0 and geetcache with
// notify-keyspace-events "AEn" on both, a subscriber to __keyevent@0__:*
// on each, and compares the events each command batch made, in order:
// names, keys and order must be Redis's. After each batch a PUBLISH on a
// sentinel channel marks its end on both subscribers.
//
// "expired" events are left out of the order: Redis makes them when its
// expiry cycle or a lookup meets the key, geetcache when the leader's
// expiry entry is applied (the stream sets no TTL that passes during the
// run, so none are expected).
func TestKeyspaceEventsMatchRedis(t *testing.T) {
	total := diffBudget(t) / 4
	redisAddr := startRedisServer(t)
	n := startNode(t)
	d := &diffRun{t: t, gen: newDiffGen(newRand(t)), fams: diffFamilies(), skipped: map[string]int{}, stats: diffTally{}}
	d.pairs = []*diffPair{newDiffPair(t, 2, redisAddr, n.addr()), newDiffPair(t, 3, redisAddr, n.addr())}
	requireRedis70(t, d.pairs[0].redis)
	d.known = commandNames(t, d.pairs[0].gc)
	d.arity = commandArities(t, d.pairs[0].gc)
	for _, s := range []*diffSide{d.pairs[0].redis, d.pairs[0].gc} {
		if rep, err := s.roundTrip([]string{"CONFIG", "SET", "notify-keyspace-events", "AEn"}); err != nil || string(rep.raw) != "+OK\r\n" {
			t.Fatalf("%s: CONFIG SET notify-keyspace-events answered %q (%v)", s.name, rep.raw, err)
		}
	}
	ev := newEventWatch(t, redisAddr, n.addr())
	d.afterExec = func(p *diffPair, cmds []diffCmd) { ev.compare(d, p, cmds) }
	d.run(total)
	t.Logf("keyspace events: %d commands, %d events compared (%d expired left out), %d batches differed",
		d.generated, ev.compared, ev.expired, ev.mismatches)
	if ev.mismatches > 0 || d.mismatches > 0 {
		t.Fatalf("%d event mismatches, %d reply mismatches", ev.mismatches, d.mismatches)
	}
}

// eventWatch is a subscriber on each server.
type eventWatch struct {
	t          *testing.T
	redis, gc  *diffSide
	mark       int
	compared   int
	expired    int
	mismatches int
}

// clipEvents shows the first events of evs.
func clipEvents(evs []string) string {
	if len(evs) > 12 {
		return strings.Join(evs[:12], " ") + fmt.Sprintf(" ... (%d more)", len(evs)-12)
	}
	return strings.Join(evs, " ")
}

const eventSentinel = "__events_sentinel__"

func newEventWatch(t *testing.T, redisAddr, gcAddr string) *eventWatch {
	w := &eventWatch{t: t, redis: dialDiffSide(t, "redis", redisAddr), gc: dialDiffSide(t, "geetcache", gcAddr)}
	for _, s := range []*diffSide{w.redis, w.gc} {
		s.send([][]string{{"PSUBSCRIBE", "__keyevent@0__:*"}, {"SUBSCRIBE", eventSentinel}})
		if _, err := s.replies(2); err != nil {
			t.Fatal(err)
		}
	}
	return w
}

// compare ends the batch with a sentinel message through p and compares
// the events both subscribers got before it.
func (w *eventWatch) compare(d *diffRun, p *diffPair, cmds []diffCmd) {
	w.mark++
	mark := strconv.Itoa(w.mark)
	p.batch(w.t, [][]string{{"PUBLISH", eventSentinel, mark}})
	fromRedis, err := w.until(w.redis, mark)
	if err != nil {
		w.t.Fatal(err)
	}
	fromGC, err := w.until(w.gc, mark)
	if err != nil {
		w.t.Fatal(err)
	}
	w.compared += len(fromRedis)
	if slices.Equal(fromRedis, fromGC) {
		return
	}
	w.mismatches++
	if w.mismatches <= maxReports {
		var sent []string
		for _, c := range cmds {
			sent = append(sent, formatDiffArgs(c.args))
		}
		i := 0
		for i < min(len(fromRedis), len(fromGC)) && fromRedis[i] == fromGC[i] {
			i++
		}
		w.t.Errorf("events differ after command %d, from event %d:\n  redis:     %s\n  geetcache: %s\n  the batch:\n    %s",
			d.generated, i, clipEvents(fromRedis[i:]), clipEvents(fromGC[i:]), strings.Join(sent, "\n    "))
	}
}

// until reads s's messages up to the sentinel carrying mark and returns
// the events before it as "event:key", without "expired" ones.
func (w *eventWatch) until(s *diffSide, mark string) ([]string, error) {
	var out []string
	s.conn.SetDeadline(time.Now().Add(diffTimeout))
	for {
		rep, err := s.r.read()
		if err != nil {
			return out, fmt.Errorf("%s subscriber: %w", s.name, err)
		}
		if len(rep.elems) < 3 {
			return out, fmt.Errorf("%s subscriber: unexpected %q", s.name, rep.raw)
		}
		msg := replyText(rep.elems[len(rep.elems)-1])
		channel := replyText(rep.elems[len(rep.elems)-2])
		switch event := strings.TrimPrefix(channel, "__keyevent@0__:"); {
		case channel == eventSentinel && msg == mark:
			return out, nil
		case channel == eventSentinel:
		case event == "expired":
			w.expired++
		default:
			out = append(out, event+":"+msg)
		}
	}
}
