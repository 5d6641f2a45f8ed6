package load

import (
	"errors"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/require"

	"github.com/relay-dev/relay/internal/source"
)

// loadString loads src as the main file name inside an otherwise empty FS.
func loadString(name, src string, opts ...func(*Options)) (*Document, error) {
	o := Options{FS: fstest.MapFS{}, Path: name, Display: name, Data: []byte(src)}
	for _, f := range opts {
		f(&o)
	}
	return Load(o)
}

func withLimits(l Limits) func(*Options) { return func(o *Options) { o.Limits = l } }
func withKind(k Kind) func(*Options)     { return func(o *Options) { o.Kind = k } }

// requireSourceError asserts err is a one-sentence *source.Error at
// file:line:col whose message contains phrase.
func requireSourceError(t *testing.T, err error, file string, line, col int, phrase string) *source.Error {
	t.Helper()
	require.Error(t, err)
	var se *source.Error
	require.True(t, errors.As(err, &se), "error %T is not a *source.Error: %v", err, err)
	require.NotContains(t, se.Msg, "\n", "message must be one line")
	require.Contains(t, se.Msg, phrase)
	require.Equal(t, source.Pos{File: file, Line: line, Col: col}, se.Pos, "message: %s", se.Msg)
	return se
}
