package cluster

// snapshotNice is the nice value the thread encoding a snapshot runs at
// (on Linux; niced). Encoding a large keyspace takes a whole core for
// about a second per million keys, while writes go on beside it: at the
// process's own priority it takes an equal share of the cores from the
// threads serving clients (and from the clients, when they share the
// machine), and the writes' tail latency grows with it. At 19 it runs on
// the cycles they leave; under a load that fills every core a snapshot
// takes longer, which costs a longer log (and the copies the writes make
// of the frozen keyspace) until it ends. docs/benchmarks.md ("Writes
// during snapshots, again") has the measurements that chose 19 over 10
// and 0.
const snapshotNice = 19
