package server

import "github.com/geetcache/geetcache/cluster"

// The connection's stages of a write's way (cluster/pathtimes.go), timed
// in a build with the pathtimes tag; their call sites are compiled out in
// any other.

// pathReplyTaken times f from its reply to this connection taking it.
func pathReplyTaken(c *client, f *cluster.Pending) {
	if done := f.PathFinished(); done != 0 {
		now := cluster.PathNow()
		cluster.PathAdd(cluster.StageReplyWake, now-done)
		c.pathReply.Set(now)
	}
}

// pathRepliesWritten times the write of the write replies taken, and
// returns when it ended; 0 after a pipeline without writes, whose next
// request is not timed (the stages are a write's).
func pathRepliesWritten(c *client) int64 {
	taken := c.pathReply.Get()
	if taken == 0 {
		return 0
	}
	now := cluster.PathNow()
	cluster.PathAdd(cluster.StageReplyWrite, now-taken)
	c.pathReply.Set(0)
	return now
}

// pathRequestRead times the request just read after write replies written
// at flushed: the client's turnaround, to the request's arrival (the
// socket's stamp; where the connection has none, as over TLS, the read's
// return, so the turnaround then holds the read wake), and the wait from
// its arrival to the read.
func pathRequestRead(c *client, flushed int64) {
	arrived := c.rd.lastStamp
	if flushed == 0 || arrived <= flushed {
		return
	}
	cluster.PathAdd(cluster.StageTurnaround, arrived-flushed)
	cluster.PathAdd(cluster.StageReadWake, cluster.PathNow()-arrived)
}
