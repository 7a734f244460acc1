package cluster

import (
	"bytes"

	"github.com/geetcache/geetcache/datatypes"
	"github.com/geetcache/geetcache/protocol"
)

// signalKeys tells the watcher which keys cmd may have changed, given its
// reply: a key that holds a value after a write (a blocked BLPOP may pop
// it), and a key a write left missing (a blocked XREADGROUP answers that
// its stream is gone); every key after FLUSHALL or FLUSHDB. Keys a write
// left without a stream, or whose groups it changed, are also told as
// Gone (GoneAll for FLUSHALL, FLUSHDB and SWAPDB). A blocking
// command that found nothing (a null or an error: its retry after a
// wake-up) changed nothing and signals nothing, or its own retry would
// wake it again at once.
func (f *FSM) signalKeys(cmd *protocol.Command, argv [][]byte, reply []byte, db int) {
	blocking := cmd.Flags&protocol.Blocking != 0
	switch {
	case blocking && (isNullReply(reply) || bytes.HasPrefix(reply, []byte("-"))):
	case isFlush(cmd):
		f.watcher.GoneAll()
		f.watcher.ReadyAll()
	default:
		ks := f.dbs.DB(db)
		write := cmd.FlagsFor(argv)&protocol.Write != 0   // a read in a transaction removes nothing
		moved := cmd.Name == "move" || cmd.Name == "copy" // the key may now be in another database
		cmd.KeyArgs(argv, func(key []byte) {
			e := ks.Lookup(string(key), f.lastTime)
			if write && streamGone(cmd, e) {
				f.watcher.Gone(db, key)
			}
			if !moved && (!blocking || e != nil) {
				f.watcher.Ready(db, key)
			}
		})
		if moved {
			f.watcher.ReadyAll()
		}
	}
}

// noteBefore tells the watcher what each key of a write holds before it
// runs (a blocked XREAD may have come first: server/xread_retyped.go).
func (f *FSM) noteBefore(cmd *protocol.Command, argv [][]byte, db int) {
	switch {
	case f.appendedAt == 0:
		return
	case isFlush(cmd):
		f.watcher.BeforeFlush(f.appendedAt)
		return
	}
	ks := f.dbs.DB(db)
	cmd.KeyArgs(argv, func(key []byte) {
		f.watcher.BeforeWrite(db, key, f.appendedAt, ks.Lookup(string(key), f.lastTime))
	})
}

// isFlush reports whether cmd changes every key of a database at once
// (FLUSHALL, FLUSHDB, SWAPDB).
func isFlush(cmd *protocol.Command) bool {
	return cmd.Name == "flushall" || cmd.Name == "flushdb" || cmd.Name == "swapdb"
}

// streamGone reports whether a write left its key e without a stream, or
// with its groups changed (XGROUP): a consumer's group may be gone.
func streamGone(cmd *protocol.Command, e *datatypes.Entry) bool {
	if e == nil || cmd.Name == "xgroup" {
		return true
	}
	_, ok := e.Value.(*datatypes.Stream)
	return !ok
}

func isNullReply(reply []byte) bool {
	return bytes.Equal(reply, []byte("*-1\r\n")) || bytes.Equal(reply, []byte("$-1\r\n")) ||
		bytes.Equal(reply, []byte("_\r\n"))
}
