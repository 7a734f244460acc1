package protocol

import "strconv"

// parsedReply is a reply parsed back, as far as propagation needs it: a
// bulk (or simple, integer, double) string, or an aggregate's elements.
type parsedReply struct {
	bulk  []byte
	elems []parsedReply
}

// replyBulk returns reply's string when it is one.
func replyBulk(reply []byte) ([]byte, bool) {
	v, ok := parseReply(reply)
	return v.bulk, ok && v.elems == nil && v.bulk != nil
}

// parseReply parses one RESP2 or RESP3 reply this node wrote; ok is false
// for an error, a null, or anything malformed.
func parseReply(b []byte) (parsedReply, bool) {
	v, rest, ok := parseReplyAt(b, 0)
	return v, ok && len(rest) == 0
}

func parseReplyAt(b []byte, depth int) (parsedReply, []byte, bool) {
	end := 0
	for end+1 < len(b) && (b[end] != '\r' || b[end+1] != '\n') {
		end++
	}
	if len(b) == 0 || end+1 >= len(b) || depth > 8 {
		return parsedReply{}, nil, false
	}
	line, rest := b[1:end], b[end+2:]
	n, nerr := strconv.Atoi(string(line))
	switch b[0] {
	case '+', ':', ',', '(':
		return parsedReply{bulk: append([]byte{}, line...)}, rest, true
	case '$', '=':
		if nerr != nil || n < 0 || len(rest) < n+2 {
			return parsedReply{}, nil, false
		}
		return parsedReply{bulk: append([]byte{}, rest[:n]...)}, rest[n+2:], true
	case '*', '~', '>', '%':
		if nerr != nil || n < 0 {
			return parsedReply{}, nil, false
		}
		if b[0] == '%' {
			n *= 2
		}
		v := parsedReply{elems: make([]parsedReply, 0, min(n, 1024))}
		for range n {
			e, r, ok := parseReplyAt(rest, depth+1)
			if !ok {
				return parsedReply{}, nil, false
			}
			v.elems, rest = append(v.elems, e), r
		}
		return v, rest, true
	}
	return parsedReply{}, nil, false
}
