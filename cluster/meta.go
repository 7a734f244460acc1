package cluster

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"slices"
)

// maxMetaNodes and maxMetaField bound what a snapshot's node table may
// claim, so a corrupt snapshot cannot make Restore allocate without limit.
const (
	maxMetaNodes = 1 << 16
	maxMetaField = 1 << 10
)

// nodeMeta maps a node ID to its advertised client address (host:port).
// It is replicated state: written only by EntryNodeMeta entries, encoded in
// sorted order so that replicas produce the same snapshot bytes.
type nodeMeta map[string]string

// applyNodeMeta records the [node-id, host:port] argv of an EntryNodeMeta
// unit. A malformed unit is ignored identically on every replica.
func (f *FSM) applyNodeMeta(cmds [][][]byte) {
	for _, argv := range cmds {
		if len(argv) != 2 {
			continue
		}
		if f.meta == nil {
			f.meta = nodeMeta{}
		}
		f.meta[string(argv[0])] = string(argv[1])
	}
}

// ClientAddr returns the client address recorded for node id.
func (f *FSM) ClientAddr(id string) (string, bool) {
	f.mu.RLock()
	defer f.mu.RUnlock()
	addr, ok := f.meta[id]
	return addr, ok
}

func (m nodeMeta) clone() nodeMeta {
	c := make(nodeMeta, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}

// appendTo appends uvarint(n) { uvarint(len) id uvarint(len) addr }* in
// node-ID order.
func (m nodeMeta) appendTo(b []byte) []byte {
	ids := make([]string, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	b = binary.AppendUvarint(b, uint64(len(ids)))
	for _, id := range ids {
		b = appendField(appendField(b, id), m[id])
	}
	return b
}

func appendField(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

// readNodeMeta reads what appendTo wrote.
func readNodeMeta(br *bufio.Reader) (nodeMeta, error) {
	n, err := binary.ReadUvarint(br)
	if err != nil {
		return nil, err
	}
	if n > maxMetaNodes {
		return nil, fmt.Errorf("node table claims %d nodes", n)
	}
	m := nodeMeta{}
	for range n {
		id, err := readField(br)
		if err != nil {
			return nil, err
		}
		if m[id], err = readField(br); err != nil {
			return nil, err
		}
	}
	return m, nil
}

func readField(br *bufio.Reader) (string, error) {
	n, err := binary.ReadUvarint(br)
	if err != nil {
		return "", err
	}
	if n > maxMetaField {
		return "", errors.New("node table field too long")
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(br, b); err != nil {
		return "", err
	}
	return string(b), nil
}
