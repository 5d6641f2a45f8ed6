package validate

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"

	"github.com/relay-dev/relay/internal/source"
)

// writeJSON renders a tree as JSON for kin-openapi's Swagger 2.0 model,
// which relay fills through encoding/json (openapi2's types inline their
// $refs and are decoded whole; Swagger documents are small enough for
// that). Members the walker reported are left out, so a value of the wrong
// kind cannot fail the whole decode, and kin does not report an unknown
// field again. YAML number forms JSON lacks (0x1F, .5, +1, .inf) are
// rewritten; a number JSON cannot hold becomes null.
func writeJSON(n *source.Node, skip map[*source.Node]bool) []byte {
	var b bytes.Buffer
	b.Grow(1 << 12)
	writeNode(&b, n, skip)
	return b.Bytes()
}

func writeNode(b *bytes.Buffer, n *source.Node, skip map[*source.Node]bool) {
	switch n.Kind {
	case source.Object:
		b.WriteByte('{')
		first := true
		for _, c := range n.Children {
			if skip[c] {
				continue
			}
			if !first {
				b.WriteByte(',')
			}
			first = false
			writeString(b, c.Key)
			b.WriteByte(':')
			writeNode(b, c, skip)
		}
		b.WriteByte('}')
	case source.Array:
		b.WriteByte('[')
		for i, c := range n.Children {
			if i > 0 {
				b.WriteByte(',')
			}
			writeNode(b, c, skip)
		}
		b.WriteByte(']')
	case source.String:
		writeString(b, n.Value)
	case source.Number:
		writeNumber(b, n.Value)
	case source.Bool:
		b.WriteString(n.Value)
	default:
		b.WriteString("null")
	}
}

func writeString(b *bytes.Buffer, s string) {
	q, _ := json.Marshal(s) // a string always marshals
	b.Write(q)
}

func writeNumber(b *bytes.Buffer, lit string) {
	if json.Valid([]byte(lit)) {
		b.WriteString(lit)
		return
	}
	f, err := strconv.ParseFloat(lit, 64)
	if err != nil {
		if i, ierr := strconv.ParseInt(lit, 0, 64); ierr == nil {
			f, err = float64(i), nil
		}
	}
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		b.WriteString("null")
		return
	}
	b.WriteString(strconv.FormatFloat(f, 'g', -1, 64))
}
