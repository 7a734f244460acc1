package server

import (
	"time"

	"github.com/geetcache/geetcache/datatypes"
	"github.com/geetcache/geetcache/discovery"
	"github.com/geetcache/geetcache/protocol"
)

// CLUSTER answers Redis Cluster's discovery commands as one shard that
// owns all 16384 slots, the Raft leader its master and the followers its
// replicas, so cluster-mode clients (go-redis NewClusterClient, redis-py
// RedisCluster, ioredis Cluster, node-redis createCluster) find the
// leader. No node ever answers MOVED or ASK: every node accepts every
// command. COUNTKEYSINSLOT and GETKEYSINSLOT read the keyspace (routed as
// reads); the rest run here. See package discovery.
func (s *Server) clusterCommands() []*protocol.Command {
	const flags = protocol.Stale
	sub := func(name string, arity int, since, summary string, h protocol.HandlerFunc) *protocol.Command {
		return &protocol.Command{Name: "cluster|" + name, Arity: arity, Flags: flags, Group: "cluster", Since: since,
			Summary: summary, Handler: h}
	}
	ct := newContainer(nil,
		sub("slots", 2, "3.0.0", "Get array of Cluster slot to node mappings", s.clusterSlots),
		sub("shards", 2, "7.0.0", "Get array of cluster slots to node mappings", s.clusterShards),
		sub("nodes", 2, "3.0.0", "Get Cluster config for the node", s.clusterNodes),
		sub("info", 2, "3.0.0", "Provides info about Redis Cluster node state", s.clusterInfo),
		sub("myid", 2, "3.0.0", "Return the node id", s.clusterMyID),
		sub("keyslot", 3, "3.0.0", "Returns the hash slot of the specified key", clusterKeySlot),
		sub("countkeysinslot", 3, "3.0.0", "Return the number of local keys in the specified hash slot", clusterCountKeys),
		sub("getkeysinslot", 4, "3.0.0", "Return local key names in the specified hash slot", clusterGetKeys),
		&protocol.Command{Name: "cluster|help", Arity: 2, Flags: protocol.Loading | flags, Group: "cluster", Since: "5.0.0",
			Summary: "Show helpful text about the different subcommands", Handler: protocol.HandlerFunc(clusterHelp)},
		&protocol.Command{Name: "cluster|replicas", Arity: 3, Flags: protocol.Admin | flags, Group: "cluster", Since: "5.0.0",
			Summary: "List replica nodes of the specified master node", Handler: protocol.HandlerFunc(s.clusterReplicas)},
		&protocol.Command{Name: "cluster|slaves", Arity: 3, Flags: protocol.Admin | flags, Group: "cluster", Since: "3.0.0",
			Summary: "List replica nodes of the specified master node", Handler: protocol.HandlerFunc(s.clusterReplicas)},
		&protocol.Command{Name: "cluster|failover", Arity: -2, Flags: protocol.Admin | flags | protocol.NoAsyncLoading,
			Group: "cluster", Since: "3.0.0", Summary: "Forces a replica to perform a manual failover of its master.",
			Handler: protocol.HandlerFunc(s.clusterFailover)},
	)
	return []*protocol.Command{{Name: "cluster", Arity: -2, Group: "cluster", Since: "3.0.0",
		Summary: "A container for cluster commands", Handler: ct, CallFlags: clusterCallFlags},
		{Name: "asking", Arity: 1, Flags: protocol.Fast, Group: "cluster", Since: "3.0.0",
			Summary: "Sent by cluster clients after an -ASK redirect", Handler: protocol.HandlerFunc(asking)}}
}

// clusterCallFlags routes COUNTKEYSINSLOT and GETKEYSINSLOT as keyspace
// reads (after the read barrier, or locally on a READONLY connection).
func clusterCallFlags(args [][]byte) protocol.Flags {
	if len(args) > 1 && (protocol.EqualFold(args[1], "countkeysinslot") || protocol.EqualFold(args[1], "getkeysinslot")) {
		return protocol.Readonly
	}
	return 0
}

var clusterHelpLines = []string{
	"COUNTKEYSINSLOT <slot>",
	"    Return the number of keys in <slot>.",
	"FAILOVER [FORCE|TAKEOVER]",
	"    Promote current replica node to being a master.",
	"GETKEYSINSLOT <slot> <count>",
	"    Return key names stored by current node in a slot.",
	"INFO",
	"    Return information about the cluster.",
	"KEYSLOT <key>",
	"    Return the hash slot for <key>.",
	"MYID",
	"    Return the node id.",
	"NODES",
	"    Return cluster configuration seen by node. Output format:",
	"    <id> <ip:port> <flags> <master> <pings> <pongs> <epoch> <link> <slot> ...",
	"REPLICAS <node-id>",
	"    Return <node-id> replicas.",
	"SLOTS",
	"    Return information about slots range mappings. Each range is made of:",
	"    start, end, master and replicas IP addresses, ports and ids",
	"SHARDS",
	"    Return information about slot range mappings and the nodes associated with them.",
}

// CLUSTER HELP
func clusterHelp(c *protocol.Ctx) { replyHelp(c, clusterHelpLines) }

// CLUSTER SLOTS: during an election it waits for the new leader
// (ElectionWait at most), then names the last leader known, or none.
func (s *Server) clusterSlots(c *protocol.Ctx) {
	s.awaitMaster()
	t := s.topology(c)
	discovery.WriteSlots(c.Out, &t)
}

// CLUSTER SHARDS: waits as CLUSTER SLOTS does.
func (s *Server) clusterShards(c *protocol.Ctx) {
	s.awaitMaster()
	t := s.topology(c)
	discovery.WriteShards(c.Out, &t)
}

// CLUSTER NODES
func (s *Server) clusterNodes(c *protocol.Ctx) {
	t := s.topology(c)
	c.Out.Verbatim(discovery.NodesText(&t, time.Now().UnixMilli()))
}

// ASKING: +OK. In Redis it lets the next command reach a slot being
// imported; no node here imports or migrates slots (none answers ASK), so
// there is nothing for it to change.
func asking(c *protocol.Ctx) { c.Out.OK() }

// CLUSTER REPLICAS node-id (and CLUSTER SLAVES): the CLUSTER NODES lines
// of the master's replicas.
func (s *Server) clusterReplicas(c *protocol.Ctx) {
	t := s.topology(c)
	lines, errMsg := discovery.ReplicaLines(&t, string(c.Args[2]), time.Now().UnixMilli())
	if errMsg != "" {
		c.Out.Error(errMsg)
		return
	}
	c.Out.Array(len(lines))
	for _, l := range lines {
		c.Out.BulkString(l)
	}
}

// CLUSTER INFO
func (s *Server) clusterInfo(c *protocol.Ctx) {
	t := s.topology(c)
	c.Out.Verbatim(discovery.InfoText(&t))
}

// CLUSTER MYID
func (s *Server) clusterMyID(c *protocol.Ctx) {
	c.Out.BulkString(discovery.RunID(s.admin.NodeID()))
}

// CLUSTER KEYSLOT key
func clusterKeySlot(c *protocol.Ctx) { c.Out.Int(int64(discovery.KeySlot(c.Args[2]))) }

// CLUSTER COUNTKEYSINSLOT slot: a scan of the whole keyspace (geetcache
// keeps no per-slot index), counting keys not yet removed, as Redis does.
func clusterCountKeys(c *protocol.Ctx) {
	slot, ok := protocol.ParseInt(c.Args[2])
	switch {
	case !ok:
		c.Out.Error(protocol.ErrNotInteger)
	case slot < 0 || slot >= discovery.Slots:
		c.Out.Error("ERR Invalid slot")
	default:
		n := 0
		keysInSlot(c.DB, int(slot), func(string) bool { n++; return true })
		c.Out.Int(int64(n))
	}
}

// CLUSTER GETKEYSINSLOT slot count: up to count keys of the slot, in the
// keyspace's order.
func clusterGetKeys(c *protocol.Ctx) {
	slot, ok1 := protocol.ParseInt(c.Args[2])
	count, ok2 := protocol.ParseInt(c.Args[3])
	switch {
	case !ok1 || !ok2:
		c.Out.Error(protocol.ErrNotInteger)
	case slot < 0 || slot >= discovery.Slots || count < 0:
		c.Out.Error("ERR Invalid slot or number of keys")
	default:
		var keys []string
		if count > 0 {
			keysInSlot(c.DB, int(slot), func(k string) bool { keys = append(keys, k); return int64(len(keys)) < count })
		}
		c.Out.Array(len(keys))
		for _, k := range keys {
			c.Out.BulkString(k)
		}
	}
}

// keysInSlot calls fn with each key of ks in slot until fn returns false.
func keysInSlot(ks *datatypes.Keyspace, slot int, fn func(string) bool) {
	if ks == nil {
		return
	}
	ks.Ascend(0, func(e *datatypes.Entry) bool {
		if discovery.KeySlot(e.Key) == slot {
			return fn(e.Key)
		}
		return true
	})
}
