// Package discovery describes a geetcache cluster in the two shapes Redis
// clients already use to find a master on their own: Redis Sentinel's
// (SENTINEL GET-MASTER-ADDR-BY-NAME, MASTERS, REPLICAS, SENTINELS...) and
// Redis Cluster's (CLUSTER SLOTS, SHARDS, NODES, INFO). The Raft leader is
// the master, the followers are its replicas, and one shard owns all 16384
// hash slots. Every node answers both, about the whole cluster, as far as
// it knows it (docs/operations.md, "Pointing clients at the cluster").
//
// The package is pure: a Topology is a snapshot the caller builds (the
// server, from the Raft configuration), and the functions here only write
// replies for it; nothing reads a clock or the network.
package discovery
