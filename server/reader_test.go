package server

import (
	"bytes"
	"errors"
	"io"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/tidwall/redcon"
)

// readerOutput parses in through a reader and returns every command it
// produced, encoded as RESP, and the error that ended the stream (nil for a
// clean EOF).
func readerOutput(r io.Reader, lim Limits) (string, error) {
	rd := newReader(r, lim)
	var out []byte
	for {
		cmds, err := rd.ReadCommands()
		for _, c := range cmds {
			out = redcon.AppendArray(out, len(c.Args))
			for _, a := range c.Args {
				out = redcon.AppendBulk(out, a)
			}
		}
		if err == io.EOF {
			return string(out), nil
		}
		if err != nil {
			return string(out), err
		}
	}
}

var smallLimits = Limits{MaxBulk: 100, MaxArgs: 8, MaxInline: 32, MaxQueryLen: 300}

// TestReader parses each input whole, a byte at a time and in halves: the
// commands and the error must not depend on how the bytes arrive.
func TestReader(t *testing.T) {
	tests := []struct {
		name, in, out, err string
	}{
		{"resp", "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n", "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n", ""},
		{"pipeline", "*1\r\n$4\r\nPING\r\n*1\r\n$4\r\nPING\r\n", "*1\r\n$4\r\nPING\r\n*1\r\n$4\r\nPING\r\n", ""},
		{"empty multibulk dropped", "*0\r\n*-1\r\n*1\r\n$4\r\nPING\r\n", "*1\r\n$4\r\nPING\r\n", ""},
		{"inline", "SET k v\r\n", "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n", ""},
		{"inline lf only", "PING\n", "*1\r\n$4\r\nPING\r\n", ""},
		{"inline quotes", "SET k \"a b\\x41\\n\" 'c\\'d'\r\n", "*4\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\na bA\n\r\n$3\r\nc'd\r\n", ""},
		{"inline blank line", "\r\n   \r\nPING\r\n", "*1\r\n$4\r\nPING\r\n", ""},
		{"empty bulk", "*2\r\n$4\r\nECHO\r\n$0\r\n\r\n", "*2\r\n$4\r\nECHO\r\n$0\r\n\r\n", ""},
		{"huge bulk", "*1\r\n$9223372036854775807\r\n", "", "Protocol error: invalid bulk length"},
		{"bulk over limit", "*1\r\n$101\r\n", "", "Protocol error: invalid bulk length"},
		{"negative bulk", "*1\r\n$-1\r\n", "", "Protocol error: invalid bulk length"},
		{"bulk not a number", "*1\r\n$x\r\n", "", "Protocol error: invalid bulk length"},
		{"huge multibulk", "*9223372036854775807\r\n", "", "Protocol error: invalid multibulk length"},
		{"multibulk over limit", "*9\r\n", "", "Protocol error: invalid multibulk length"},
		{"multibulk not a number", "*1x\r\n", "", "Protocol error: invalid multibulk length"},
		{"multibulk plus sign", "*+1\r\n", "", "Protocol error: invalid multibulk length"},
		{"multibulk no CR", "*1\n", "", "Protocol error: invalid multibulk length"},
		{"expected dollar", "*2\r\nfoo\r\n", "", "Protocol error: expected '$', got 'f'"},
		{"bulk terminator not checked, as in Redis", "*1\r\n$4\r\nPINGxx", "*1\r\n$4\r\nPING\r\n", ""},
		{"inline too big", strings.Repeat("a", 40), "", "Protocol error: too big inline request"},
		{"mbulk line too big", "*" + strings.Repeat("1", 40), "", "Protocol error: too big mbulk count string"},
		{"bulk line too big", "*1\r\n$" + strings.Repeat("1", 40), "", "Protocol error: too big bulk count string"},
		{"unbalanced quotes", "SET \"a b\r\n", "", "Protocol error: unbalanced quotes in request"},
		{"quote not followed by space", "SET \"a\"b\r\n", "", "Protocol error: unbalanced quotes in request"},
		{"query limit", "*3\r\n$100\r\n" + strings.Repeat("a", 100) + "\r\n$100\r\n" + strings.Repeat("a", 100) + "\r\n$100\r\n",
			"",
			"Protocol error: command exceeds the query buffer limit of 300 bytes"},
		{"commands before error are delivered", "PING\r\n*1\r\n$x\r\n", "*1\r\n$4\r\nPING\r\n", "Protocol error: invalid bulk length"},
		{"expected dollar, CR shown as a space", "*2\r\n\r\n", "", "Protocol error: expected '$', got ' '"},
		{"expected dollar, byte shown raw", "*2\r\n\xffab\r\n", "", "Protocol error: expected '$', got '\xff'"},
		{"partial command at EOF dropped", "PING\r\n*2\r\n$3\r\nGET\r\n", "*1\r\n$4\r\nPING\r\n", ""},
		{"inline line at the limit", strings.Repeat("a", 32) + "\r\n", "*1\r\n$32\r\n" + strings.Repeat("a", 32) + "\r\n", ""},
		{"inline line over the limit", strings.Repeat("a", 33) + "\r\n", "", "Protocol error: too big inline request"},
		{"pipeline across reads", "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2\r\nv1\r\nGET k\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\n",
			"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2\r\nv1\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\n", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			readers := map[string]io.Reader{
				"whole":    strings.NewReader(tc.in),
				"one byte": iotest.OneByteReader(strings.NewReader(tc.in)),
				"half":     iotest.HalfReader(strings.NewReader(tc.in)),
			}
			for how, r := range readers {
				out, err := readerOutput(r, smallLimits)
				if out != tc.out {
					t.Errorf("%s: out = %q, want %q", how, out, tc.out)
				}
				if gotErr := errText(err); gotErr != tc.err {
					t.Errorf("%s: err = %q, want %q", how, gotErr, tc.err)
				}
			}
		})
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	var pe *protocolError
	if !errors.As(err, &pe) {
		return "unexpected error type: " + err.Error()
	}
	return err.Error()
}

// chunkReader returns its input in reads of the sizes in sizes, in turn.
type chunkReader struct {
	in    []byte
	sizes []int
	i     int
}

func (c *chunkReader) Read(p []byte) (int, error) {
	if len(c.in) == 0 {
		return 0, io.EOF
	}
	n := 1
	if len(c.sizes) > 0 {
		n = c.sizes[c.i%len(c.sizes)]
		c.i++
	}
	n = min(n, len(p), len(c.in))
	copy(p, c.in[:n])
	c.in = c.in[n:]
	return n, nil
}

// heldOutput is readerOutput, except that after each batch it reads on
// with readHeld, as the watch on a blocked client does, and checks that the
// held batch's arguments did not change meanwhile.
func heldOutput(t *testing.T, src io.Reader, lim Limits) (string, error) {
	rd := newReader(src, lim)
	var out []byte
	scratch := make([]byte, 3)
	for {
		cmds, err := rd.ReadCommands()
		var before []byte
		for _, c := range cmds {
			before = redcon.AppendArray(before, len(c.Args))
			for _, a := range c.Args {
				before = redcon.AppendBulk(before, a)
			}
		}
		if err != nil {
			out = append(out, before...)
			if err == io.EOF {
				return string(out), nil
			}
			return string(out), err
		}
		for i := 0; i < 3 && rd.readHeld(scratch) == nil; i++ {
		}
		var after []byte
		for _, c := range cmds {
			after = redcon.AppendArray(after, len(c.Args))
			for _, a := range c.Args {
				after = redcon.AppendBulk(after, a)
			}
		}
		if !bytes.Equal(before, after) {
			t.Fatalf("readHeld changed the held batch: %q became %q", before, after)
		}
		out = append(out, before...)
	}
}

// TestReaderBigBulk reads bulks on both sides of bigArg, split in several
// ways, with small commands around them.
func TestReaderBigBulk(t *testing.T) {
	for _, size := range []int{bigArg - 1, bigArg, 3*bigArg + 7, 1 << 20} {
		val := bytes.Repeat([]byte("0123456789abcdef"), size/16+1)[:size]
		in := "PING\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$" + strconv.Itoa(size) + "\r\n" + string(val) + "\r\nPING\r\n"
		want := "*1\r\n$4\r\nPING\r\n" + string(redcon.AppendBulk(redcon.AppendBulk(redcon.AppendBulk(
			redcon.AppendArray(nil, 3), []byte("SET")), []byte("k")), val)) + "*1\r\n$4\r\nPING\r\n"
		for _, sizes := range [][]int{{len(in)}, {1000}, {7, 100000, 3}, {readSize}} {
			out, err := readerOutput(&chunkReader{in: []byte(in), sizes: sizes}, DefaultLimits)
			if err != nil || out != want {
				t.Fatalf("size %d, reads %v: err %v, got %d bytes, want %d", size, sizes, err, len(out), len(want))
			}
			out, err = heldOutput(t, &chunkReader{in: []byte(in), sizes: sizes}, DefaultLimits)
			if err != nil || out != want {
				t.Fatalf("held, size %d, reads %v: err %v, got %d bytes, want %d", size, sizes, err, len(out), len(want))
			}
		}
	}
}

// TestReaderMemoryBounded checks the reader's own buffers: a declared bulk
// costs about what has arrived, and the buffers shrink after a large line
// or command.
func TestReaderMemoryBounded(t *testing.T) {
	in := "*2\r\n$3\r\nGET\r\n$536870912\r\n" + strings.Repeat("x", 1<<20)
	rd := newReader(&chunkReader{in: []byte(in), sizes: []int{64 << 10}}, DefaultLimits)
	if _, err := rd.ReadCommands(); err != io.EOF {
		t.Fatalf("err %v, want EOF", err)
	}
	if cap(rd.big) > 8<<20 {
		t.Fatalf("1 MB of a declared 512 MB bulk holds a %d-byte slice", cap(rd.big))
	}

	long := "SET k " + strings.Repeat("v", 60<<10) + "\r\nPING\r\nPING\r\n"
	many := "*20000\r\n" + strings.Repeat("$3\r\nabc\r\n", 20000) + "PING\r\n"
	for name, in := range map[string]string{"long inline": long, "many arguments": many} {
		rd := newReader(&chunkReader{in: []byte(in), sizes: []int{1000}}, DefaultLimits)
		var n int
		for {
			cmds, err := rd.ReadCommands()
			n += len(cmds)
			if err != nil {
				break
			}
		}
		if n < 2 {
			t.Fatalf("%s: %d commands", name, n)
		}
		if len(rd.buf) > readSize || cap(rd.argv) > 4096 || cap(rd.arena.block) > arenaBlock {
			t.Fatalf("%s: buffers not shrunk: buf %d, argv %d, arena %d", name, len(rd.buf), cap(rd.argv), cap(rd.arena.block))
		}
	}
}

// TestReaderHeldLimit: while a batch is held, more than MaxQueryLen bytes
// end the connection, even past a protocol error; within it nothing is lost.
func TestReaderHeldLimit(t *testing.T) {
	lim := smallLimits
	for name, in := range map[string]string{
		"endless inline": strings.Repeat("a", 1000),
		"endless bulks":  "*8\r\n" + strings.Repeat("$100\r\n"+strings.Repeat("b", 100)+"\r\n", 8),
		"whole commands": strings.Repeat("PING\r\n", 100),
	} {
		rd := newReader(&chunkReader{in: []byte("PING\r\n" + in), sizes: []int{6, 50}}, lim)
		if cmds, err := rd.ReadCommands(); err != nil || len(cmds) != 1 {
			t.Fatalf("%s: first batch %d commands, err %v", name, len(cmds), err)
		}
		scratch := make([]byte, 64)
		var err error
		for err == nil {
			err = rd.readHeld(scratch)
		}
		if err != errQueryBufferFull {
			t.Fatalf("%s: readHeld ended with %v, want errQueryBufferFull", name, err)
		}
	}
}

// FuzzReader parses arbitrary bytes whole, a byte at a time, in uneven
// reads chosen by the input, and with reads while the batch is held: none
// may panic or hang, all must give the same commands and error, and no
// argument count or bulk beyond the limits may pass.
func FuzzReader(f *testing.F) {
	for _, s := range []string{
		"*1\r\n$4\r\nPING\r\n", "PING\r\n", "*1\r\n$9223372036854775807\r\n",
		"*9223372036854775807\r\n", "SET \"a\\x41\" 'b'\r\n", "*2\r\n$1\r\na\r\n$-1\r\n",
		"*-5\r\n*0\r\n", "\"\r\n", "*1\r\n$1\r\n\xff\r\n", "*2\r\n\r\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		want, wantErr := readerOutput(bytes.NewReader(in), smallLimits)
		sizes := []int{1}
		for _, b := range in[:min(len(in), 8)] {
			sizes = append(sizes, 1+int(b%23))
		}
		for name, src := range map[string]io.Reader{
			"one byte": iotest.OneByteReader(bytes.NewReader(in)),
			"uneven":   &chunkReader{in: in, sizes: sizes},
		} {
			got, err := readerOutput(src, smallLimits)
			if got != want || errText(err) != errText(wantErr) {
				t.Fatalf("%s: got %q, %v; whole input gave %q, %v", name, got, err, want, wantErr)
			}
		}
		got, err := heldOutput(t, &chunkReader{in: in, sizes: sizes}, smallLimits)
		if got != want || errText(err) != errText(wantErr) {
			t.Fatalf("held: got %q, %v; whole input gave %q, %v", got, err, want, wantErr)
		}
		rd := newReader(bytes.NewReader(in), smallLimits)
		for {
			cmds, err := rd.ReadCommands()
			for _, c := range cmds {
				if int64(len(c.Args)) > smallLimits.MaxArgs {
					t.Fatalf("%d args passed the limits", len(c.Args))
				}
				for _, a := range c.Args {
					if int64(len(a)) > smallLimits.MaxBulk {
						t.Fatalf("bulk of %d bytes passed the limits", len(a))
					}
				}
			}
			if err != nil {
				return
			}
		}
	})
}

// loopReader returns chunk n times, then io.EOF.
type loopReader struct {
	chunk []byte
	n     int
}

func (l *loopReader) Read(p []byte) (int, error) {
	if l.n == 0 {
		return 0, io.EOF
	}
	l.n--
	return copy(p, l.chunk), nil
}

// BenchmarkReaderPipeline parses reads of 16 pipelined SETs, as
// redis-benchmark -P 16 sends them.
func BenchmarkReaderPipeline(b *testing.B) {
	chunk := []byte(strings.Repeat("*3\r\n$3\r\nSET\r\n$16\r\nkey:000000000042\r\n$3\r\nxxx\r\n", 16))
	rd := newReader(&loopReader{chunk: chunk, n: b.N}, DefaultLimits)
	b.ReportAllocs()
	for {
		if _, err := rd.ReadCommands(); err != nil {
			return
		}
	}
}
