package main

import (
	"bytes"
	"os"
	"strconv"
	"sync"
)

// store is the probe's data: a map behind a lock and the log its SETs are
// appended to.
type store struct {
	mu   sync.RWMutex
	data map[string][]byte
	log  *os.File
}

func newStore(log *os.File) *store {
	return &store{data: map[string][]byte{}, log: log}
}

// isSet reports whether args is a SET (its bytes go to the log).
func isSet(args [][]byte) bool {
	return len(args) == 3 && bytes.EqualFold(args[0], []byte("SET"))
}

// logged appends a SET's key and value to b, the bytes of the next sync.
func logged(b []byte, args [][]byte) []byte {
	return append(append(b, args[1]...), args[2]...)
}

// sync writes b to the log and waits for it to be on disk.
func (s *store) sync(b []byte) {
	s.log.Write(b)
	datasync(s.log)
}

// exec runs one command and appends its reply to w.
func (s *store) exec(args [][]byte, w []byte) []byte {
	switch {
	case isSet(args):
		s.mu.Lock()
		s.data[string(args[1])] = append([]byte(nil), args[2]...)
		s.mu.Unlock()
		return append(w, "+OK\r\n"...)
	case len(args) == 2 && bytes.EqualFold(args[0], []byte("GET")):
		s.mu.RLock()
		v, ok := s.data[string(args[1])]
		s.mu.RUnlock()
		if !ok {
			return append(w, "$-1\r\n"...)
		}
		w = strconv.AppendInt(append(w, '$'), int64(len(v)), 10)
		return append(append(append(w, "\r\n"...), v...), "\r\n"...)
	case len(args) == 1 && bytes.EqualFold(args[0], []byte("PING")):
		return append(w, "+PONG\r\n"...)
	}
	return append(w, "*0\r\n"...) // redis-benchmark's CONFIG GET, anything else
}
