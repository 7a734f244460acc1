package scripting

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
)

// State is the replicated scripting state: the script cache and the
// function libraries. It changes only inside the state machine (through log
// entries), so every replica holds the same State; it is kept in snapshots.
//
// Each part is a Section with its own snapshot encoding. The state
// machine's Apply mutates it under Lock; reads (EVALSHA_RO, SCRIPT EXISTS)
// take RLock. A State is safe for concurrent use through its methods.
type State struct {
	mu sync.RWMutex
	// Scripts is the EVAL script cache (SCRIPT LOAD, EVAL of a new body).
	Scripts *Scripts
	// Functions holds the function libraries (FUNCTION LOAD...); nil until
	// the functions package part registers it with SetFunctions.
	Functions Section
	// noDeny is DEBUG SET-DISABLE-DENY-SCRIPTS 1. The state machine sets
	// it from the log (a replicated setting), so a write script calling
	// DEBUG gets the same answer on every replica.
	noDeny atomic.Bool
}

// SetDenyScripts is DEBUG SET-DISABLE-DENY-SCRIPTS as applied from the
// log: with deny false, scripts may call DEBUG PROTOCOL and DEBUG SLEEP
// (Redis's test suite uses them to check conversions).
func (s *State) SetDenyScripts(deny bool) { s.noDeny.Store(!deny) }

// Section is one part of State with its snapshot encoding. Encodings are
// deterministic (sorted), so two replicas write the same bytes.
type Section interface {
	// AppendSnapshot appends the section's snapshot encoding.
	AppendSnapshot(b []byte) []byte
	// ReadSnapshot replaces the section's contents with what
	// AppendSnapshot wrote.
	ReadSnapshot(b []byte) error
	// Reset empties the section.
	Reset()
	// Clone returns a copy that later changes to the section do not
	// affect (for a snapshot being persisted while Apply goes on).
	Clone() Section
}

// NewState returns an empty State.
func NewState() *State { return &State{Scripts: newScripts()} }

// SetFunctions installs the function libraries section. Call it before the
// state machine starts.
func (s *State) SetFunctions(f Section) { s.Functions = f }

// Lock, Unlock, RLock and RUnlock guard the sections.
func (s *State) Lock()    { s.mu.Lock() }
func (s *State) Unlock()  { s.mu.Unlock() }
func (s *State) RLock()   { s.mu.RLock() }
func (s *State) RUnlock() { s.mu.RUnlock() }

// sections returns the sections by their snapshot names, in encoding order.
func (s *State) sections() []namedSection {
	secs := []namedSection{{"scripts", s.Scripts}}
	if s.Functions != nil {
		secs = append(secs, namedSection{"functions", s.Functions})
	}
	return secs
}

type namedSection struct {
	name string
	sec  Section
}

// Snapshot returns a point-in-time copy for a snapshot's Persist.
func (s *State) Snapshot() *State {
	s.mu.RLock()
	defer s.mu.RUnlock()
	c := &State{Scripts: s.Scripts.Clone().(*Scripts)}
	if s.Functions != nil {
		c.Functions = s.Functions.Clone()
	}
	return c
}

// Empty returns an empty State with the same sections as s, to restore a
// snapshot into before Replace.
func (s *State) Empty() *State {
	s.mu.RLock()
	defer s.mu.RUnlock()
	e := NewState()
	if s.Functions != nil {
		e.Functions = s.Functions.Clone()
		e.Functions.Reset()
	}
	return e
}

// Replace makes s hold what from holds (a snapshot being restored); from
// must not be used after.
func (s *State) Replace(from *State) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.Scripts = from.Scripts
	if s.Functions != nil && from.Functions != nil {
		s.Functions = from.Functions
	} else if s.Functions != nil {
		s.Functions.Reset()
	}
}

// Reset empties every section (a restore from a snapshot older than
// scripting).
func (s *State) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, sec := range s.sections() {
		sec.sec.Reset()
	}
}

// AppendSnapshot appends the state's encoding:
//
//	uvarint(nsections) { uvarint(len(name)) name uvarint(len(body)) body }*
//
// A reader skips nothing: a section it does not know is an error (the
// snapshot was written by a newer geetcache).
func (s *State) AppendSnapshot(b []byte) []byte {
	secs := s.sections()
	b = binary.AppendUvarint(b, uint64(len(secs)))
	for _, sec := range secs {
		b = binary.AppendUvarint(b, uint64(len(sec.name)))
		b = append(b, sec.name...)
		body := sec.sec.AppendSnapshot(nil)
		b = binary.AppendUvarint(b, uint64(len(body)))
		b = append(b, body...)
	}
	return b
}

// maxSectionBytes bounds one section's claimed size when restoring.
const maxSectionBytes = 1 << 34

// ReadSnapshot replaces the state with what AppendSnapshot wrote. Sections
// absent from the snapshot are reset.
func (s *State) ReadSnapshot(br *bufio.Reader) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, sec := range s.sections() {
		sec.sec.Reset()
	}
	n, err := binary.ReadUvarint(br)
	if err != nil {
		return err
	}
	for range n {
		name, body, err := readSection(br)
		if err != nil {
			return err
		}
		sec := s.section(name)
		if sec == nil {
			return fmt.Errorf("unknown scripting section %q (written by a newer geetcache)", name)
		}
		if err := sec.ReadSnapshot(body); err != nil {
			return fmt.Errorf("failed to read scripting section %q: %w", name, err)
		}
	}
	return nil
}

func (s *State) section(name string) Section {
	for _, sec := range s.sections() {
		if sec.name == name {
			return sec.sec
		}
	}
	return nil
}

var errSectionSize = errors.New("scripting section size out of range")

func readSection(br *bufio.Reader) (string, []byte, error) {
	nlen, err := binary.ReadUvarint(br)
	if err != nil || nlen > 64 {
		return "", nil, errors.Join(err, errSectionSize)
	}
	name := make([]byte, nlen)
	if _, err := io.ReadFull(br, name); err != nil {
		return "", nil, err
	}
	blen, err := binary.ReadUvarint(br)
	if err != nil || blen > maxSectionBytes {
		return "", nil, errors.Join(err, errSectionSize)
	}
	body, err := readN(br, int(blen))
	return string(name), body, err
}

// readN reads n bytes, growing the buffer as data arrives so a corrupt
// length cannot allocate more than the stream holds.
func readN(r io.Reader, n int) ([]byte, error) {
	var b []byte
	for len(b) < n {
		chunk := min(n-len(b), 1<<20)
		start := len(b)
		b = append(b, make([]byte, chunk)...)
		if _, err := io.ReadFull(r, b[start:]); err != nil {
			return nil, err
		}
	}
	return b, nil
}
