package server

import (
	"crypto/sha1"
	"encoding/hex"
	"math"

	"github.com/geetcache/geetcache/datatypes"
	"github.com/geetcache/geetcache/protocol"
)

// emptyDigest is the digest of nothing, as Redis prints it.
const emptyDigest = "0000000000000000000000000000000000000000"

// debugCommands is DEBUG. Redis 7.0 refuses DEBUG unless
// enable-debug-command is set; geetcache allows the subcommands it has by
// default (DIGEST is how replicas are shown to be identical), and
// restricts them as Redis does when told to (protected_commands.go).
func (s *Server) debugCommands() []*protocol.Command {
	return []*protocol.Command{
		{Name: "debug", Arity: -2, Flags: protocol.Admin | protocol.NoScript | protocol.Loading | protocol.Stale,
			Group: "server", Since: "1.0.0", Summary: "A container for debugging commands",
			Handler: protocol.HandlerFunc(s.debug)},
	}
}

// DEBUG subcommand [argument ...]
func (s *Server) debug(c *protocol.Ctx) {
	sub := c.Args[1]
	switch {
	case protocol.EqualFold(sub, "help") && len(c.Args) == 2:
		replyHelp(c, debugHelpLines)
	case protocol.EqualFold(sub, "digest") && len(c.Args) == 2:
		s.debugDigest(c)
	case protocol.EqualFold(sub, "digest-value"):
		s.debugDigestValue(c)
	case protocol.EqualFold(sub, "reload"):
		s.debugReload(c)
	case protocol.EqualFold(sub, "loadaof") && len(c.Args) == 2:
		c.Out.OK() // the state is already the replay of the log (settings_aof.go)
	case protocol.EqualFold(sub, "set-disable-deny-scripts") && len(c.Args) == 3 && s.cfg.Scripts != nil:
		s.debugDenyScripts(c)
	case protocol.EqualFold(sub, "set-active-expire") && len(c.Args) == 3:
		s.debugSetActiveExpire(c)
	case protocol.EqualFold(sub, "object") && len(c.Args) == 3:
		s.debugObject(c)
	case protocol.EqualFold(sub, "quicklist-packed-threshold") && len(c.Args) == 3:
		debugPackedThreshold(c)
	case protocol.EqualFold(sub, "pause-cron") && len(c.Args) == 3:
		c.Out.OK() // no cron of geetcache's is observable: the tracking table is trimmed at once
	case protocol.EqualFold(sub, "protocol") && len(c.Args) == 3:
		protocol.DebugProtocol(c.Out, c.Args[2])
	case protocol.EqualFold(sub, "sleep") && len(c.Args) == 3:
		s.debugSleep(c)
	default:
		c.Out.Error(protocol.ErrSubcommandSyntax(sub, string(c.Args[0])))
	}
}

var debugHelpLines = []string{
	"DIGEST",
	"    Output a hex signature representing the current DB content.",
	"DIGEST-VALUE <key> [<key> ...]",
	"    Output a hex signature of the values of all the specified keys.",
	"LOADAOF",
	"    Flush the AOF buffers on disk and reload the AOF in memory.",
	"OBJECT <key>",
	"    Show low level info about `key` and associated value.",
	"PROTOCOL <type>",
	"    Reply with a test value of the specified type. <type> can be: string,",
	"    integer, double, bignum, null, array, set, map, attrib, push, verbatim,",
	"    true, false.",
	"QUICKLIST-PACKED-THRESHOLD <size>",
	"    Sets the threshold for elements to be inserted as plain vs packed nodes",
	"    Default value is 1GB, allows values up to 4GB. Setting to 0 restores to default.",
	"RELOAD [option ...]",
	"    Save the RDB on disk and reload it back to memory. Valid <option> values:",
	"    * MERGE: conflicting keys will be loaded from RDB.",
	"    * NOFLUSH: the existing database will not be removed before load, but",
	"      conflicting keys will generate an exception and kill the server.",
	"    * NOSAVE: the database will be loaded from an existing RDB file.",
	"    Examples:",
	"    * DEBUG RELOAD: verify that the server is able to persist, flush and reload",
	"      the database.",
	"    * DEBUG RELOAD NOSAVE: replace the current database with the contents of an",
	"      existing RDB file.",
	"    * DEBUG RELOAD NOSAVE NOFLUSH MERGE: add the contents of an existing RDB",
	"      file to the database.",
	"SET-ACTIVE-EXPIRE <0|1>",
	"    Setting it to 0 disables expiring keys in background when they are not",
	"    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the",
	"    default.",
	"SLEEP <seconds>",
	"    Stop the server for <seconds>. Decimals allowed.",
}

// DEBUG DIGEST: a digest of every key, value and expiry, equal on two
// nodes that applied the same log.
func (s *Server) debugDigest(c *protocol.Ctx) {
	if !s.readBarrier(c) {
		return
	}
	var d string
	s.view.View(func(dbs *datatypes.DBs) { d = dbs.Digest() })
	c.Out.Simple(d)
}

// DEBUG DIGEST-VALUE [key ...]: a digest of each key's value and whether
// it has an expiry (not the key's name), forty zeros for a missing key.
// Like Redis, it sees keys that are logically expired but not yet removed.
func (s *Server) debugDigestValue(c *protocol.Ctx) {
	if !s.readBarrier(c) {
		return
	}
	digests := make([]string, 0, len(c.Args)-2)
	s.view.View(func(dbs *datatypes.DBs) {
		ks := dbs.DB(conn(c).db)
		for _, key := range c.Args[2:] {
			digests = append(digests, valueDigest(ks.Lookup(string(key), math.MinInt64)))
		}
	})
	c.Out.Array(len(digests))
	for _, d := range digests {
		c.Out.Simple(d)
	}
}

// valueDigest hashes e's value encoding and, as Redis does, only the
// presence of an expiry, not its time.
func valueDigest(e *datatypes.Entry) string {
	if e == nil {
		return emptyDigest
	}
	h := sha1.New()
	h.Write(e.Value.AppendEncoded(nil))
	if e.ExpireAt != 0 {
		h.Write([]byte("!!expire!!"))
	}
	return hex.EncodeToString(h.Sum(nil))
}
