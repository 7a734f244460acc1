package main

import (
	"bufio"
	"errors"
	"fmt"
	"strconv"
)

// appendCommand appends args as a RESP array of bulk strings.
func appendCommand(b []byte, args ...string) []byte {
	b = append(b, '*')
	b = strconv.AppendInt(b, int64(len(args)), 10)
	b = append(b, '\r', '\n')
	for _, a := range args {
		b = append(b, '$')
		b = strconv.AppendInt(b, int64(len(a)), 10)
		b = append(b, '\r', '\n')
		b = append(b, a...)
		b = append(b, '\r', '\n')
	}
	return b
}

// maxDepth bounds how deeply nested a reply skipReply follows.
const maxDepth = 32

// skipReply reads one RESP2 reply; an error reply is returned as an error,
// as a benchmark that counts errors as answers would measure nothing.
func skipReply(r *bufio.Reader) error { return skip(r, 0) }

func skip(r *bufio.Reader, depth int) error {
	if depth > maxDepth {
		return errors.New("reply nested too deeply")
	}
	line, err := r.ReadSlice('\n')
	if err != nil {
		return err
	}
	if len(line) < 3 || line[len(line)-2] != '\r' {
		return fmt.Errorf("bad reply line %q", line)
	}
	body := line[1 : len(line)-2]
	switch line[0] {
	case '+', ':':
		return nil
	case '-':
		return fmt.Errorf("error reply: %s", body)
	case '$':
		n, err := strconv.Atoi(string(body))
		if err != nil || n < -1 {
			return fmt.Errorf("bad bulk length %q", body)
		}
		if n == -1 {
			return nil
		}
		_, err = r.Discard(n + 2)
		return err
	case '*':
		n, err := strconv.Atoi(string(body))
		if err != nil || n < -1 {
			return fmt.Errorf("bad array length %q", body)
		}
		for range n {
			if err := skip(r, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	return fmt.Errorf("unknown reply type %q", line[0])
}
