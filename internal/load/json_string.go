package load

import (
	"unicode/utf16"
	"unicode/utf8"
)

// strSafe marks bytes that need no attention inside a JSON string. Bytes
// from 0x80 up are safe because checkCommon validated UTF-8 beforehand.
var strSafe = func() (t [256]bool) {
	for c := 0x20; c < 256; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// str scans the string whose opening quote is at p.pos. Strings without a
// backslash are substrings of the shared source: no allocation.
func (p *jsonParser) str() (string, bool) {
	s := p.src
	start := p.pos + 1
	i := start
	for i < len(s) && strSafe[s[i]] {
		i++
	}
	if i < len(s) && s[i] == '"' {
		p.pos = i + 1
		return s[start:i], true
	}
	return p.strSlow(start, i)
}

// strSlow finishes a string that holds escapes or is malformed.
func (p *jsonParser) strSlow(start, i int) (string, bool) {
	s := p.src
	buf := append(p.scratch[:0], s[start:i]...)
	for {
		if i >= len(s) {
			p.pos = start - 1
			p.failf("string is not terminated")
			return "", false
		}
		switch c := s[i]; {
		case c == '"':
			p.pos = i + 1
			p.scratch = buf
			return string(buf), true
		case c == '\\':
			var ok bool
			if buf, i, ok = p.escape(buf, i); !ok {
				return "", false
			}
		case c == '\n' || c == '\r':
			p.pos = start - 1
			p.failf("string is not terminated before the end of the line")
			return "", false
		case c < 0x20:
			p.pos = i
			p.failf("control character %U in a string must be escaped", c)
			return "", false
		default:
			j := i
			for j < len(s) && strSafe[s[j]] {
				j++
			}
			buf = append(buf, s[i:j]...)
			i = j
		}
	}
}

// escape decodes the escape sequence whose backslash is at i.
func (p *jsonParser) escape(buf []byte, i int) ([]byte, int, bool) {
	s := p.src
	if i+1 >= len(s) {
		p.pos = i
		p.failf("string is not terminated")
		return buf, i, false
	}
	switch c := s[i+1]; c {
	case '"', '\\', '/':
		return append(buf, c), i + 2, true
	case 'b':
		return append(buf, '\b'), i + 2, true
	case 'f':
		return append(buf, '\f'), i + 2, true
	case 'n':
		return append(buf, '\n'), i + 2, true
	case 'r':
		return append(buf, '\r'), i + 2, true
	case 't':
		return append(buf, '\t'), i + 2, true
	case 'u':
		return p.escapeU(buf, i)
	default:
		p.pos = i
		p.failf("invalid escape %s in a string", quote(s[i:i+1+utf8RuneLen(s[i+1:])]))
		return buf, i, false
	}
}

// escapeU decodes \uXXXX at i, joining UTF-16 surrogate pairs. A lone
// surrogate becomes U+FFFD, as encoding/json does.
func (p *jsonParser) escapeU(buf []byte, i int) ([]byte, int, bool) {
	r, ok := hex4(p.src, i+2)
	if !ok {
		p.pos = i
		p.failf("invalid \\u escape in a string: want four hex digits")
		return buf, i, false
	}
	i += 6
	if utf16.IsSurrogate(r) {
		r2, ok2 := rune(-1), false
		if i+1 < len(p.src) && p.src[i] == '\\' && p.src[i+1] == 'u' {
			r2, ok2 = hex4(p.src, i+2)
		}
		if dec := utf16.DecodeRune(r, r2); ok2 && dec != utf8.RuneError {
			r = dec
			i += 6
		} else {
			r = utf8.RuneError
		}
	}
	return utf8.AppendRune(buf, r), i, true
}

func hex4(s string, i int) (rune, bool) {
	if i+4 > len(s) {
		return 0, false
	}
	var r rune
	for _, c := range []byte(s[i : i+4]) {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		case c >= 'A' && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

func utf8RuneLen(s string) int {
	_, n := utf8.DecodeRuneInString(s)
	return n
}
