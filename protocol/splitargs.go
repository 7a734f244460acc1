package protocol

import "bytes"

// SplitArgs splits a line exactly as Redis's sdssplitargs (an inline
// command, a script's shebang line):
// whitespace separates arguments; "double quotes" support \n \r \t \b \a,
// \xHH and \<c>; 'single quotes' support only \'; a closing quote must be
// followed by whitespace or the end of the line.
//
// Redis splits a C string, so a NUL byte ends the line. ok is false when a
// quote is unbalanced (or a closing quote is followed by a non-space).
func SplitArgs(line []byte) (args [][]byte, ok bool) {
	if i := bytes.IndexByte(line, 0); i >= 0 {
		line = line[:i]
	}
	p := 0
	for {
		for p < len(line) && isSpaceByte(line[p]) {
			p++
		}
		if p >= len(line) {
			return args, true
		}
		arg, next, ok := splitOne(line, p)
		if !ok {
			return nil, false
		}
		args = append(args, arg)
		p = next
	}
}

// splitOne reads one argument starting at p and returns it and where the
// next one may start.
func splitOne(line []byte, p int) ([]byte, int, bool) {
	cur := []byte{}
	inDouble, inSingle := false, false
	for {
		if p >= len(line) {
			if inDouble || inSingle {
				return nil, p, false
			}
			return cur, p, true
		}
		c := line[p]
		switch {
		case inDouble:
			switch {
			case c == '\\' && p+3 < len(line) && line[p+1] == 'x' && isHex(line[p+2]) && isHex(line[p+3]):
				cur = append(cur, hexVal(line[p+2])<<4|hexVal(line[p+3]))
				p += 3
			case c == '\\' && p+1 < len(line):
				p++
				cur = append(cur, unescape(line[p]))
			case c == '"':
				if p+1 < len(line) && !isSpaceByte(line[p+1]) {
					return nil, p, false
				}
				return cur, p + 1, true
			default:
				cur = append(cur, c)
			}
		case inSingle:
			switch {
			case c == '\\' && p+1 < len(line) && line[p+1] == '\'':
				p++
				cur = append(cur, '\'')
			case c == '\'':
				if p+1 < len(line) && !isSpaceByte(line[p+1]) {
					return nil, p, false
				}
				return cur, p + 1, true
			default:
				cur = append(cur, c)
			}
		default:
			switch c {
			case ' ', '\n', '\r', '\t':
				return cur, p, true
			case '"':
				inDouble = true
			case '\'':
				inSingle = true
			default:
				cur = append(cur, c)
			}
		}
		p++
	}
}

func unescape(c byte) byte {
	switch c {
	case 'n':
		return '\n'
	case 'r':
		return '\r'
	case 't':
		return '\t'
	case 'b':
		return '\b'
	case 'a':
		return '\a'
	}
	return c
}

func isSpaceByte(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

func isHex(c byte) bool {
	return ('0' <= c && c <= '9') || ('a' <= c && c <= 'f') || ('A' <= c && c <= 'F')
}

func hexVal(c byte) byte {
	switch {
	case '0' <= c && c <= '9':
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}
