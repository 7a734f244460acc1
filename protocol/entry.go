package protocol

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
)

// ErrEntryDamaged reports a log entry whose checksum does not match or that
// does not decode: the bytes on this node's disk (or wire) changed. The node
// must not apply it, nor anything after it.
var ErrEntryDamaged = errors.New("damaged log entry")

// ErrEntryTooNew reports a log entry this binary cannot apply because a newer
// geetcache wrote it: a newer entry format, entry kind or command level, or a
// command this binary does not know. Skipping it would make this node
// diverge silently from upgraded ones; the node must stop instead.
var ErrEntryTooNew = errors.New("log entry written by a newer geetcache")

// errBadEntry is what every decoding failure wraps.
var errBadEntry = fmt.Errorf("%w: malformed", ErrEntryDamaged)

// The first byte of every encoded entry is its format. Since version 3 it
// is 0xC0|version: the two high bits mark a checksummed entry, so no single
// flipped bit turns one into a version 2 entry (0x02, written before
// checksums, still decoded, unverified). From version 3 on, every format
// keeps the frame "format crc32c(le32) body", the CRC-32C covering the
// format byte and the body, so an entry from a newer format is told apart
// from a damaged one.
const (
	entryVersionV2  = 2
	entryVersion    = 3
	entryFormatMark = 0xC0
	entryFormat     = entryFormatMark | entryVersion
)

// entryHeaderSize is the format byte and the checksum.
const entryHeaderSize = 5

var crc32c = crc32.MakeTable(crc32.Castagnoli)

// EntryKind says what an entry asks the state machine to do.
type EntryKind uint8

const (
	// EntryCommands runs each unit in order. A unit is atomic (one command,
	// or a MULTI/EXEC block) and gets one reply. Units from many clients
	// share an entry: that is geetcache's group commit.
	EntryCommands EntryKind = iota + 1
	// EntryExpire deletes the keys in the single unit's single argv that
	// have expired by the entry's Time. Proposed by the leader's active
	// expiry; its unit's reply is empty.
	EntryExpire
	// EntryNodeMeta records a node's advertised client address: its single
	// unit's single argv is [node-id, host:port]. Proposed by a new leader
	// for itself; its unit's reply is empty.
	EntryNodeMeta
	// EntryEvict deletes the keys in its units' argvs that exist: the
	// leader's maxmemory eviction (cluster/evict.go); each deletion counts
	// in evicted_keys. Its units' replies are empty.
	EntryEvict

	maxEntryKind = EntryEvict // the newest kind this binary applies
)

// entryCommandsOrigin is EntryCommands whose units carry an Origin:
// encoded as EntryCommands with one more unit at the end, whose only argv
// holds each unit's origin. Decoding turns it back into EntryCommands, so
// the state machine never sees it; its value stays above every kind a
// binary applies, so a binary that does not know it refuses it as too new.
const entryCommandsOrigin EntryKind = 0x40

// entryDBs marks an entry whose units name databases other than 0: it is
// encoded with one more unit at the end (after the origins' unit, if
// any), holding one argv per unit: the unit's database, then the
// database of each of its watched keys, in decimal. Decoding takes the
// bit off and sets Unit.DB and WatchedKey.DB; a binary that does not know
// it refuses the entry as too new, never applies it to database 0.
const entryDBs EntryKind = 0x20

// maxEntryDB bounds a database index a decoded entry may name.
const maxEntryDB = 1 << 16

// Entry is one record of the replicated log.
type Entry struct {
	Kind EntryKind
	Time int64 // the leader's clock in unix ms when it proposed the entry
	// Level is the highest command level among the entry's commands (see
	// Table.Level); a binary at a lower level refuses the entry.
	Level uint64
	Units []Unit
}

// Unit is what one client asked for atomically.
type Unit struct {
	Proto uint8 // RESP version the reply is written in: 2 or 3
	Multi bool  // Cmds is a MULTI/EXEC block: reply with one array
	Cmds  [][][]byte
	// Watch, for a MULTI block, is what WATCH saw: the block runs only if
	// none of the keys changed since; otherwise it replies null.
	Watch *Watch
	// Retry marks a blocked client's command submitted again after a
	// wake-up (Ctx.Retry): XREADGROUP then answers as Redis answers a
	// client it unblocks. Only XREADGROUP looks at it, so a binary
	// that does not know the flag refuses the entry as an unknown command anyway.
	Retry bool
	// Origin marks the connection that sent the unit, on the node it is
	// connected to (CLIENT TRACKING's NOLOOP), or is empty. It changes
	// nothing the state machine computes.
	Origin []byte
	// DB is the database the unit's commands start in (the connection's
	// SELECT); for EntryExpire and EntryEvict, the database of its keys.
	DB int
	// User names the ACL user whose permissions the calls of the unit's
	// scripts are checked against in the state machine (the caller's, when
	// it has restrictions and the unit runs a script), or is empty.
	User []byte
}

// Watch is a connection's watched keys and the stamp (the node's applied
// log index) at which it looked at them.
type Watch struct {
	At   uint64
	Keys []WatchedKey
}

// WatchedKey is one watched key and whether it existed when watched.
type WatchedKey struct {
	Key     []byte
	Existed bool
	DB      int // the database the key was watched in
}

// Size estimates the unit's encoded size.
func (u *Unit) Size() int {
	n := 4
	if u.Watch != nil {
		for _, k := range u.Watch.Keys {
			n += len(k.Key) + 3
		}
	}
	for _, argv := range u.Cmds {
		n += 2
		for _, a := range argv {
			n += len(a) + 2
		}
	}
	return n
}

// AppendBinary appends e's encoding:
//
//	format crc32c(le32) kind varint(time) uvarint(level) uvarint(nunits)
//	  { proto flags [watch] uvarint(ncmds) { uvarint(argc) { uvarint(len) bytes }* }* }*
//
// format is 0xC3 (version 3); the CRC-32C (Castagnoli) covers the format
// byte and every byte after the checksum. flags: 1 MULTI block,
// 2 watch present, 4 retry of a blocked command; watch is uvarint(at) uvarint(nkeys) { uvarint(len) bytes existed }*.
func (e *Entry) AppendBinary(b []byte) []byte {
	start := len(b)
	origins, users, dbs := e.origins(), e.users(), e.dbUnit()
	kind, nunits := e.Kind, len(e.Units)
	if origins != nil {
		kind, nunits = entryCommandsOrigin, nunits+1
	}
	if users != nil {
		kind, nunits = kind|entryUsers, nunits+1
	}
	if dbs != nil {
		kind, nunits = kind|entryDBs, nunits+1
	}
	b = append(b, entryFormat, 0, 0, 0, 0, byte(kind))
	b = binary.AppendVarint(b, e.Time)
	b = binary.AppendUvarint(b, e.Level)
	b = binary.AppendUvarint(b, uint64(nunits))
	for i := range e.Units {
		b = e.Units[i].appendBinary(b)
	}
	if origins != nil {
		b = origins.appendBinary(b)
	}
	if users != nil {
		b = users.appendBinary(b)
	}
	if dbs != nil {
		b = dbs.appendBinary(b)
	}
	binary.LittleEndian.PutUint32(b[start+1:], entrySum(b[start:]))
	return b
}

// entrySum is the CRC-32C of a framed entry's format byte and body.
func entrySum(b []byte) uint32 {
	sum := crc32.Update(0, crc32c, b[:1])
	return crc32.Update(sum, crc32c, b[entryHeaderSize:])
}

// EncodedLen returns how many bytes AppendBinary appends: a caller sizes
// the buffer once instead of letting a large argument grow it by copies.
func (e *Entry) EncodedLen() int {
	o, users, dbs, nunits := e.origins(), e.users(), e.dbUnit(), len(e.Units)
	if o != nil {
		nunits++
	}
	if users != nil {
		nunits++
	}
	if dbs != nil {
		nunits++
	}
	n := entryHeaderSize + 1 + varintLen(e.Time) + len(binary.AppendUvarint(nil, e.Level)) + uvarintLen(nunits)
	for i := range e.Units {
		n += e.Units[i].encodedLen()
	}
	if o != nil {
		n += o.encodedLen()
	}
	if users != nil {
		n += users.encodedLen()
	}
	if dbs != nil {
		n += dbs.encodedLen()
	}
	return n
}

// origins is the extra unit carrying the units' origins, or nil when no
// unit has one.
func (e *Entry) origins() *Unit {
	return e.perUnit(func(u *Unit) []byte { return u.Origin })
}

// takeOrigins turns a decoded entryCommandsOrigin entry back into
// EntryCommands with its units' origins.
func (e *Entry) takeOrigins() bool {
	if !e.takePerUnit(0, func(u *Unit, o []byte) { u.Origin = o }) {
		return false
	}
	e.Kind = EntryCommands
	return true
}

// perUnit is an extra unit whose only argv holds field of each of an
// EntryCommands entry's units ("" for none), or nil when every field is
// empty: the encoding of the units' origins and of their users.
func (e *Entry) perUnit(field func(*Unit) []byte) *Unit {
	if e.Kind != EntryCommands {
		return nil
	}
	var argv [][]byte
	for i := range e.Units {
		if len(field(&e.Units[i])) > 0 {
			argv = make([][]byte, len(e.Units))
			break
		}
	}
	if argv == nil {
		return nil
	}
	for i := range e.Units {
		argv[i] = field(&e.Units[i])
	}
	return &Unit{Cmds: [][][]byte{argv}}
}

// takePerUnit checks that a decoded entry's last unit is perUnit's: one
// argv with a value for each unit before it but the other extra units
// still after them; it sets each non-empty value and drops that unit.
func (e *Entry) takePerUnit(extra int, set func(*Unit, []byte)) bool {
	n := len(e.Units) - 1
	if n < 0 || len(e.Units[n].Cmds) != 1 || len(e.Units[n].Cmds[0]) != n-extra {
		return false
	}
	for i, v := range e.Units[n].Cmds[0] {
		if len(v) > 0 {
			set(&e.Units[i], v)
		}
	}
	e.Units = e.Units[:n]
	return true
}

func (u *Unit) encodedLen() int {
	n := 2 + uvarintLen(len(u.Cmds))
	if w := u.Watch; w != nil {
		n += len(binary.AppendUvarint(nil, w.At)) + uvarintLen(len(w.Keys))
		for _, k := range w.Keys {
			n += uvarintLen(len(k.Key)) + len(k.Key) + 1
		}
	}
	for _, argv := range u.Cmds {
		n += uvarintLen(len(argv))
		for _, a := range argv {
			n += uvarintLen(len(a)) + len(a)
		}
	}
	return n
}

func uvarintLen(n int) int {
	size := 1
	for ; n >= 0x80; n >>= 7 {
		size++
	}
	return size
}

func varintLen(v int64) int {
	var b [binary.MaxVarintLen64]byte
	return len(binary.AppendVarint(b[:0], v))
}

func (u *Unit) appendBinary(b []byte) []byte {
	var flags byte
	if u.Multi {
		flags = 1
	}
	if u.Watch != nil {
		flags |= 2
	}
	if u.Retry {
		flags |= 4
	}
	b = append(b, u.Proto, flags)
	if u.Watch != nil {
		b = u.Watch.appendBinary(b)
	}
	b = binary.AppendUvarint(b, uint64(len(u.Cmds)))
	for _, argv := range u.Cmds {
		b = binary.AppendUvarint(b, uint64(len(argv)))
		for _, a := range argv {
			b = binary.AppendUvarint(b, uint64(len(a)))
			b = append(b, a...)
		}
	}
	return b
}

// DecodeEntry decodes an entry, verifying its checksum. Arguments alias b,
// capacity-limited so that appending to one never writes into b. Its errors
// wrap ErrEntryDamaged or ErrEntryTooNew.
func DecodeEntry(b []byte) (Entry, error) {
	if len(b) == 0 {
		return Entry{}, errBadEntry
	}
	if b[0] == entryVersionV2 {
		return decodeEntryBody(b[1:], false)
	}
	if b[0]&entryFormatMark != entryFormatMark || len(b) < entryHeaderSize {
		return Entry{}, errBadEntry
	}
	if got, want := entrySum(b), binary.LittleEndian.Uint32(b[1:]); got != want {
		return Entry{}, fmt.Errorf("%w: checksum mismatch (crc32c %08x, recorded %08x)", ErrEntryDamaged, got, want)
	}
	switch v := b[0] &^ entryFormatMark; {
	case v > entryVersion:
		return Entry{}, fmt.Errorf("%w: entry format %d, this binary reads up to %d", ErrEntryTooNew, v, entryVersion)
	case v < entryVersion:
		return Entry{}, errBadEntry
	}
	return decodeEntryBody(b[entryHeaderSize:], true)
}

// decodeEntryBody decodes what follows the version (and checksum): kind,
// time, level (absent before version 3) and units.
func decodeEntryBody(b []byte, hasLevel bool) (Entry, error) {
	var e Entry
	if len(b) < 1 {
		return e, errBadEntry
	}
	e.Kind = EntryKind(b[0])
	b = b[1:]
	t, n := binary.Varint(b)
	if n <= 0 {
		return e, errBadEntry
	}
	e.Time, b = t, b[n:]
	if hasLevel {
		if e.Level, n = binary.Uvarint(b); n <= 0 {
			return e, errBadEntry
		}
		b = b[n:]
	}
	nunits, b, ok := readCount(b)
	if !ok {
		return e, errBadEntry
	}
	e.Units = make([]Unit, nunits)
	var slab argSlab // the units' commands and arguments, in a few arrays
	for i := range e.Units {
		if b, ok = e.Units[i].decode(b, &slab); !ok {
			return e, errBadEntry
		}
	}
	if len(b) != 0 {
		return e, errBadEntry
	}
	if e.Kind&entryDBs != 0 && e.Kind&^(entryDBs|entryUsers) <= entryCommandsOrigin && !e.takeDBs() {
		return e, errBadEntry
	}
	if e.Kind&entryUsers != 0 && e.Kind&^entryUsers <= entryCommandsOrigin && !e.takeUsers() {
		return e, errBadEntry
	}
	if e.Kind == entryCommandsOrigin && !e.takeOrigins() {
		return e, errBadEntry
	}
	return e, nil
}

func (u *Unit) decode(b []byte, slab *argSlab) ([]byte, bool) {
	if len(b) < 2 {
		return b, false
	}
	u.Proto, u.Multi, u.Retry = b[0], b[1]&1 != 0, b[1]&4 != 0
	watched := b[1]&2 != 0
	b = b[2:]
	if watched {
		var ok bool
		u.Watch = &Watch{}
		if b, ok = u.Watch.decode(b); !ok {
			return b, false
		}
	}
	ncmds, b, ok := readCount(b)
	if !ok {
		return b, false
	}
	u.Cmds = slab.cmds(ncmds, len(b))
	for i := range u.Cmds {
		if u.Cmds[i], b, ok = readArgv(b, slab); !ok {
			return b, false
		}
	}
	return b, true
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

func readArgv(b []byte, slab *argSlab) ([][]byte, []byte, bool) {
	argc, b, ok := readCount(b)
	if !ok {
		return nil, b, false
	}
	argv := slab.args(argc, len(b))
	for i := range argv {
		size, rest, ok := readCount(b)
		if !ok || size > len(rest) {
			return nil, b, false
		}
		argv[i], b = rest[:size:size], rest[size:]
	}
	return argv, b, true
}

func (w *Watch) appendBinary(b []byte) []byte {
	b = binary.AppendUvarint(b, w.At)
	b = binary.AppendUvarint(b, uint64(len(w.Keys)))
	for _, k := range w.Keys {
		b = binary.AppendUvarint(b, uint64(len(k.Key)))
		b = append(b, k.Key...)
		var existed byte
		if k.Existed {
			existed = 1
		}
		b = append(b, existed)
	}
	return b
}

func (w *Watch) decode(b []byte) ([]byte, bool) {
	at, n := binary.Uvarint(b)
	if n <= 0 {
		return b, false
	}
	w.At = at
	nkeys, b, ok := readCount(b[n:])
	if !ok {
		return b, false
	}
	w.Keys = make([]WatchedKey, nkeys)
	for i := range w.Keys {
		size, rest, ok := readCount(b)
		if !ok || size+1 > len(rest) || rest[size] > 1 {
			return b, false
		}
		w.Keys[i] = WatchedKey{Key: rest[:size:size], Existed: rest[size] == 1}
		b = rest[size+1:]
	}
	return b, true
}
