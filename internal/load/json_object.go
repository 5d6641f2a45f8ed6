package load

import "github.com/relay-dev/relay/internal/source"

// object parses { "key": value, … } with p.pos on '{'.
func (p *jsonParser) object(depth, line, col int) *source.Node {
	n := p.b.Container(source.Object, line, col)
	p.pos++
	base := len(p.members)
	p.skipSpace()
	if p.pos < len(p.src) && p.src[p.pos] == '}' {
		p.pos++
		return n
	}
	for {
		if !p.objectMember(depth) {
			return nil
		}
		p.skipSpace()
		if p.pos >= len(p.src) {
			return p.unexpected("',' or '}' after object member")
		}
		switch p.src[p.pos] {
		case ',':
			p.pos++
			p.skipSpace()
		case '}':
			p.pos++
			return p.closeObject(n, base)
		default:
			return p.unexpected("',' or '}' after object member")
		}
	}
}

// objectMember parses "key": value and queues it on p.members.
func (p *jsonParser) objectMember(depth int) bool {
	if p.pos >= len(p.src) || p.src[p.pos] != '"' {
		p.unexpected("a string key")
		return false
	}
	kline, kcol, kpos := p.line, p.column(p.pos), p.pos
	key, ok := p.str()
	if !ok {
		return false
	}
	if len(key) > p.lim.MaxKeyBytes {
		p.pos = kpos
		p.failf("key %s is longer than the limit of %d bytes", quote(key), p.lim.MaxKeyBytes)
		return false
	}
	p.skipSpace()
	if p.pos >= len(p.src) || p.src[p.pos] != ':' {
		p.unexpected("':' after object key")
		return false
	}
	p.pos++
	p.skipSpace()
	child := p.value(depth + 1)
	if child == nil {
		return false
	}
	p.members = append(p.members, member{key: key, line: kline, col: kcol, node: child})
	return true
}

// closeObject checks the queued members for duplicates and attaches them.
func (p *jsonParser) closeObject(n *source.Node, base int) *source.Node {
	ms := p.members[base:]
	if i, j := duplicateMember(ms); i >= 0 {
		p.err = errAt(p.display, ms[j].line, ms[j].col,
			"duplicate key %s (first at line %d)", quote(ms[j].key), ms[i].line)
		return nil
	}
	n.Children = make([]*source.Node, 0, len(ms))
	for _, m := range ms {
		p.b.AddMember(n, m.key, m.line, m.col, m.node)
	}
	clear(ms)
	p.members = p.members[:base]
	return n
}

// smallObject is the member count up to which a quadratic duplicate scan
// beats building a map.
const smallObject = 16

// duplicateMember returns the indexes of the first key that repeats an
// earlier one (first occurrence, repeat), or -1, -1.
func duplicateMember(ms []member) (int, int) {
	if len(ms) <= smallObject {
		for j := 1; j < len(ms); j++ {
			for i := 0; i < j; i++ {
				if ms[i].key == ms[j].key {
					return i, j
				}
			}
		}
		return -1, -1
	}
	seen := make(map[string]int, len(ms))
	for j, m := range ms {
		if i, ok := seen[m.key]; ok {
			return i, j
		}
		seen[m.key] = j
	}
	return -1, -1
}
