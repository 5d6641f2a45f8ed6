package load

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relay-dev/relay/internal/source"
)

const slashKeys = `asyncapi: 3.0.0
info: {title: t, version: '1'}
channels:
  orders:
    address: orders
    messages:
      created: {$ref: '#/components/messages/order/created.v1'}
components:
  messages:
    order/created.v1:
      payload: {type: object}
`

func TestRefWithUnescapedSlashResolvesAndWarns(t *testing.T) {
	d, err := Load(Options{FS: fstest.MapFS{"api.yaml": {Data: []byte(slashKeys)}}, Path: "api.yaml", Display: "api.yaml"})
	require.NoError(t, err)
	msg := d.Main.Root.Get("channels").Get("orders").Get("messages").Get("created")
	assert.Equal(t, "/components/messages/order~1created.v1", d.Target(msg).Pointer())
	require.Len(t, d.Warnings, 1)
	w := d.Warnings[0]
	assert.Equal(t, source.Pos{File: "api.yaml", Line: 7, Col: 23}, w.Pos)
	assert.Contains(t, w.Msg, `write it as "#/components/messages/order~1created.v1"`)
}

func TestRefWithUnescapedSlashAmbiguousIsAnError(t *testing.T) {
	doc := slashKeys + `    order/created:
      v1: {payload: {type: string}}
    order:
      created/v1: {payload: {type: integer}}
`
	doc = strings.Replace(doc, "order/created.v1'", "order/created/v1'", 1)
	_, err := Load(Options{FS: fstest.MapFS{"api.yaml": {Data: []byte(doc)}}, Path: "api.yaml", Display: "api.yaml"})
	se := requireSourceError(t, err, "api.yaml", 7, 23, "must be written as ~1")
	assert.Contains(t, se.Msg, `"#/components/messages/order/created~1v1" or "#/components/messages/order~1created/v1"`)
}

// A pointer that resolves as RFC 6901 reads it is never second-guessed,
// even when a key holding '/' would also fit.
func TestRefThatResolvesIsNotReread(t *testing.T) {
	doc := slashKeys + `    order:
      created.v1: {payload: {type: string}}
`
	d, err := Load(Options{FS: fstest.MapFS{"api.yaml": {Data: []byte(doc)}}, Path: "api.yaml", Display: "api.yaml"})
	require.NoError(t, err)
	msg := d.Main.Root.Get("channels").Get("orders").Get("messages").Get("created")
	assert.Equal(t, "/components/messages/order/created.v1", d.Target(msg).Pointer())
	assert.Empty(t, d.Warnings)
}

func TestRefWithoutAnyMatchStaysUnresolvable(t *testing.T) {
	doc := slashKeys[:len(slashKeys)-len("    order/created.v1:\n      payload: {type: object}\n")] + "    other: {payload: {}}\n"
	_, err := Load(Options{FS: fstest.MapFS{"api.yaml": {Data: []byte(doc)}}, Path: "api.yaml", Display: "api.yaml"})
	requireSourceError(t, err, "api.yaml", 7, 23, "no such node")
}

func TestEscapedRefHasNoWarning(t *testing.T) {
	d, err := Load(Options{FS: fstest.MapFS{"api.yaml": {Data: []byte(
		`openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    a/b: {type: string}
    C: {$ref: '#/components/schemas/a~1b'}
`)}}, Path: "api.yaml", Display: "api.yaml"})
	require.NoError(t, err)
	assert.Empty(t, d.Warnings)
}
