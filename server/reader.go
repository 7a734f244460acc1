package server

import (
	"io"
	"sync/atomic"
	"time"

	"github.com/tidwall/redcon"
)

const (
	// readSize is the read buffer's usual size and the most read at once
	// into it.
	readSize = 16 << 10
	// minRoom is the least free space worth a read call.
	minRoom = 4 << 10
	// bigArg is the bulk length from which a bulk is read straight into its
	// own slice rather than through the read buffer (Redis's
	// PROTO_MBULK_BIG_ARG).
	bigArg = 32 << 10
)

// reader parses a connection's RESP requests into whole commands in one
// pass: a command that arrives in pieces is parsed piece by piece as they
// arrive, never again from its start, so the cost of a command is linear in
// its size whatever the reads look like.
//
// Requests are parsed as Redis 7.0 does: multibulks (the two bytes after a
// bulk are skipped unchecked), inline commands (split as sdssplitargs), and
// empty multibulks (*0, *-1) dropped; the first violation of the syntax or
// of the Limits ends the stream with a protocolError, after every command
// before it.
//
// Memory: a read buffer of readSize bytes, grown only while it must hold
// one unfinished header or inline line (at most Limits.MaxInline) or one
// unfinished bulk under bigArg bytes, and shrunk back after. A bulk of
// bigArg bytes or more is read straight into its own slice, which grows as
// bytes arrive (see bigCap), so a declared length costs nothing until the
// bytes come. Arguments of a command that spans reads are copied once into
// an arena. Everything beyond the read buffer is released when the next
// batch is asked for, except the last big bulk's slice, kept for the next
// big bulk while bulks of about its size keep coming (readbuf_spare.go);
// the read buffer itself goes while the connection is idle (readbuf.go).
//
// A reader is used by one goroutine at a time: the connection's, or, while
// the connection waits in a blocking command, the watch (readHeld).
type reader struct {
	src io.Reader
	lim Limits
	// maxQuery is client-query-buffer-limit: lim.MaxQueryLen, or the
	// server's, which CONFIG SET changes for every reader (conn.go).
	maxQuery *atomic.Int64

	buf    []byte        // buf[rd:wr] is read but not yet parsed; nil once given back (readbuf.go)
	size   *atomic.Int64 // len(buf), for other goroutines (CLIENT LIST), when set
	waiter readWaiter    // src, when it can wait for bytes without a buffer
	rd, wr int
	scan   int   // where the search for the end of the current line resumes
	err    error // the first error; reported once the commands before it are
	netIn  int64 // bytes read, not yet counted in the server's stats
	held   int64 // bytes read since the current batch was handed out

	// wake, when set, is asked about a read that timed out: whether it
	// was a wake-up (which clears the deadline) rather than an end.
	wake func() bool
	// unauth, when set, reports whether the connection has yet to
	// authenticate: its multibulks are then limited to 10 arguments and
	// its bulks to 16384 bytes, as Redis limits them, unless an AUTH or
	// HELLO parsed before (pendingAuth, since the caller last reset it)
	// may have authenticated it by the time the command runs.
	unauth      func() bool
	pendingAuth int

	cmds  []redcon.Command // this batch; cmds[:given] are handed out
	given int

	// Arrival stamps (unix ns, arrival.go): of the last read's bytes, as
	// stamps (the socket) tells them or else when the read returned; of
	// the first command parsed for the next batch; of the batch handed
	// out last (its first command's).
	stamps    arrivalSource
	lastStamp int64
	nextStamp int64
	arrived   int64
	argv      [][]byte // every argument of cmds and of the command in progress
	arena     arena

	// The command in progress: its arguments are argv[cmdStart:], of which
	// argv[alias:] still point into buf.
	st       parseState
	cmdStart int
	alias    int
	left     int64  // bulks still to come
	bulkLen  int64  // the current bulk's declared length
	big      []byte // the current big bulk, read straight into
	cmdBig   []byte // the last big bulk of the command in progress
	skip     int    // bytes still to skip after a big bulk
	cmdLen   int64  // bytes of the command so far, for MaxQueryLen

	// Big bulks' slices kept for the next (readbuf_spare.go): of the last
	// whole command, and the one kept once its batch was done; the
	// largest bulk since it was last judged, and when that was (a stamp).
	lastBig, spare []byte
	peak, judged   int64
}

func newReader(src io.Reader, lim Limits) *reader {
	r := &reader{src: src, lim: lim, buf: newReadBuf(), maxQuery: new(atomic.Int64)}
	r.maxQuery.Store(lim.MaxQueryLen)
	r.stamps, _ = src.(arrivalSource)
	r.waiter = waiterOf(src)
	return r
}

// ReadCommands returns the next batch: every whole command that has
// arrived, at least one. The batch, its commands and their arguments are
// valid until the next call, which may reuse their memory. After the
// commands before it, it returns the first error: a *protocolError, or the
// connection's read error (io.EOF when the client left cleanly).
func (r *reader) ReadCommands() ([]redcon.Command, error) {
	r.held = 0
	if r.given < len(r.cmds) { // parsed while the last batch was held
		batch := r.cmds[r.given:]
		r.given = len(r.cmds)
		r.arrived = r.nextStamp
		return batch, nil
	}
	r.startBatch()
	for {
		r.parse()
		if len(r.cmds) > 0 {
			r.given = len(r.cmds)
			r.arrived = r.nextStamp
			return r.cmds, nil
		}
		if r.err != nil {
			return nil, r.err
		}
		if _, err := r.fill(true); err != nil {
			if r.wake != nil && isTimeout(err) && r.wake() {
				if r.st == atCommand && r.rd == r.wr {
					return nil, errWoken // between commands: the caller may write
				}
				continue
			}
			r.parse()
			r.fail(err)
		}
	}
}

// readHeld reads once from the connection while the caller still holds the
// last batch (a blocking command is waiting), parsing what arrives for the
// next ReadCommands without touching memory the batch uses. After a
// protocol error it reads into scratch and discards. It returns the read's
// error, or errQueryBufferFull once more than MaxQueryLen bytes arrived
// since the batch was handed out.
func (r *reader) readHeld(scratch []byte) error {
	var n int
	var err error
	if r.err != nil {
		n, err = r.src.Read(scratch)
		r.netIn += int64(n)
	} else {
		n, err = r.fill(false)
		r.parse()
	}
	r.held += int64(n)
	if r.held > r.maxQuery.Load() {
		return errQueryBufferFull
	}
	return err
}

// takeNetIn returns the bytes read since the last call.
func (r *reader) takeNetIn() int64 {
	n := r.netIn
	r.netIn = 0
	return n
}

func (r *reader) fail(err error) {
	if r.err == nil {
		r.err = err
	}
}

// startBatch releases the memory of the batch handed out before. The
// command in progress, if any, keeps its arguments.
func (r *reader) startBatch() {
	r.cmds, r.given = r.cmds[:0], 0
	if cap(r.cmds) > 4096 {
		r.cmds = nil
	}
	inProgress := r.argv[r.cmdStart:]
	if cap(r.argv) > 4096 && len(inProgress) < 1024 {
		r.argv = append(make([][]byte, 0, 64), inProgress...)
	} else {
		r.argv = r.argv[:copy(r.argv, inProgress)]
	}
	r.alias -= r.cmdStart
	// Arguments parsed while a batch was held may sit in the arena.
	if r.alias > 0 && r.st != atCommand {
		r.arena.drop()
	} else {
		r.arena.reset()
	}
	r.cmdStart = 0
	r.keepSpare()
}

// fill reads once from the connection: into the big bulk in progress if
// the buffer holds nothing more of it, else into the buffer. inPlace says
// that no handed-out batch points into the buffer, so its unparsed bytes
// may be moved to its start.
func (r *reader) fill(inPlace bool) (int, error) {
	if r.st == inBigBulk && r.rd == r.wr {
		r.growBig(1)
		end := min(cap(r.big), int(r.bulkLen))
		n, err := r.src.Read(r.big[len(r.big):end])
		r.big = r.big[:len(r.big)+n]
		r.netIn += int64(n)
		r.stamp(n)
		return n, err
	}
	if r.buf == nil {
		if err := r.remake(); err != nil {
			return 0, err
		}
	}
	r.detach()
	r.makeRoom(inPlace)
	n, err := r.src.Read(r.buf[r.wr:])
	r.wr += n
	r.netIn += int64(n)
	r.stamp(n)
	return n, err
}

// stamp records when the n bytes just read arrived.
func (r *reader) stamp(n int) {
	switch {
	case n == 0:
	case r.stamps != nil:
		r.lastStamp = r.stamps.lastArrival()
	default:
		r.lastStamp = time.Now().UnixNano()
	}
}

// detach copies the arguments of the command in progress that point into
// the buffer to the arena, so the buffer may be reused. Each argument is
// copied at most once.
func (r *reader) detach() {
	for i := r.alias; i < len(r.argv); i++ {
		r.argv[i] = r.arena.copy(r.argv[i])
	}
	r.alias = len(r.argv)
}

// makeRoom makes room in the buffer for a read of at least minRoom bytes,
// or for the rest of the small bulk being waited for.
func (r *reader) makeRoom(inPlace bool) {
	pending := r.wr - r.rd
	need := minRoom
	if r.st == inBulkData {
		need = max(need, int(r.bulkLen)+2-pending)
	}
	size := len(r.buf)
	if pending+need > size {
		size = max(2*size, pending+need)
	} else if inPlace && size > readSize && pending+need <= readSize {
		size = readSize // shrink once the large line or bulk is parsed
	}
	switch {
	case size != len(r.buf) || (!inPlace && len(r.buf)-r.wr < need):
		buf := make([]byte, max(size, readSize))
		r.moveTo(buf)
	case inPlace && len(r.buf)-r.wr < need:
		r.moveTo(r.buf)
	}
}

// moveTo moves the unparsed bytes to the start of buf and makes it the
// buffer.
func (r *reader) moveTo(buf []byte) {
	n := copy(buf, r.buf[r.rd:r.wr])
	r.scan -= r.rd
	r.rd, r.wr = 0, n
	r.setBuf(buf)
}
