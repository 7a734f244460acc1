package server

import (
	"bufio"
	"io"
	"os"
	"path/filepath"
)

// payloadPattern names the payload's file in the data directory.
const payloadPattern = "replicaof-*.rdb"

// receivePayload writes the master's RDB payload to a file in the data
// directory (as a Redis replica writes temp-<pid>.rdb) and maps it into
// memory for loadUpstream, so that a payload costs disk, not heap; release
// unmaps and removes it. The file is read only after the whole payload
// has arrived.
func (s *Server) receivePayload(rd *bufio.Reader) (payload []byte, release func(), err error) {
	n, err := payloadHeader(rd)
	if err != nil {
		return nil, nil, err
	}
	if old, _ := filepath.Glob(filepath.Join(s.cfg.Dir, payloadPattern)); len(old) > 0 {
		for _, name := range old { // a synchronization the node did not live to finish
			os.Remove(name)
		}
	}
	f, err := os.CreateTemp(s.cfg.Dir, payloadPattern)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	name := f.Name()
	if err := copyPayload(f, rd, n); err != nil {
		os.Remove(name)
		return nil, nil, err
	}
	payload, err = mapFile(f, n)
	if err != nil {
		os.Remove(name)
		return nil, nil, err
	}
	return payload, func() { unmapFile(payload); os.Remove(name) }, nil
}

// copyPayload copies n bytes of rd to f, each read within the link's
// timeout.
func copyPayload(f *os.File, rd *bufio.Reader, n int64) error {
	buf := make([]byte, 1<<20)
	for n > 0 {
		got, err := io.ReadFull(rd, buf[:min(n, int64(len(buf)))])
		if err != nil {
			return err
		}
		if _, err := f.Write(buf[:got]); err != nil {
			return err
		}
		n -= int64(got)
	}
	return nil
}
