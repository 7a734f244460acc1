package scripting

import (
	"crypto/sha1"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"slices"
)

// Scripts is the replicated script cache: SHA-1 (40 lower-case hex digits)
// to script body. Bodies are immutable once added.
type Scripts struct {
	bodies map[string]string
}

func newScripts() *Scripts { return &Scripts{bodies: map[string]string{}} }

// SHA1Hex returns the 40 lower-case hex digits of body's SHA-1.
func SHA1Hex(body []byte) string {
	sum := sha1.Sum(body)
	return hex.EncodeToString(sum[:])
}

// Get returns the body cached under sha (lower case).
func (s *Scripts) Get(sha string) (string, bool) {
	b, ok := s.bodies[sha]
	return b, ok
}

// Add caches body under its SHA-1 and returns the SHA-1.
func (s *Scripts) Add(body string) string {
	sha := SHA1Hex([]byte(body))
	s.bodies[sha] = body
	return sha
}

// Len returns the number of cached scripts.
func (s *Scripts) Len() int { return len(s.bodies) }

// Bytes returns the total size of the cached bodies.
func (s *Scripts) Bytes() int {
	n := 0
	for _, b := range s.bodies {
		n += len(b)
	}
	return n
}

// Reset empties the cache.
func (s *Scripts) Reset() { clear(s.bodies) }

// Clone returns a copy.
func (s *Scripts) Clone() Section {
	c := newScripts()
	for k, v := range s.bodies {
		c.bodies[k] = v
	}
	return c
}

// AppendSnapshot appends uvarint(n) { uvarint(len) body }* in SHA order;
// the SHA is recomputed on restore.
func (s *Scripts) AppendSnapshot(b []byte) []byte {
	shas := make([]string, 0, len(s.bodies))
	for sha := range s.bodies {
		shas = append(shas, sha)
	}
	slices.Sort(shas)
	b = binary.AppendUvarint(b, uint64(len(shas)))
	for _, sha := range shas {
		body := s.bodies[sha]
		b = binary.AppendUvarint(b, uint64(len(body)))
		b = append(b, body...)
	}
	return b
}

var errScriptsSnapshot = errors.New("malformed script cache")

// ReadSnapshot replaces the cache with what AppendSnapshot wrote.
func (s *Scripts) ReadSnapshot(b []byte) error {
	s.Reset()
	n, k := binary.Uvarint(b)
	if k <= 0 || n > uint64(len(b)) {
		return errScriptsSnapshot
	}
	b = b[k:]
	for range n {
		size, k := binary.Uvarint(b)
		if k <= 0 || size > uint64(len(b)-k) {
			return errScriptsSnapshot
		}
		s.Add(string(b[k : k+int(size)]))
		b = b[k+int(size):]
	}
	if len(b) != 0 {
		return errScriptsSnapshot
	}
	return nil
}
