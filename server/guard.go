package server

import (
	"bytes"
	"io"
	"strconv"

	"github.com/geetcache/geetcache/protocol"
)

// Limits bounds what one client may send. redcon's reader trusts declared
// lengths (it panics on $9223372036854775807, loops on *9223372036854775807
// and buffers any declared bulk), so the guard checks every header before
// redcon sees it.
type Limits struct {
	MaxBulk     int64 // proto-max-bulk-len: largest bulk string
	MaxArgs     int64 // largest multibulk count
	MaxInline   int   // longest inline command or header line
	MaxQueryLen int64 // largest single command, headers included
}

// DefaultLimits are Redis 7.0's, except MaxArgs (Redis allows INT_MAX,
// bounded only by its 1 GB query buffer; see docs/compatibility.md).
var DefaultLimits = Limits{
	MaxBulk:     512 << 20,
	MaxArgs:     1 << 20,
	MaxInline:   64 << 10,
	MaxQueryLen: 1 << 30,
}

// protocolError is a malformed request. Its text follows "Protocol error: ".
type protocolError struct{ msg string }

func (e *protocolError) Error() string { return "Protocol error: " + e.msg }

func protoErr(msg string) error { return &protocolError{msg} }

type guardState uint8

const (
	atCommand guardState = iota
	inMultibulkLine
	inBulkLine
	inBulkData
	inInlineLine
)

// guard sits between the socket and redcon's reader. It passes well-formed
// RESP through unchanged, rewrites inline commands as RESP (split exactly as
// Redis's sdssplitargs does), drops empty multibulks (*0, *-1) as Redis does,
// and turns the first violation into a protocolError after every byte
// before it has been delivered.
type guard struct {
	src io.Reader
	lim Limits
	in  []byte
	out []byte // what redcon has yet to read: a window on buf
	buf []byte // out's backing array, reused between reads
	// pushback holds bytes read off the socket elsewhere, parsed first.
	pushback []byte
	err      error
	st       guardState
	line     []byte
	args     int64 // bulks left in the current multibulk
	bulk     int64 // bytes left in the current bulk, CRLF included
	cmdLen   int64 // bytes of the current command so far
}

func newGuard(src io.Reader, lim Limits) *guard {
	return &guard{src: src, lim: lim, in: make([]byte, 16<<10)}
}

// unread gives back bytes read from the socket by someone else (the watch
// on a blocked client); they are parsed before anything read later.
func (g *guard) unread(b []byte) {
	if len(b) > 0 {
		g.pushback = append(g.pushback, b...)
	}
}

// Read implements io.Reader for redcon.
func (g *guard) Read(p []byte) (int, error) {
	for len(g.out) == 0 {
		if g.err != nil {
			return 0, g.err
		}
		if len(g.pushback) > 0 {
			b := g.pushback
			g.pushback = nil
			g.out = g.buf[:0]
			g.feed(b)
			g.buf = g.out
			continue
		}
		if g.st == inBulkData && g.bulk > 2 {
			return g.readBulk(p)
		}
		n, err := g.src.Read(g.in)
		g.out = g.buf[:0]
		g.feed(g.in[:n])
		g.buf = g.out
		if err != nil && g.err == nil {
			g.err = err
		}
	}
	n := copy(p, g.out)
	g.out = g.out[n:]
	if len(g.out) == 0 && cap(g.buf) > 1<<20 {
		g.buf = nil // do not keep a huge buffer for an idle client
	}
	return n, nil
}

// readBulk reads a bulk's payload straight into p: no copy, no scan.
func (g *guard) readBulk(p []byte) (int, error) {
	want := min(int64(len(p)), g.bulk-2)
	n, err := g.src.Read(p[:want])
	g.bulk -= int64(n)
	return n, err
}

// feed advances the state machine over b, appending what redcon may see to
// g.out. It stops at the first violation, recording it in g.err.
func (g *guard) feed(b []byte) {
	for len(b) > 0 && g.err == nil {
		switch g.st {
		case atCommand:
			g.line = g.line[:0]
			g.cmdLen = 0
			if b[0] == '*' {
				g.st = inMultibulkLine
			} else {
				g.st = inInlineLine
			}
		case inBulkData:
			b = g.feedBulk(b)
		default:
			b = g.feedLine(b)
		}
	}
}

func (g *guard) feedBulk(b []byte) []byte {
	take := int(min(int64(len(b)), g.bulk))
	chunk := b[:take]
	// Like Redis, skip the two bytes after a bulk without looking at them;
	// redcon insists on CRLF, so hand it one.
	payload := max(0, min(take, int(g.bulk-2)))
	g.out = append(g.out, chunk[:payload]...)
	for i := payload; i < take; i++ {
		g.out = append(g.out, "\r\n"[2-(g.bulk-int64(i))])
	}
	g.bulk -= int64(take)
	if g.bulk == 0 {
		g.endArg()
	}
	return b[take:]
}

func (g *guard) endArg() {
	g.args--
	if g.args == 0 {
		g.st = atCommand
	} else {
		g.st = inBulkLine
	}
}

// feedLine accumulates a header or inline line and handles it once whole.
func (g *guard) feedLine(b []byte) []byte {
	if g.st == inBulkLine && len(g.line) == 0 && b[0] != '$' {
		g.err = protoErr("expected '$', got '" + string(b[0]) + "'")
		return nil
	}
	i := bytes.IndexByte(b, '\n')
	if i < 0 {
		g.line = append(g.line, b...)
		if len(g.line) > g.lim.MaxInline {
			g.err = g.tooBig()
		}
		return nil
	}
	line := b[:i+1]
	if len(g.line) > 0 { // the line began in an earlier read
		g.line = append(g.line, line...)
		line = g.line
	}
	if len(line) > g.lim.MaxInline+2 {
		g.err = g.tooBig()
		return nil
	}
	g.endLine(line)
	g.line = g.line[:0]
	return b[i+1:]
}

func (g *guard) tooBig() error {
	switch g.st {
	case inMultibulkLine:
		return protoErr("too big mbulk count string")
	case inBulkLine:
		return protoErr("too big bulk count string")
	}
	return protoErr("too big inline request")
}

func (g *guard) endLine(line []byte) {
	if !g.addLen(int64(len(line))) {
		return
	}
	switch g.st {
	case inMultibulkLine:
		g.multibulkHeader(line)
	case inBulkLine:
		g.bulkHeader(line)
	case inInlineLine:
		g.inline(line)
	}
}

func (g *guard) addLen(n int64) bool {
	g.cmdLen += n
	if g.cmdLen > g.lim.MaxQueryLen {
		g.err = protoErr("command exceeds the query buffer limit of " +
			strconv.FormatInt(g.lim.MaxQueryLen, 10) + " bytes")
		return false
	}
	return true
}

func (g *guard) multibulkHeader(line []byte) {
	n, ok := headerNumber(line)
	if !ok || n > g.lim.MaxArgs {
		g.err = protoErr("invalid multibulk length")
		return
	}
	if n <= 0 {
		g.st = atCommand // Redis ignores empty multibulks
		return
	}
	g.out = append(g.out, line...)
	g.args = n
	g.st = inBulkLine
}

func (g *guard) bulkHeader(line []byte) {
	n, ok := headerNumber(line)
	if !ok || n < 0 || n > g.lim.MaxBulk || !g.addLen(n+2) {
		if g.err == nil {
			g.err = protoErr("invalid bulk length")
		}
		return
	}
	g.out = append(g.out, line...)
	g.bulk = n + 2
	g.st = inBulkData
}

// headerNumber parses "*<n>\r\n" or "$<n>\r\n".
func headerNumber(line []byte) (int64, bool) {
	if len(line) < 4 || line[len(line)-2] != '\r' {
		return 0, false
	}
	return protocol.ParseInt(line[1 : len(line)-2])
}

func (g *guard) inline(line []byte) {
	line = bytes.TrimSuffix(bytes.TrimSuffix(line, []byte("\n")), []byte("\r"))
	args, err := splitArgs(line)
	if err != nil {
		g.err = err
		return
	}
	g.st = atCommand
	if len(args) == 0 {
		return
	}
	if int64(len(args)) > g.lim.MaxArgs {
		g.err = protoErr("invalid multibulk length")
		return
	}
	g.out = append(g.out, '*')
	g.out = strconv.AppendInt(g.out, int64(len(args)), 10)
	g.out = append(g.out, '\r', '\n')
	for _, a := range args {
		g.out = append(g.out, '$')
		g.out = strconv.AppendInt(g.out, int64(len(a)), 10)
		g.out = append(g.out, '\r', '\n')
		g.out = append(g.out, a...)
		g.out = append(g.out, '\r', '\n')
	}
}
