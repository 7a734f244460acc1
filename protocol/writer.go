package protocol

import (
	"math"
	"strconv"

	"github.com/tidwall/redcon"
)

// Writer appends RESP replies to B in the connection's protocol version
// (2 or 3). RESP3-only shapes (maps, sets, doubles, booleans, null) fall back
// to their RESP2 forms exactly as Redis 7.0 does. The zero Writer speaks RESP2.
type Writer struct {
	B     []byte
	Proto int
}

func (w *Writer) resp3() bool { return w.Proto == 3 }

// OK appends +OK.
func (w *Writer) OK() { w.B = append(w.B, "+OK\r\n"...) }

// Simple appends a status reply.
func (w *Writer) Simple(s string) { w.B = redcon.AppendString(w.B, s) }

// Error appends an error reply; msg starts with its code, e.g. "ERR ...".
func (w *Writer) Error(msg string) { w.B = redcon.AppendError(w.B, msg) }

// Int appends an integer reply.
func (w *Writer) Int(n int64) { w.B = redcon.AppendInt(w.B, n) }

// Bulk appends a bulk string.
func (w *Writer) Bulk(b []byte) { w.B = redcon.AppendBulk(w.B, b) }

// BulkString appends a bulk string.
func (w *Writer) BulkString(s string) { w.B = redcon.AppendBulkString(w.B, s) }

// BulkInt appends n as a bulk string.
func (w *Writer) BulkInt(n int64) {
	w.B = redcon.AppendBulk(w.B, strconv.AppendInt(nil, n, 10))
}

// Null appends a null bulk string ($-1 in RESP2, _ in RESP3).
func (w *Writer) Null() {
	if w.resp3() {
		w.B = append(w.B, "_\r\n"...)
		return
	}
	w.B = append(w.B, "$-1\r\n"...)
}

// NullArray appends a null array (*-1 in RESP2, _ in RESP3).
func (w *Writer) NullArray() {
	if w.resp3() {
		w.B = append(w.B, "_\r\n"...)
		return
	}
	w.B = append(w.B, "*-1\r\n"...)
}

// Array appends an array header for n elements.
func (w *Writer) Array(n int) { w.B = redcon.AppendArray(w.B, n) }

// Map appends a map header for n key/value pairs (a flat array in RESP2).
func (w *Writer) Map(n int) {
	if w.resp3() {
		w.B = appendHeader(w.B, '%', n)
		return
	}
	w.Array(2 * n)
}

// Set appends a set header for n elements (an array in RESP2).
func (w *Writer) Set(n int) {
	if w.resp3() {
		w.B = appendHeader(w.B, '~', n)
		return
	}
	w.Array(n)
}

// Double appends a double (a bulk string in RESP2), formatted as Redis does.
func (w *Writer) Double(f float64) {
	if w.resp3() {
		w.B = append(w.B, ',')
		w.B = append(w.B, FormatDouble(f)...)
		w.B = append(w.B, '\r', '\n')
		return
	}
	w.BulkString(FormatDouble(f))
}

// Bool appends a boolean (:1 or :0 in RESP2).
func (w *Writer) Bool(b bool) {
	switch {
	case w.resp3() && b:
		w.B = append(w.B, "#t\r\n"...)
	case w.resp3():
		w.B = append(w.B, "#f\r\n"...)
	case b:
		w.Int(1)
	default:
		w.Int(0)
	}
}

// Verbatim appends a verbatim text reply (a bulk string in RESP2).
func (w *Writer) Verbatim(s string) {
	if !w.resp3() {
		w.BulkString(s)
		return
	}
	w.B = appendHeader(w.B, '=', len(s)+4)
	w.B = append(w.B, "txt:"...)
	w.B = append(w.B, s...)
	w.B = append(w.B, '\r', '\n')
}

// BigNumber appends a big number given in decimal (a bulk string in
// RESP2).
func (w *Writer) BigNumber(s string) {
	if !w.resp3() {
		w.BulkString(s)
		return
	}
	w.B = append(append(append(w.B, '('), s...), '\r', '\n')
}

// Raw appends bytes that already are RESP.
func (w *Writer) Raw(b []byte) { w.B = append(w.B, b...) }

func appendHeader(b []byte, c byte, n int) []byte {
	b = append(b, c)
	b = strconv.AppendInt(b, int64(n), 10)
	return append(b, '\r', '\n')
}

// FormatDouble formats f as Redis 7.0 replies with it: "inf", "-inf", the
// shortest exact representation up to 17 significant digits ("%.17g").
func FormatDouble(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	case math.IsNaN(f):
		return "nan"
	}
	return strconv.FormatFloat(f, 'g', 17, 64)
}
