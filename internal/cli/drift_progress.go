package cli

import (
	"fmt"

	"github.com/relay-dev/relay/internal/iostreams"
)

// progressEvery is how many exchanges pass between exchangeProgress updates.
const progressEvery = 10_000

// exchangeProgress counts exchanges on stderr when it is a terminal, rewriting
// one line; nothing is written otherwise, so logs and pipes stay clean.
type exchangeProgress struct {
	ios   *iostreams.IOStreams
	n     int64
	shown bool
}

func newExchangeProgress(ios *iostreams.IOStreams) *exchangeProgress {
	return &exchangeProgress{ios: ios}
}

func (p *exchangeProgress) tick() {
	p.n++
	if p.n%progressEvery == 0 && p.ios.IsStderrTTY() {
		fmt.Fprintf(p.ios.ErrOut, "\rrelay: %d exchanges checked…", p.n)
		p.shown = true
	}
}

// done clears the exchangeProgress line.
func (p *exchangeProgress) done() {
	if p.shown {
		fmt.Fprint(p.ios.ErrOut, "\r\033[K")
		p.shown = false
	}
}
