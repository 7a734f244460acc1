package server

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/tidwall/redcon"
)

// guardOutput feeds in to a guard through r and returns what redcon would
// read and the error that ended the stream (nil for a clean EOF).
func guardOutput(r io.Reader, lim Limits) (string, error) {
	g := newGuard(r, lim)
	var out bytes.Buffer
	buf := make([]byte, 7) // small reads exercise every boundary
	for {
		n, err := g.Read(buf)
		out.Write(buf[:n])
		if err == io.EOF {
			return out.String(), nil
		}
		if err != nil {
			return out.String(), err
		}
	}
}

var smallLimits = Limits{MaxBulk: 100, MaxArgs: 8, MaxInline: 32, MaxQueryLen: 300}

func TestGuard(t *testing.T) {
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
		{"huge bulk", "*1\r\n$9223372036854775807\r\n", "*1\r\n", "Protocol error: invalid bulk length"},
		{"bulk over limit", "*1\r\n$101\r\n", "*1\r\n", "Protocol error: invalid bulk length"},
		{"negative bulk", "*1\r\n$-1\r\n", "*1\r\n", "Protocol error: invalid bulk length"},
		{"bulk not a number", "*1\r\n$x\r\n", "*1\r\n", "Protocol error: invalid bulk length"},
		{"huge multibulk", "*9223372036854775807\r\n", "", "Protocol error: invalid multibulk length"},
		{"multibulk over limit", "*9\r\n", "", "Protocol error: invalid multibulk length"},
		{"multibulk not a number", "*1x\r\n", "", "Protocol error: invalid multibulk length"},
		{"multibulk plus sign", "*+1\r\n", "", "Protocol error: invalid multibulk length"},
		{"multibulk no CR", "*1\n", "", "Protocol error: invalid multibulk length"},
		{"expected dollar", "*2\r\nfoo\r\n", "*2\r\n", "Protocol error: expected '$', got 'f'"},
		{"bulk terminator not checked, as in Redis", "*1\r\n$4\r\nPINGxx", "*1\r\n$4\r\nPING\r\n", ""},
		{"inline too big", strings.Repeat("a", 40), "", "Protocol error: too big inline request"},
		{"mbulk line too big", "*" + strings.Repeat("1", 40), "", "Protocol error: too big mbulk count string"},
		{"bulk line too big", "*1\r\n$" + strings.Repeat("1", 40), "*1\r\n", "Protocol error: too big bulk count string"},
		{"unbalanced quotes", "SET \"a b\r\n", "", "Protocol error: unbalanced quotes in request"},
		{"quote not followed by space", "SET \"a\"b\r\n", "", "Protocol error: unbalanced quotes in request"},
		{"query limit", "*3\r\n$100\r\n" + strings.Repeat("a", 100) + "\r\n$100\r\n" + strings.Repeat("a", 100) + "\r\n$100\r\n",
			"*3\r\n$100\r\n" + strings.Repeat("a", 100) + "\r\n$100\r\n" + strings.Repeat("a", 100) + "\r\n",
			"Protocol error: command exceeds the query buffer limit of 300 bytes"},
		{"commands before error are delivered", "PING\r\n*1\r\n$x\r\n", "*1\r\n$4\r\nPING\r\n*1\r\n", "Protocol error: invalid bulk length"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			readers := map[string]io.Reader{
				"whole":    strings.NewReader(tc.in),
				"one byte": iotest.OneByteReader(strings.NewReader(tc.in)),
				"half":     iotest.HalfReader(strings.NewReader(tc.in)),
			}
			for how, r := range readers {
				out, err := guardOutput(r, smallLimits)
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

// TestGuardRedconAgrees checks that what the guard lets through parses in
// redcon into the commands the client meant.
func TestGuardRedconAgrees(t *testing.T) {
	in := "SET k \"a b\"\r\n*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$0\r\n\r\n*0\r\nPING\r\n"
	rd := redcon.NewReader(newGuard(iotest.OneByteReader(strings.NewReader(in)), DefaultLimits))
	var got []string
	for {
		cmds, err := rd.ReadCommands()
		if err != nil {
			break
		}
		for _, c := range cmds {
			got = append(got, string(bytes.Join(c.Args, []byte("|"))))
		}
	}
	want := []string{"SET|k|a b", "SET|x|", "PING"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("got %q, want %q", got, want)
	}
}

// FuzzGuard feeds arbitrary bytes through the guard into redcon's reader:
// neither may panic or hang, and the guard never lets through a header
// beyond its limits.
func FuzzGuard(f *testing.F) {
	for _, s := range []string{
		"*1\r\n$4\r\nPING\r\n", "PING\r\n", "*1\r\n$9223372036854775807\r\n",
		"*9223372036854775807\r\n", "SET \"a\\x41\" 'b'\r\n", "*2\r\n$1\r\na\r\n$-1\r\n",
		"*-5\r\n*0\r\n", "\"\r\n", "*1\r\n$1\r\n\xff\r\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		rd := redcon.NewReader(newGuard(iotest.HalfReader(bytes.NewReader(in)), smallLimits))
		for i := 0; i < len(in)+2; i++ {
			cmds, err := rd.ReadCommands()
			if err != nil {
				return
			}
			for _, c := range cmds {
				if int64(len(c.Args)) > smallLimits.MaxArgs {
					t.Fatalf("%d args passed the guard", len(c.Args))
				}
				for _, a := range c.Args {
					if int64(len(a)) > smallLimits.MaxBulk {
						t.Fatalf("bulk of %d bytes passed the guard", len(a))
					}
				}
			}
		}
	})
}
