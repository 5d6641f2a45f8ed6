package cli

import (
	"bytes"

	"github.com/relay-dev/relay/internal/iostreams"
)

// testIO returns in-memory streams: stdin, stdout and stderr buffers.
func testIO() (*iostreams.IOStreams, *bytes.Buffer, *bytes.Buffer, *bytes.Buffer) {
	return iostreams.Test()
}
