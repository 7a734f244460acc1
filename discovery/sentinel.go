package discovery

import (
	"strconv"

	"github.com/geetcache/geetcache/protocol"
)

// The Sentinel replies, field for field in Redis 7.0 sentinel.c's order
// (addReplySentinelRedisInstance): each instance is a map of bulk strings
// (a flat array in RESP2), numbers written as bulk strings.

// fields collects one instance's name/value pairs.
type fields []string

func (f *fields) add(name, value string)   { *f = append(*f, name, value) }
func (f *fields) num(name string, n int64) { f.add(name, strconv.FormatInt(n, 10)) }
func (f fields) write(w *protocol.Writer) {
	w.Map(len(f) / 2)
	for _, s := range f {
		w.BulkString(s)
	}
}

// common adds the fields every instance starts with.
func (f *fields) common(name string, n *Node, flags string, t *Topology) {
	f.add("name", name)
	f.add("ip", n.Host)
	f.num("port", int64(n.Port))
	f.add("runid", n.RunID())
	f.add("flags", flags)
	f.num("link-pending-commands", 0)
	f.num("link-refcount", 1)
	f.num("last-ping-sent", ifDown(n.Down, ms(n.DownFor)))
	f.num("last-ok-ping-reply", ms(n.Contact)+ifDown(n.Down, ms(n.DownFor)))
	f.num("last-ping-reply", ms(n.Contact)+ifDown(n.Down, ms(n.DownFor)))
	if n.Down {
		f.num("s-down-time", ms(n.DownFor))
		f.num("o-down-time", ms(n.DownFor))
	}
	f.num("down-after-milliseconds", t.DownAfter.Milliseconds())
}

func ifDown(down bool, v int64) int64 {
	if down {
		return v
	}
	return 0
}

// WriteMaster writes SENTINEL MASTER's reply for the master m named name.
func WriteMaster(w *protocol.Writer, t *Topology, name string) {
	m := t.Master()
	var f fields
	flags := "master"
	if m.Down {
		flags = "s_down,o_down,master"
	}
	f.common(name, m, flags, t)
	f.num("info-refresh", ms(m.Contact))
	f.add("role-reported", "master")
	f.num("role-reported-time", ms(t.MasterSince))
	f.add("config-epoch", strconv.FormatUint(t.Epoch, 10))
	f.num("num-slaves", int64(len(t.Replicas())))
	f.num("num-other-sentinels", int64(len(t.Others())))
	f.num("quorum", int64(t.Quorum()))
	f.num("failover-timeout", t.FailoverTimeout.Milliseconds())
	f.num("parallel-syncs", 1)
	f.write(w)
}

// WriteReplicas writes SENTINEL REPLICAS's reply: the followers.
func WriteReplicas(w *protocol.Writer, t *Topology) {
	reps := t.Replicas()
	w.Array(len(reps))
	for i := range reps {
		writeReplica(w, t, &reps[i])
	}
}

func writeReplica(w *protocol.Writer, t *Topology, r *Node) {
	var f fields
	f.common(r.Addr(), r, ifElse(r.Down, "s_down,slave,disconnected", "slave"), t)
	f.num("info-refresh", ms(r.Contact))
	f.add("role-reported", "slave")
	f.num("role-reported-time", ms(t.MasterSince))
	m := t.Master()
	f.num("master-link-down-time", 0)
	if m == nil || m.Down {
		f.add("master-link-status", "err")
	} else {
		f.add("master-link-status", "ok")
	}
	if m == nil {
		f.add("master-host", "?")
		f.num("master-port", 0)
	} else {
		f.add("master-host", m.Host)
		f.num("master-port", int64(m.Port))
	}
	f.num("slave-priority", 100)
	f.num("slave-repl-offset", r.Offset)
	f.num("replica-announced", 1)
	f.write(w)
}

// WriteSentinels writes SENTINEL SENTINELS's reply: every other member,
// since each answers the Sentinel commands too. Its vote is the leader of
// the current term.
func WriteSentinels(w *protocol.Writer, t *Topology) {
	others := t.Others()
	w.Array(len(others))
	for i := range others {
		n := &others[i]
		var f fields
		f.common(n.RunID(), n, ifElse(n.Down, "s_down,sentinel,disconnected", "sentinel"), t)
		f.num("last-hello-message", ms(n.Contact))
		if m := t.Master(); m != nil && !m.Down {
			f.add("voted-leader", m.RunID())
		} else {
			f.add("voted-leader", "?")
		}
		f.add("voted-leader-epoch", strconv.FormatUint(t.Epoch, 10))
		f.write(w)
	}
}

// CKQuorum is SENTINEL CKQUORUM's reply: a status when usable sentinels
// reach the quorum, else the NOQUORUM error text. usable counts the voters
// this node sees (itself included).
func CKQuorum(t *Topology, usable int) (reply string, ok bool) {
	n := strconv.Itoa(usable)
	if usable >= t.Quorum() {
		return "OK " + n + " usable Sentinels. Quorum and failover authorization can be reached", true
	}
	return "NOQUORUM " + n + " usable Sentinels. Not enough available Sentinels to reach the specified quorum for this master. " +
		"Not enough available Sentinels to reach the majority and authorize a failover", false
}
