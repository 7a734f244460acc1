package server

import (
	"bufio"
	"errors"
	"io"
	"strconv"
)

// errBadReply is a reply from the leader that is not well-formed RESP.
var errBadReply = errors.New("malformed reply from the leader")

// Bounds on what readReply accepts from the leader: its replies are ours,
// but a broken peer must not make a follower allocate without limit.
const (
	maxReplyBulk  = 512 << 20
	maxReplyItems = 1 << 26
)

// readReply reads one complete RESP2 or RESP3 reply and appends its bytes,
// unchanged, to out.
func readReply(rd *bufio.Reader, out []byte) ([]byte, error) {
	line, err := rd.ReadBytes('\n')
	if err != nil {
		return out, err
	}
	if len(line) < 3 || line[len(line)-2] != '\r' {
		return out, errBadReply
	}
	out = append(out, line...)
	switch line[0] {
	case '+', '-', ':', '_', ',', '#', '(':
		return out, nil
	case '$', '=', '!':
		return readBulkBody(rd, out, line)
	case '*', '~', '>':
		return readItems(rd, out, line, 1)
	case '%', '|':
		return readItems(rd, out, line, 2)
	}
	return out, errBadReply
}

// readBulkBody reads a bulk string's payload and CRLF after its header.
func readBulkBody(rd *bufio.Reader, out, header []byte) ([]byte, error) {
	n, err := strconv.Atoi(string(header[1 : len(header)-2]))
	if err != nil || n > maxReplyBulk {
		return out, errBadReply
	}
	if n < 0 {
		return out, nil // null bulk
	}
	start := len(out)
	out = append(out, make([]byte, n+2)...)
	if _, err := io.ReadFull(rd, out[start:]); err != nil {
		return out, err
	}
	return out, nil
}

// readItems reads per elements for each of an aggregate's counted items.
func readItems(rd *bufio.Reader, out, header []byte, per int) ([]byte, error) {
	n, err := strconv.Atoi(string(header[1 : len(header)-2]))
	if err != nil || n > maxReplyItems {
		return out, errBadReply
	}
	for i := 0; i < n*per; i++ {
		if out, err = readReply(rd, out); err != nil {
			return out, err
		}
	}
	return out, nil
}
