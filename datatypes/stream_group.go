package datatypes

import "encoding/binary"

// StreamGroups is a stream's consumer groups. The zero value has none.
//
// This is the hook the Stream calls; the consumer groups themselves are
// built on it (XGROUP, XREADGROUP, XACK, ...).
type StreamGroups struct{}

// clone returns a deep copy (Stream.Clone).
func (g *StreamGroups) clone() StreamGroups { return StreamGroups{} }

// appendEncoded appends the groups' snapshot encoding (Stream.AppendEncoded).
func (g *StreamGroups) appendEncoded(b []byte) []byte { return binary.AppendUvarint(b, 0) }

// decode reads what appendEncoded wrote; a failure sets d.err.
func (g *StreamGroups) decode(d *decoder) {
	if d.uvarint() != 0 && d.err == nil {
		d.err = errCorrupt
	}
}
