// Package datatypes holds geetcache's values and keyspace.
//
// Everything here is pure and deterministic: no I/O, goroutines, locks, clocks
// or unseeded randomness. Callers pass the time (unix milliseconds) and any
// random source. Iteration order never depends on Go map order, so two
// keyspaces built by the same operations encode and digest identically.
package datatypes

// Kind is a value's type as TYPE reports it.
type Kind uint8

// The value kinds, in the order of their snapshot tags.
const (
	KindString Kind = iota + 1
	KindList
	KindSet
	KindZSet
	KindHash
	KindStream
)

var kindNames = [...]string{"none", "string", "list", "set", "zset", "hash", "stream"}

// String returns the name TYPE replies with.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "unknown"
}

// Value is anything stored under a key. A Value belongs to one keyspace
// entry; Clone returns a deep copy that shares no mutable memory with it.
type Value interface {
	Kind() Kind
	Clone() Value
	// AppendEncoded appends the value's snapshot encoding: one tag byte
	// (see snapshot.go) then the payload. Equal values encode equally.
	AppendEncoded(b []byte) []byte
}

// StringValue is a Value of kind string whose bytes GET returns. Plain
// strings are String; other encodings (HyperLogLog) implement it too.
type StringValue interface {
	Value
	// Bytes returns the value's bytes. The caller must not modify them.
	Bytes() []byte
}

// String is a plain string value.
type String []byte

// Kind reports KindString.
func (s String) Kind() Kind { return KindString }

// Clone copies the bytes.
func (s String) Clone() Value { return String(append([]byte(nil), s...)) }

// AppendEncoded appends tagString and the length-prefixed bytes.
func (s String) AppendEncoded(b []byte) []byte {
	return appendBytes(append(b, tagString), s)
}

// Bytes returns the string itself.
func (s String) Bytes() []byte { return s }
