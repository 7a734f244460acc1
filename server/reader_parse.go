package server

import (
	"bytes"

	"github.com/tidwall/redcon"

	"github.com/geetcache/geetcache/protocol"
)

type parseState uint8

const (
	atCommand       parseState = iota
	inMultibulkLine            // *<count>\r\n
	inBulkLine                 // $<length>\r\n
	inBulkData                 // a bulk under bigArg bytes, or one whole in the buffer
	inBigBulk                  // a bulk read into r.big
	inBigBulkEnd               // the two bytes after a big bulk
	inInlineLine
)

// parse consumes buf[rd:wr], appending every command it completes to
// r.cmds, until it needs more bytes or meets an error.
func (r *reader) parse() {
	for r.err == nil {
		var more bool
		switch r.st {
		case atCommand:
			more = r.startCommand()
		case inBulkData:
			more = r.bulkData()
		case inBigBulk:
			more = r.bigBulkData()
		case inBigBulkEnd:
			more = r.bigBulkEnd()
		default:
			more = r.line()
		}
		if !more {
			return
		}
	}
}

func (r *reader) startCommand() bool {
	if r.rd == r.wr {
		return false
	}
	r.cmdStart, r.alias = len(r.argv), len(r.argv)
	r.cmdLen = 0
	r.scan = r.rd
	if r.buf[r.rd] == '*' {
		r.st = inMultibulkLine
	} else {
		r.st = inInlineLine
	}
	return true
}

// line consumes a header or inline line once it is whole. A line longer
// than MaxInline+1 bytes before its '\n' is refused, whether or not its
// end has arrived.
func (r *reader) line() bool {
	if r.rd == r.wr {
		return false
	}
	if r.st == inBulkLine && r.buf[r.rd] != '$' {
		r.fail(protoErr(protocol.ErrProtoExpectedBulk(shownByte(r.buf[r.rd]))))
		return false
	}
	r.scan = max(r.scan, r.rd)
	i := bytes.IndexByte(r.buf[r.scan:r.wr], '\n')
	if i < 0 {
		r.scan = r.wr
		if r.wr-r.rd > r.lim.MaxInline+1 {
			r.fail(r.tooBig())
		}
		return false
	}
	end := r.scan + i + 1
	if end-1-r.rd > r.lim.MaxInline+1 {
		r.fail(r.tooBig())
		return false
	}
	line := r.buf[r.rd:end]
	r.rd, r.scan = end, end
	if !r.addLen(int64(len(line))) {
		return false
	}
	switch r.st {
	case inMultibulkLine:
		r.multibulkHeader(line)
	case inBulkLine:
		r.bulkHeader(line)
	default:
		r.inline(line)
	}
	return r.err == nil
}

// shownByte is b as Redis's "%c" shows it in an error line, where CR and LF
// become spaces.
func shownByte(b byte) string {
	if b == '\r' || b == '\n' {
		b = ' '
	}
	return string([]byte{b})
}

func (r *reader) tooBig() error {
	switch r.st {
	case inMultibulkLine:
		return protoErr(protocol.ErrProtoBigMultibulk)
	case inBulkLine:
		return protoErr(protocol.ErrProtoBigBulk)
	}
	return protoErr(protocol.ErrProtoBigInline)
}

func (r *reader) addLen(n int64) bool {
	r.cmdLen += n
	if limit := r.maxQuery.Load(); r.cmdLen > limit {
		r.fail(protoErr(protocol.ErrProtoQueryLimit(limit)))
		return false
	}
	return true
}

func (r *reader) multibulkHeader(line []byte) {
	n, ok := headerNumber(line)
	if !ok || n > r.lim.MaxArgs {
		r.fail(protoErr(protocol.ErrProtoMultibulkLen))
		return
	}
	if n > 10 && r.unauthLimited() {
		r.fail(protoErr(protocol.ErrProtoUnauthMultibulk))
		return
	}
	if n <= 0 {
		r.st = atCommand // Redis ignores empty multibulks
		return
	}
	r.left = n
	r.st = inBulkLine
}

func (r *reader) bulkHeader(line []byte) {
	n, ok := headerNumber(line)
	if !ok || n < 0 || n > r.lim.MaxBulk {
		r.fail(protoErr(protocol.ErrProtoBulkLen))
		return
	}
	if n > 16384 && r.unauthLimited() {
		r.fail(protoErr(protocol.ErrProtoUnauthBulk))
		return
	}
	if !r.addLen(n + 2) {
		return
	}
	r.bulkLen = n
	r.st = inBulkData
}

// headerNumber parses "*<n>\r\n" or "$<n>\r\n".
func headerNumber(line []byte) (int64, bool) {
	if len(line) < 4 || line[len(line)-2] != '\r' {
		return 0, false
	}
	return protocol.ParseInt(line[1 : len(line)-2])
}

// bulkData takes a bulk that is whole in the buffer, or starts reading a
// big one into its own slice; a small one waits for its end.
func (r *reader) bulkData() bool {
	n := int(r.bulkLen)
	r.peak = max(r.peak, r.bulkLen)
	pending := r.wr - r.rd
	if pending >= n+2 {
		// Like Redis, skip the two bytes after a bulk without looking.
		r.argv = append(r.argv, r.buf[r.rd:r.rd+n:r.rd+n])
		r.rd += n + 2
		r.endArg()
		return true
	}
	if n < bigArg {
		return false
	}
	r.detach() // the arguments before it stay in order with it
	r.big = r.takeSpare(n)
	r.st = inBigBulk
	return true
}

// bigBulkData moves what the buffer holds of the big bulk into it.
func (r *reader) bigBulkData() bool {
	want := int(r.bulkLen) - len(r.big)
	if want == 0 {
		r.argv = append(r.argv, r.big[:len(r.big):len(r.big)])
		r.alias = len(r.argv)
		r.cmdBig, r.big = r.big, nil
		r.skip = 2
		r.st = inBigBulkEnd
		return true
	}
	if r.rd == r.wr {
		return false
	}
	take := min(want, r.wr-r.rd)
	r.growBig(take)
	r.big = append(r.big, r.buf[r.rd:r.rd+take]...)
	r.rd += take
	return true
}

func (r *reader) bigBulkEnd() bool {
	take := min(r.skip, r.wr-r.rd)
	r.rd += take
	r.skip -= take
	if r.skip > 0 {
		return false
	}
	r.endArg()
	return true
}

// growBig makes room for n more bytes in the big bulk. Its capacity
// doubles from bigArg with what has arrived, and jumps to the declared
// length once that is within four times the next step: a client that
// declares a length but sends little costs at most about eight times what
// it sent, and the last copy holds at most a quarter of the bulk.
func (r *reader) growBig(n int) {
	if cap(r.big)-len(r.big) >= n {
		return
	}
	size := max(2*cap(r.big), len(r.big)+n, 2*bigArg)
	if int64(size)*4 >= r.bulkLen {
		size = int(r.bulkLen)
	}
	big := make([]byte, len(r.big), size)
	copy(big, r.big)
	r.big = big
	r.publishSize()
}

func (r *reader) endArg() {
	r.left--
	if r.left > 0 {
		r.st = inBulkLine
		return
	}
	r.finish()
}

// unauthLimited reports whether the unauthenticated limits apply now.
func (r *reader) unauthLimited() bool {
	return r.unauth != nil && r.pendingAuth == 0 && r.unauth()
}

// finish hands the command in progress to the batch.
func (r *reader) finish() {
	end := len(r.argv)
	if name := r.argv[r.cmdStart]; protocol.EqualFold(name, "auth") || protocol.EqualFold(name, "hello") {
		r.pendingAuth++
	}
	if len(r.cmds) == r.given {
		r.nextStamp = r.lastStamp // the first of the next batch
	}
	r.cmds = append(r.cmds, redcon.Command{Args: r.argv[r.cmdStart:end:end]})
	r.cmdStart, r.alias = end, end
	r.st = atCommand
	if r.cmdBig != nil {
		r.lastBig, r.cmdBig = r.cmdBig, nil
	}
}

func (r *reader) inline(line []byte) {
	line = bytes.TrimSuffix(bytes.TrimSuffix(line, []byte("\n")), []byte("\r"))
	args, ok := protocol.SplitArgs(line)
	if !ok {
		r.fail(protoErr(protocol.ErrProtoUnbalanced))
		return
	}
	r.st = atCommand
	if len(args) == 0 {
		return
	}
	if int64(len(args)) > r.lim.MaxArgs {
		r.fail(protoErr(protocol.ErrProtoMultibulkLen))
		return
	}
	r.argv = append(r.argv, args...)
	r.finish()
}
