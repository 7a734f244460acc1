package protocol

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strconv"
)

// RESPValue is a RESP3 reply kept as data (Redis 7.0.15's COMMAND INFO
// and COMMAND DOCS replies, command_info_redis.go and server's
// command_docs_redis.go): a
// map, array or set of items, or a bulk string, simple string or integer.
type RESPValue struct {
	Kind  byte // '%', '*', '~', '$', '+', ':'
	Str   string
	Int   int64
	Items []RESPValue // a map's keys and values in turn
}

// maxRESPDepth bounds the nesting ParseRESPValue accepts (Redis's
// documentation nests a few levels).
const maxRESPDepth = 16

// MustParseRESP parses data, a reply of kind kept in the binary (name
// says which file), and panics when it does not parse: the data is wrong.
func MustParseRESP(data []byte, kind byte, name string) RESPValue {
	v, err := ParseRESPValue(bufio.NewReader(bytes.NewReader(data)))
	if err != nil || v.Kind != kind {
		panic(fmt.Sprintf("protocol: %s does not parse: %v", name, err))
	}
	return v
}

// ParseRESPValue reads one reply of those kinds.
func ParseRESPValue(rd *bufio.Reader) (RESPValue, error) { return parseRESPValue(rd, 0) }

func parseRESPValue(rd *bufio.Reader, depth int) (RESPValue, error) {
	line, err := rd.ReadString('\n')
	if err != nil || len(line) < 3 || depth > maxRESPDepth {
		return RESPValue{}, fmt.Errorf("bad line %q at depth %d: %v", line, depth, err)
	}
	v := RESPValue{Kind: line[0]}
	body := line[1 : len(line)-2]
	switch v.Kind {
	case '+':
		v.Str = body
		return v, nil
	case ':':
		v.Int, err = strconv.ParseInt(body, 10, 64)
		return v, err
	case '$':
		n, err := strconv.Atoi(body)
		if err != nil || n < 0 {
			return v, fmt.Errorf("bad bulk length %q", body)
		}
		b := make([]byte, n+2)
		if _, err := io.ReadFull(rd, b); err != nil {
			return v, err
		}
		v.Str = string(b[:n])
		return v, nil
	case '%', '*', '~':
		n, err := strconv.Atoi(body)
		if err != nil || n < 0 {
			return v, fmt.Errorf("bad length %q", body)
		}
		if v.Kind == '%' {
			n *= 2
		}
		v.Items = make([]RESPValue, n)
		for i := range v.Items {
			if v.Items[i], err = parseRESPValue(rd, depth+1); err != nil {
				return v, err
			}
		}
		return v, nil
	}
	return v, fmt.Errorf("unexpected type %q", v.Kind)
}

// Write writes v in the connection's protocol (a map or set as an array
// in RESP2, as Redis writes them).
func (v RESPValue) Write(w *Writer) {
	switch v.Kind {
	case '%':
		w.Map(len(v.Items) / 2)
	case '*':
		w.Array(len(v.Items))
	case '~':
		w.Set(len(v.Items))
	case '$':
		w.BulkString(v.Str)
	case '+':
		w.Simple(v.Str)
	case ':':
		w.Int(v.Int)
	}
	for _, it := range v.Items {
		it.Write(w)
	}
}

// Field returns the value of a map's key, the zero value when it has none.
func (v RESPValue) Field(key string) RESPValue {
	for i := 0; i+1 < len(v.Items); i += 2 {
		if v.Items[i].Str == key {
			return v.Items[i+1]
		}
	}
	return RESPValue{}
}
