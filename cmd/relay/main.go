// Command relay keeps API and data contracts from drifting; see README.md and docs/.
package main

import (
	"os"

	"github.com/relay-dev/relay/internal/cli"
	"github.com/relay-dev/relay/internal/iostreams"
)

func main() { os.Exit(cli.Main(os.Args[1:], iostreams.System())) }
