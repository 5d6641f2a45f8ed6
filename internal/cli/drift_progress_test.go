package cli

import (
	"strings"
	"testing"

	"github.com/relay-dev/relay/internal/iostreams"
)

func TestExchangeProgressOnlyOnATerminal(t *testing.T) {
	ios, _, _, stderr := iostreams.Test()
	p := newExchangeProgress(ios)
	for range progressEvery * 2 {
		p.tick()
	}
	p.done()
	if stderr.Len() != 0 {
		t.Fatalf("progress on a pipe: %q", stderr.String())
	}

	ios.SetStderrTTY(true)
	p = newExchangeProgress(ios)
	for range progressEvery * 2 {
		p.tick()
	}
	p.done()
	want := "\rrelay: 10000 exchanges checked…\rrelay: 20000 exchanges checked…\r\033[K"
	if got := stderr.String(); got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
	if strings.Contains(stderr.String(), "\n") {
		t.Fatal("progress must rewrite one line")
	}
}
