package protocol

import (
	"encoding/binary"
	"errors"
)

// errBadEntry reports a log entry that does not decode. The FSM treats it as
// fatal: every replica would hit it at the same index.
var errBadEntry = errors.New("malformed log entry")

// entryVersion is the first byte of every encoded entry.
const entryVersion = 1

// EntryKind says what an entry asks the state machine to do.
type EntryKind uint8

const (
	// EntryCommands runs Cmds in order as one atomic unit (one command, or
	// a MULTI/EXEC block) and replies with one reply per command, or, for a
	// block, with an array of them.
	EntryCommands EntryKind = iota + 1
	// EntryExpire deletes the keys in Cmds[0] that have expired by Time.
	// Proposed by the leader's active expiry; it has no reply.
	EntryExpire
)

// Entry is one unit of the replicated log.
type Entry struct {
	Kind  EntryKind
	Proto uint8 // RESP version the reply is written in: 2 or 3
	Multi bool  // Cmds is a MULTI/EXEC block: reply with one array
	Time  int64 // the leader's clock in unix ms when it proposed the entry
	Cmds  [][][]byte
}

// AppendBinary appends e's encoding:
//
//	version kind proto flags varint(time) uvarint(ncmds)
//	  { uvarint(argc) { uvarint(len) bytes }* }*
func (e *Entry) AppendBinary(b []byte) []byte {
	var flags byte
	if e.Multi {
		flags = 1
	}
	b = append(b, entryVersion, byte(e.Kind), e.Proto, flags)
	b = binary.AppendVarint(b, e.Time)
	b = binary.AppendUvarint(b, uint64(len(e.Cmds)))
	for _, argv := range e.Cmds {
		b = binary.AppendUvarint(b, uint64(len(argv)))
		for _, a := range argv {
			b = binary.AppendUvarint(b, uint64(len(a)))
			b = append(b, a...)
		}
	}
	return b
}

// DecodeEntry decodes an entry. Arguments alias b, capacity-limited so that
// appending to one never writes into b.
func DecodeEntry(b []byte) (Entry, error) {
	var e Entry
	if len(b) < 4 || b[0] != entryVersion {
		return e, errBadEntry
	}
	e.Kind, e.Proto, e.Multi = EntryKind(b[1]), b[2], b[3]&1 != 0
	b = b[4:]
	t, n := binary.Varint(b)
	if n <= 0 {
		return e, errBadEntry
	}
	e.Time, b = t, b[n:]
	ncmds, b, ok := readCount(b)
	if !ok {
		return e, errBadEntry
	}
	e.Cmds = make([][][]byte, ncmds)
	for i := range e.Cmds {
		if e.Cmds[i], b, ok = readArgv(b); !ok {
			return e, errBadEntry
		}
	}
	if len(b) != 0 {
		return e, errBadEntry
	}
	return e, nil
}

// readCount reads a count that cannot exceed the bytes left, so a corrupt
// count cannot make us allocate more than the entry's size.
func readCount(b []byte) (int, []byte, bool) {
	v, n := binary.Uvarint(b)
	if n <= 0 || v > uint64(len(b)-n) {
		return 0, b, false
	}
	return int(v), b[n:], true
}

func readArgv(b []byte) ([][]byte, []byte, bool) {
	argc, b, ok := readCount(b)
	if !ok {
		return nil, b, false
	}
	argv := make([][]byte, argc)
	for i := range argv {
		size, rest, ok := readCount(b)
		if !ok || size > len(rest) {
			return nil, b, false
		}
		argv[i], b = rest[:size:size], rest[size:]
	}
	return argv, b, true
}
