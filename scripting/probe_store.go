package scripting

import "github.com/geetcache/geetcache/protocol"

// A read that would store what it computed (protocol.Command.MayStore: a
// single-key PFCOUNT of an HLL whose cached count is stale) ends a probe
// as a write does: the script goes into the log, where every node stores
// the count as Redis's PFCOUNT does. It is not refused as a write would be
// (min-replicas): Redis judges PFCOUNT a read there. A read-only run
// (EVAL_RO, a no-writes script) may not call PFCOUNT at all, as in Redis.

// errProbeStore is exec's answer to such a call in a probe.
const errProbeStore = "the probe of a script reached a read that stores what it computed"

// probeStores reports whether rc is a probe and argv, a call of cmd,
// would store what it computes.
func probeStores(rc *runCtx, cmd *protocol.Command, argv [][]byte) bool {
	if rc.run.Probe == nil || !cmd.MayStore(argv) {
		return false
	}
	base := protocol.Ctx{DB: rc.db, DBs: rc.c.DBs, DBIndex: rc.dbIndex, Now: rc.c.Now}
	return !cmd.TryUnchanged(&base, argv, &protocol.Writer{})
}
