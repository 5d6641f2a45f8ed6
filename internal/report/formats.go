package report

import (
	"fmt"
	"strings"
)

// Options are the renderer settings decided by the CLI.
type Options struct {
	// Color enables ANSI colour in the text format (only ever on a TTY).
	Color bool
}

var formats = []string{"json", "text", "markdown", "html", "sarif", "junit", "github", "gitlab", "yaml"}

// Formats lists every format name the command surface accepts.
func Formats() []string { return append([]string(nil), formats...) }

// Lookup returns the renderer for a format name.
func Lookup(name string, opts Options) (Renderer, error) {
	switch name {
	case "json":
		return JSON{}, nil
	case "yaml":
		return YAML{}, nil
	case "text":
		return Text(opts), nil
	}
	for _, f := range formats {
		if f == name {
			return nil, fmt.Errorf("format %q is not available yet", name)
		}
	}
	return nil, fmt.Errorf("unknown format %q (want one of: %s)", name, strings.Join(formats, ", "))
}
