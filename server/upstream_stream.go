package server

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/geetcache/geetcache/protocol"
)

// applyStream applies the master's command stream until the link fails or
// u stops. The commands that have arrived together go into the log
// together (one group commit), each in the database the stream's last
// SELECT chose, a MULTI ... EXEC block as one transaction; PING is only
// counted. The offset acknowledged is the master's offset of the last
// command applied; REPLCONF GETACK is answered with it once the commands
// before it are applied.
func (s *Server) applyStream(u *masterLink, rd *bufio.Reader) error {
	st := streamState{l: upstreamApplier{s: s}, dbs: s.databases(), db: u.db} // a continued stream selects nothing again
	for !u.stopped() {
		args, n, err := readUpstreamCommand(rd)
		if err != nil {
			return err
		}
		u.lastIO.Store(time.Now().Unix())
		if err := st.take(u, args, n); err != nil {
			return err
		}
		if rd.Buffered() == 0 || len(st.l.pending) >= upstreamWindow {
			if err := st.flush(u); err != nil {
				return err
			}
		}
	}
	return nil
}

// streamState is where the stream stands: the database its commands run
// in, an open MULTI block, and the bytes read but not yet applied.
type streamState struct {
	l       upstreamApplier
	dbs     int
	db      int
	multi   [][][]byte // the commands of an open MULTI block
	inMulti bool
	unacked int64 // bytes taken since the last flush
}

// take handles one command of the stream, n bytes long.
func (st *streamState) take(u *masterLink, args [][]byte, n int) error {
	st.unacked += int64(n)
	if len(args) == 0 {
		return nil // a newline: the master keeping the link alive
	}
	switch name := args[0]; {
	case protocol.EqualFold(name, "ping"):
	case protocol.EqualFold(name, "select") && len(args) == 2:
		db, err := strconv.Atoi(string(args[1]))
		if err != nil || db < 0 || db >= st.dbs {
			return fmt.Errorf("the master selected database %q; this node has %d", args[1], st.dbs)
		}
		st.db = db
	case protocol.EqualFold(name, "replconf"):
		if len(args) > 1 && protocol.EqualFold(args[1], "getack") {
			st.unacked -= int64(n) // the offset before this command, as Redis's replica answers
			if err := st.flush(u); err != nil {
				return err
			}
			st.unacked = int64(n)
			return u.ack()
		}
	case protocol.EqualFold(name, "multi"):
		st.inMulti, st.multi = true, nil
	case protocol.EqualFold(name, "exec") && st.inMulti:
		st.l.submit(st.db, true, st.multi...)
		st.inMulti, st.multi = false, nil
	case st.inMulti:
		st.multi = append(st.multi, args)
	default:
		st.l.submit(st.db, false, args)
	}
	return nil
}

// flush waits for the submitted commands and moves the applied offset
// past them (an open MULTI block's bytes wait for its EXEC).
func (st *streamState) flush(u *masterLink) error {
	if err := st.l.wait(); err != nil {
		return err
	}
	if !st.inMulti {
		u.offset.Add(st.unacked)
		u.db, st.unacked = st.db, 0
	}
	return nil
}

// readUpstreamCommand reads one command of the stream, a RESP array of
// bulk strings, and returns its arguments and its length in bytes; a bare
// newline is no command (nil arguments, its byte counted).
func readUpstreamCommand(rd *bufio.Reader) ([][]byte, int, error) {
	header, err := readUpstreamLine(rd)
	if err != nil {
		return nil, 0, err
	}
	size := len(header) + 2
	if header == "" {
		return nil, 1, nil
	}
	count, err := strconv.Atoi(header[1:])
	if header[0] != '*' || err != nil || count < 1 || count > maxUpstreamArgs {
		return nil, 0, fmt.Errorf("%w: %q", errUpstreamProtocol, header)
	}
	args := make([][]byte, count)
	for i := range args {
		line, err := readUpstreamLine(rd)
		if err != nil {
			return nil, 0, err
		}
		n, err := strconv.Atoi(line[min(1, len(line)):])
		if len(line) == 0 || line[0] != '$' || err != nil || n < 0 || n > maxUpstreamBulk {
			return nil, 0, fmt.Errorf("%w: %q", errUpstreamProtocol, line)
		}
		arg := make([]byte, n+2)
		if _, err := io.ReadFull(rd, arg); err != nil {
			return nil, 0, err
		}
		if arg[n] != '\r' || arg[n+1] != '\n' {
			return nil, 0, fmt.Errorf("%w: an argument without CRLF", errUpstreamProtocol)
		}
		args[i] = arg[:n]
		size += len(line) + 2 + n + 2
	}
	return args, size, nil
}
