package diff

import "strings"

// byteStream reports whether a media type carries raw bytes rather than a
// JSON, XML, text or form document: there the payload is a byte string
// whatever the schema says, so `{}` and `{type: string, format: binary}`
// describe the same body.
func byteStream(mediaType string) bool {
	mt, _, _ := strings.Cut(strings.ToLower(mediaType), ";")
	mt = strings.TrimSpace(mt)
	switch {
	case !strings.Contains(mt, "/"), strings.Contains(mt, "*"),
		strings.Contains(mt, "json"), strings.Contains(mt, "xml"),
		strings.HasPrefix(mt, "text/"), strings.HasPrefix(mt, "multipart/"),
		mt == "application/x-www-form-urlencoded":
		return false
	}
	return true
}

// annotationKeys never constrain a value: a schema of them alone admits
// anything, and two messages that differ only in them carry the same
// bytes.
var annotationKeys = map[string]bool{
	"description": true, "title": true, "example": true, "examples": true,
	"$comment": true, "summary": true, "deprecated": true, "externalDocs": true,
}

// IsAnnotation reports whether a schema keyword never constrains a value:
// the annotations above and x- extensions.
func IsAnnotation(key string) bool {
	return annotationKeys[key] || strings.HasPrefix(key, "x-")
}

// Unconstrained reports whether s admits any value: `{}`, `true`, or a
// schema of annotations only.
func (s *Schema) Unconstrained() bool {
	if s.Bool != 0 || s.Node == nil {
		return s.Bool >= 0
	}
	for _, k := range s.Node.Children {
		if !IsAnnotation(k.Key) {
			return false
		}
	}
	return true
}

// asBytes reads the schema of a byte-stream body as what goes on the wire:
// an unconstrained schema is a binary string, and a string without a
// format is a binary one. It never changes s (schemas are shared): it
// returns a memoised copy.
func (c *schemaCache) asBytes(s *Schema) *Schema {
	if v, ok := c.bytes[s]; ok {
		return v
	}
	v := s
	switch {
	case s.Unconstrained():
		v = &Schema{Node: s.Node, Types: TString, Format: "binary", Description: s.Description, TitleNode: s.TitleNode, Title: s.Title}
	case s.Types == TString && s.Format == "" && !s.Nullable:
		cp := *s
		cp.Format = "binary"
		v = &cp
	}
	if c.bytes == nil {
		c.bytes = map[*Schema]*Schema{}
	}
	c.bytes[s] = v
	return v
}
