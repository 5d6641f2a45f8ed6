package load

import (
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDeferContractCheck: a caller that reports problems itself (relay
// contract validate) loads a schema that breaks its meta-schema, and gets
// the same error from CheckContract that Load would have returned.
func TestDeferContractCheck(t *testing.T) {
	fsys := fstest.MapFS{"s.json": {Data: []byte(`{"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "strng"}`)}}
	_, loadErr := Load(Options{FS: fsys, Path: "s.json"})
	require.Error(t, loadErr)

	doc, err := Load(Options{FS: fsys, Path: "s.json", DeferContractCheck: true})
	require.NoError(t, err)
	assert.False(t, doc.ContractChecked)
	assert.Equal(t, loadErr.Error(), CheckContract(doc).Error())

	fsys["ok.json"] = &fstest.MapFile{Data: []byte(`{"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "string"}`)}
	doc, err = Load(Options{FS: fsys, Path: "ok.json"})
	require.NoError(t, err)
	assert.True(t, doc.ContractChecked)
	assert.NoError(t, CheckContract(doc))
}
