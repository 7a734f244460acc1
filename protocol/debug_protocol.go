package protocol

// ErrDebugProtocolType is DEBUG PROTOCOL's answer to a type it does not
// know.
const ErrDebugProtocolType = "ERR Wrong protocol type name. Please use one of the following: " +
	"string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false"

// DebugProtocol writes DEBUG PROTOCOL's reply of type name
// (string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|
// true|false, any case) in w's protocol, byte for byte as Redis 7.0's
// debug.c: RESP2 gets each type's RESP2 form (attrib only its real reply,
// push an error).
func DebugProtocol(w *Writer, name []byte) {
	for _, k := range debugProtocolKinds {
		if optionIs(name, k.name) {
			k.write(w)
			return
		}
	}
	w.Error(ErrDebugProtocolType)
}

var debugProtocolKinds = []struct {
	name  string
	write func(w *Writer)
}{
	{"string", func(w *Writer) { w.BulkString("Hello World") }},
	{"integer", func(w *Writer) { w.Int(12345) }},
	{"double", func(w *Writer) { w.Double(3.141) }},
	{"bignum", func(w *Writer) { w.BigNumber("1234567999999999999999999999999999999") }},
	{"null", func(w *Writer) { w.Null() }},
	{"array", func(w *Writer) { w.Array(3); debugCounts(w) }},
	{"set", func(w *Writer) { w.Set(3); debugCounts(w) }},
	{"map", debugMap},
	{"attrib", debugAttrib},
	{"push", debugPush},
	{"true", func(w *Writer) { w.Bool(true) }},
	{"false", func(w *Writer) { w.Bool(false) }},
	{"verbatim", func(w *Writer) { w.Verbatim("This is a verbatim\nstring") }},
}

// debugCounts writes the integers 0, 1 and 2.
func debugCounts(w *Writer) {
	for j := range 3 {
		w.Int(int64(j))
	}
}

// debugMap writes {0: false, 1: true, 2: false}.
func debugMap(w *Writer) {
	w.Map(3)
	for j := range 3 {
		w.Int(int64(j))
		w.Bool(j == 1)
	}
}

// debugAttrib writes an attribute (RESP3 only) and the reply it describes.
func debugAttrib(w *Writer) {
	if w.resp3() {
		w.B = appendHeader(w.B, '|', 1)
		w.BulkString("key-popularity")
		w.Array(2)
		w.BulkString("key:123")
		w.Int(90)
	}
	w.BulkString("Some real reply following the attribute")
}

// debugPush writes a push message and a reply after it; RESP2 has no
// pushes.
func debugPush(w *Writer) {
	if !w.resp3() {
		w.Error("ERR RESP2 is not supported by this command")
		return
	}
	w.B = appendHeader(w.B, '>', 2)
	w.BulkString("server-cpu-usage")
	w.Int(42)
	w.BulkString("Some real reply following the push reply")
}
