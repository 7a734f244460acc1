package main

import (
	"bytes"
	"errors"
	"strconv"
)

var errProtocol = errors.New("not a RESP array of bulk strings")

// maxArgs bounds a command's declared argument count.
const maxArgs = 1024

// parse appends to cmds each whole command at the start of buf (RESP
// arrays of bulk strings, the arguments pointing into buf) and returns how
// many bytes they took; a command cut short is left for the next read.
func parse(buf []byte, cmds [][][]byte) ([][][]byte, int, error) {
	pos := 0
	for pos < len(buf) {
		args, next, err := parseOne(buf, pos)
		if err != nil || next == pos {
			return cmds, pos, err
		}
		cmds, pos = append(cmds, args), next
	}
	return cmds, pos, nil
}

// parseOne parses the command at buf[pos:]; next == pos when it is not
// whole yet.
func parseOne(buf []byte, pos int) (args [][]byte, next int, err error) {
	n, p, err := header(buf, pos, '*')
	if err != nil || p == pos {
		return nil, pos, err
	}
	if n < 1 || n > maxArgs {
		return nil, pos, errProtocol
	}
	args = make([][]byte, 0, n)
	for range n {
		l, q, err := header(buf, p, '$')
		if err != nil || q == p {
			return nil, pos, err
		}
		if l < 0 {
			return nil, pos, errProtocol
		}
		if q+l+2 > len(buf) {
			return nil, pos, nil
		}
		args = append(args, buf[q:q+l])
		p = q + l + 2
	}
	return args, p, nil
}

// header reads "<kind><int>\r\n" at buf[pos:], returning the int and the
// position after it (pos itself when the line is not whole yet).
func header(buf []byte, pos int, kind byte) (int, int, error) {
	if pos >= len(buf) {
		return 0, pos, nil
	}
	if buf[pos] != kind {
		return 0, pos, errProtocol
	}
	end := bytes.IndexByte(buf[pos:], '\n')
	if end < 0 {
		if len(buf)-pos > 32 {
			return 0, pos, errProtocol
		}
		return 0, pos, nil
	}
	end += pos
	if end < pos+2 || buf[end-1] != '\r' {
		return 0, pos, errProtocol
	}
	n, err := strconv.Atoi(string(buf[pos+1 : end-1]))
	if err != nil {
		return 0, pos, errProtocol
	}
	return n, end + 1, nil
}
