package discovery

import (
	"strconv"
	"strings"

	"github.com/geetcache/geetcache/protocol"
)

// The Redis Cluster replies, for one shard that owns every slot: the
// master, then its replicas, as Redis 7.0's cluster.c writes them.

// WriteSlots writes CLUSTER SLOTS's reply: one range, 0-16383, served by
// the master and its replicas; an empty array while no master is known.
func WriteSlots(w *protocol.Writer, t *Topology) {
	m := t.Master()
	if m == nil || !m.HasAddr() {
		w.Array(0)
		return
	}
	reps := t.liveReplicas() // as Redis leaves failed replicas out
	w.Array(1)
	w.Array(3 + len(reps))
	w.Int(0)
	w.Int(Slots - 1)
	for _, n := range append([]Node{*m}, reps...) {
		w.Array(4)
		w.BulkString(n.Host)
		w.Int(int64(n.Port))
		w.BulkString(n.RunID())
		w.Map(0) // no hostname metadata
	}
}

// WriteShards writes CLUSTER SHARDS's reply: the one shard.
func WriteShards(w *protocol.Writer, t *Topology) {
	m := t.Master()
	if m == nil || !m.HasAddr() {
		w.Array(0)
		return
	}
	nodes := append([]Node{*m}, t.Replicas()...)
	w.Array(1)
	w.Map(2)
	w.BulkString("slots")
	w.Array(2)
	w.Int(0)
	w.Int(Slots - 1)
	w.BulkString("nodes")
	w.Array(len(nodes))
	for i := range nodes {
		writeShardNode(w, &nodes[i])
	}
}

func writeShardNode(w *protocol.Writer, n *Node) {
	w.Map(7)
	w.BulkString("id")
	w.BulkString(n.RunID())
	w.BulkString("port")
	w.Int(int64(n.Port))
	w.BulkString("ip")
	w.BulkString(n.Host)
	w.BulkString("endpoint")
	w.BulkString(n.Host)
	w.BulkString("role")
	w.BulkString(ifElse(n.Master, "master", "replica"))
	w.BulkString("replication-offset")
	w.Int(n.Offset)
	w.BulkString("health")
	w.BulkString(health(n))
}

func health(n *Node) string {
	switch {
	case n.Down:
		return "fail"
	case n.Loading:
		return "loading"
	}
	return "online"
}

// NodesText is CLUSTER NODES's reply text: one line per member, "<id>
// <ip:port@cport> <flags> <master> <ping-sent> <pong-recv> <config-epoch>
// <link-state> [<slot range>]". nowMs (unix ms) dates each pong as
// Contact before it.
func NodesText(t *Topology, nowMs int64) string {
	var b strings.Builder
	m := t.Master()
	for i := range t.Nodes {
		writeNodeLine(&b, t, m, &t.Nodes[i], nowMs)
		b.WriteByte('\n')
	}
	return b.String()
}

// ReplicaLines is CLUSTER REPLICAS id: the CLUSTER NODES lines of the
// master id's replicas, or Redis's error when id names no node or no
// master.
func ReplicaLines(t *Topology, id string, nowMs int64) (lines []string, errMsg string) {
	var found *Node
	for i := range t.Nodes {
		if t.Nodes[i].RunID() == id {
			found = &t.Nodes[i]
			break
		}
	}
	switch {
	case found == nil:
		return nil, "ERR Unknown node " + id
	case !found.Master:
		return nil, "ERR The specified node is not a master"
	}
	lines = []string{}
	for i := range t.Nodes {
		if n := &t.Nodes[i]; !n.Master {
			var b strings.Builder
			writeNodeLine(&b, t, found, n, nowMs)
			lines = append(lines, b.String())
		}
	}
	return lines, ""
}

// writeNodeLine writes n's CLUSTER NODES line, without its newline; m is
// the master (t.Master()), nil when none is known.
func writeNodeLine(b *strings.Builder, t *Topology, m, n *Node, nowMs int64) {
	b.WriteString(n.RunID())
	b.WriteByte(' ')
	b.WriteString(nodeAddr(n))
	b.WriteByte(' ')
	b.WriteString(nodeFlags(n))
	b.WriteByte(' ')
	if n.Master || m == nil {
		b.WriteByte('-')
	} else {
		b.WriteString(m.RunID())
	}
	b.WriteString(" 0 ")
	b.WriteString(strconv.FormatInt(pongTime(n, nowMs), 10))
	b.WriteByte(' ')
	b.WriteString(strconv.FormatUint(t.Epoch, 10))
	b.WriteString(ifElse(n.Down, " disconnected", " connected"))
	if n.Master {
		b.WriteString(" 0-" + strconv.Itoa(Slots-1))
	}
}

func nodeAddr(n *Node) string {
	host, port := n.Host, n.Port
	return host + ":" + strconv.Itoa(port) + "@" + strconv.Itoa(n.BusPort)
}

func nodeFlags(n *Node) string {
	var fl []string
	if n.Self {
		fl = append(fl, "myself")
	}
	fl = append(fl, ifElse(n.Master, "master", "slave"))
	if n.Down {
		fl = append(fl, "fail")
	}
	if !n.HasAddr() {
		fl = append(fl, "noaddr")
	}
	return strings.Join(fl, ",")
}

// pongTime is when n last answered, in unix ms (0: unknown or myself, as
// Redis shows its own line's ping time).
func pongTime(n *Node, nowMs int64) int64 {
	if n.Contact < 0 || n.Self {
		return 0
	}
	return nowMs - n.Contact.Milliseconds()
}

// InfoText is CLUSTER INFO's reply text.
func InfoText(t *Topology) string {
	ok := t.Master() != nil && !t.Master().Down
	var b strings.Builder
	line := func(k, v string) { b.WriteString(k + ":" + v + "\r\n") }
	num := func(k string, v int) { line(k, strconv.Itoa(v)) }
	line("cluster_state", ifElse(ok, "ok", "fail"))
	num("cluster_slots_assigned", ifElse(t.Master() != nil, Slots, 0))
	num("cluster_slots_ok", ifElse(ok, Slots, 0))
	num("cluster_slots_pfail", 0)
	num("cluster_slots_fail", ifElse(t.Master() != nil && !ok, Slots, 0))
	num("cluster_known_nodes", len(t.Nodes))
	num("cluster_size", ifElse(t.Master() != nil, 1, 0))
	line("cluster_current_epoch", strconv.FormatUint(t.Epoch, 10))
	line("cluster_my_epoch", strconv.FormatUint(t.Epoch, 10))
	num("cluster_stats_messages_sent", 0)
	num("cluster_stats_messages_received", 0)
	num("total_cluster_links_buffer_limit_exceeded", 0)
	return b.String()
}

func ifElse[T any](cond bool, a, b T) T {
	if cond {
		return a
	}
	return b
}
