package lualib

import (
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// JSON token types, named as lua-cjson names them in its errors.
type jsonTokenType int

const (
	tObjBegin jsonTokenType = iota
	tObjEnd
	tArrBegin
	tArrEnd
	tString
	tNumber
	tBoolean
	tNull
	tColon
	tComma
	tEnd
	tWhitespace
	tError
	tUnknown
)

var jsonTokenNames = [...]string{
	"T_OBJ_BEGIN", "T_OBJ_END", "T_ARR_BEGIN", "T_ARR_END", "T_STRING",
	"T_NUMBER", "T_BOOLEAN", "T_NULL", "T_COLON", "T_COMMA", "T_END",
	"T_WHITESPACE", "T_ERROR", "T_UNKNOWN",
}

type jsonToken struct {
	typ   jsonTokenType
	index int    // 0-based position, reported 1-based
	str   string // string value, or the error text for tError
	num   float64
	b     bool
}

// jsonDecoder is one cjson.decode call. The input is read as the C code
// reads its NUL-terminated copy: a NUL byte ends the text.
type jsonDecoder struct {
	L     *lua.LState
	cfg   *cjsonConfig
	data  string
	pos   int
	depth int
}

// jsonDecode is cjson.decode(text).
func jsonDecode(L *lua.LState, cfg *cjsonConfig) int {
	if L.GetTop() != 1 {
		argError(L, 1, "decode", "expected 1 argument")
	}
	d := &jsonDecoder{L: L, cfg: cfg, data: checkString(L, 1, "decode")}
	if len(d.data) >= 2 && (d.data[0] == 0 || d.data[1] == 0) {
		raise(L, "JSON parser does not support UTF-16 or UTF-32")
	}
	tok := d.next()
	v := d.value(&tok, 1)
	if tok = d.next(); tok.typ != tEnd {
		d.fail("the end", &tok)
	}
	L.Push(v)
	return 1
}

func (d *jsonDecoder) at(i int) byte {
	if i < len(d.data) {
		return d.data[i]
	}
	return 0
}

// fail is json_throw_parse_error.
func (d *jsonDecoder) fail(expected string, t *jsonToken) {
	found := jsonTokenNames[t.typ]
	if t.typ == tError {
		found = t.str
	}
	raise(d.L, "Expected %s but found %s at character %d", expected, found, t.index+1)
}

func (d *jsonDecoder) errorToken(t *jsonToken, msg string) {
	*t = jsonToken{typ: tError, index: d.pos, str: msg}
}

func charToken(c byte) jsonTokenType {
	switch c {
	case '{':
		return tObjBegin
	case '}':
		return tObjEnd
	case '[':
		return tArrBegin
	case ']':
		return tArrEnd
	case ',':
		return tComma
	case ':':
		return tColon
	case 0:
		return tEnd
	case ' ', '\t', '\n', '\r':
		return tWhitespace
	case 'f', 'i', 'I', 'n', 'N', 't', '"', '+', '-':
		return tUnknown
	}
	if isDigit(c) {
		return tUnknown
	}
	return tError
}

// next is json_next_token.
func (d *jsonDecoder) next() jsonToken {
	var t jsonToken
	for {
		t.typ = charToken(d.at(d.pos))
		if t.typ != tWhitespace {
			break
		}
		d.pos++
	}
	t.index = d.pos
	switch t.typ {
	case tError:
		d.errorToken(&t, "invalid token")
		return t
	case tEnd:
		return t
	case tUnknown:
		d.unknownToken(&t)
		return t
	}
	d.pos++
	return t
}

func (d *jsonDecoder) unknownToken(t *jsonToken) {
	c := d.at(d.pos)
	rest := d.data[d.pos:]
	switch {
	case c == '"':
		d.stringToken(t)
	case c == '-' || isDigit(c):
		if d.cfg.decodeInvalid == 0 && d.invalidNumber() {
			d.errorToken(t, "invalid number")
			return
		}
		d.numberToken(t)
	case strings.HasPrefix(rest, "true"):
		t.typ, t.b = tBoolean, true
		d.pos += 4
	case strings.HasPrefix(rest, "false"):
		t.typ, t.b = tBoolean, false
		d.pos += 5
	case strings.HasPrefix(rest, "null"):
		t.typ = tNull
		d.pos += 4
	case d.cfg.decodeInvalid != 0 && d.invalidNumber():
		d.numberToken(t)
	default:
		d.errorToken(t, "invalid token")
	}
}

// invalidNumber is json_is_invalid_number: a number strtod accepts but
// strict JSON does not (leading '+', hex, leading zeros, inf, nan).
func (d *jsonDecoder) invalidNumber() bool {
	p := d.pos
	if d.at(p) == '+' {
		return true
	}
	if d.at(p) == '-' {
		p++
	}
	if c := d.at(p); c == '0' {
		c2 := d.at(p + 1)
		return c2|0x20 == 'x' || isDigit(c2)
	} else if int8(c) <= '9' {
		return false
	}
	rest := d.numberText(p)
	return hasPrefixFold(rest, "inf") || hasPrefixFold(rest, "nan")
}

// numberText is the text from p that strtod could read: the run of
// characters a number, "inf", "infinity" or "nan(chars)" is made of. It
// stops at a NUL as C does, and at the number's end, so scanning a long
// array of numbers stays linear.
func (d *jsonDecoder) numberText(p int) string {
	end := p
	for end < len(d.data) && isNumberChar(d.data[end]) {
		end++
	}
	return d.data[p:end]
}

func isNumberChar(c byte) bool {
	return isDigit(c) || c|0x20 >= 'a' && c|0x20 <= 'z' || strings.IndexByte("+-._()", c) >= 0
}

func (d *jsonDecoder) numberToken(t *jsonToken) {
	f, n := strtod(d.numberText(d.pos))
	if n == 0 {
		d.errorToken(t, "invalid number")
		return
	}
	t.typ, t.num = tNumber, f
	d.pos += n
}

func (d *jsonDecoder) stringToken(t *jsonToken) {
	d.pos++
	var sb strings.Builder
	for {
		c := d.at(d.pos)
		if c == '"' {
			break
		}
		if c == 0 {
			d.errorToken(t, "unexpected end of string")
			return
		}
		if c == '\\' {
			esc := jsonEscape(d.at(d.pos + 1))
			if esc == 'u' {
				if !d.unicodeEscape(&sb) {
					d.errorToken(t, "invalid unicode escape code")
					return
				}
				continue
			}
			if esc == 0 {
				d.errorToken(t, "invalid escape code")
				return
			}
			c = esc
			d.pos++
		}
		sb.WriteByte(c)
		d.pos++
	}
	d.pos++
	t.typ, t.str = tString, sb.String()
}

func jsonEscape(c byte) byte {
	switch c {
	case '"', '\\', '/', 'u':
		return c
	case 'b':
		return '\b'
	case 't':
		return '\t'
	case 'n':
		return '\n'
	case 'f':
		return '\f'
	case 'r':
		return '\r'
	}
	return 0
}

func (d *jsonDecoder) hex4(p int) int {
	v := 0
	for i := 0; i < 4; i++ {
		c := d.at(p + i)
		var x int
		switch {
		case isDigit(c):
			x = int(c - '0')
		case c|0x20 >= 'a' && c|0x20 <= 'f':
			x = int(c|0x20-'a') + 10
		default:
			return -1
		}
		v = v<<4 | x
	}
	return v
}

// unicodeEscape is json_append_unicode_escape at a "\u": it appends the
// UTF-8 form (joining a surrogate pair) and reports success.
func (d *jsonDecoder) unicodeEscape(sb *strings.Builder) bool {
	cp := d.hex4(d.pos + 2)
	if cp < 0 {
		return false
	}
	n := 6
	if cp&0xF800 == 0xD800 {
		if cp&0x400 != 0 || d.at(d.pos+6) != '\\' || d.at(d.pos+7) != 'u' {
			return false
		}
		lo := d.hex4(d.pos + 8)
		if lo < 0 || lo&0xFC00 != 0xDC00 {
			return false
		}
		cp = ((cp&0x3FF)<<10 | lo&0x3FF) + 0x10000
		n = 12
	}
	sb.Write(utf8Bytes(cp))
	d.pos += n
	return true
}

// utf8Bytes is codepoint_to_utf8 (no checks: surrogates are encoded too).
func utf8Bytes(cp int) []byte {
	switch {
	case cp <= 0x7F:
		return []byte{byte(cp)}
	case cp <= 0x7FF:
		return []byte{byte(cp>>6) | 0xC0, byte(cp&0x3F) | 0x80}
	case cp <= 0xFFFF:
		return []byte{byte(cp>>12) | 0xE0, byte(cp>>6&0x3F) | 0x80, byte(cp&0x3F) | 0x80}
	}
	return []byte{byte(cp>>18) | 0xF0, byte(cp>>12&0x3F) | 0x80, byte(cp>>6&0x3F) | 0x80, byte(cp&0x3F) | 0x80}
}

// descend is json_decode_descend; top is the C stack height.
func (d *jsonDecoder) descend(top, slots int) {
	d.depth++
	if d.depth <= d.cfg.decodeMaxDepth && top+slots <= maxCStack {
		return
	}
	raise(d.L, "Found too many nested data structures (%d) at character %d", d.depth, d.pos)
}

// value is json_process_value for token t; top is the C stack height.
func (d *jsonDecoder) value(t *jsonToken, top int) lua.LValue {
	switch t.typ {
	case tString:
		return lua.LString(t.str)
	case tNumber:
		return lua.LNumber(t.num)
	case tBoolean:
		return lua.LBool(t.b)
	case tObjBegin:
		return d.object(top)
	case tArrBegin:
		return d.array(top)
	case tNull:
		return d.cfg.null
	}
	d.fail("value", t)
	return nil
}

func (d *jsonDecoder) object(top int) lua.LValue {
	d.descend(top, 3)
	// A small hash hint: gopher-lua's default (L.NewTable, or a first
	// string key in a table without one) sizes the maps for 32 keys,
	// about 3 KB per object.
	tbl := d.L.CreateTable(0, 1)
	t := d.next()
	if t.typ == tObjEnd {
		d.depth--
		return tbl
	}
	for {
		if t.typ != tString {
			d.fail("object key string", &t)
		}
		key := t.str
		if t = d.next(); t.typ != tColon {
			d.fail("colon", &t)
		}
		t = d.next()
		tbl.RawSetString(key, d.value(&t, top+2))
		if t = d.next(); t.typ == tObjEnd {
			d.depth--
			return tbl
		}
		if t.typ != tComma {
			d.fail("comma or object end", &t)
		}
		t = d.next()
	}
}

func (d *jsonDecoder) array(top int) lua.LValue {
	d.descend(top, 2)
	// Room for one item: L.NewTable, or a first item in a table without
	// room, reserves 32 slots (512 bytes).
	tbl := d.L.CreateTable(1, 0)

	t := d.next()
	if t.typ == tArrEnd {
		d.depth--
		return tbl
	}
	for i := 1; ; i++ {
		tbl.RawSetInt(i, d.value(&t, top+1))
		if t = d.next(); t.typ == tArrEnd {
			d.depth--
			return tbl
		}
		if t.typ != tComma {
			d.fail("comma or array end", &t)
		}
		t = d.next()
	}
}
