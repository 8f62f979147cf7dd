// Command stormwatch is a terminal incident dashboard for an API on AWS with
// MongoDB behind it. See README.md.
package main

import (
	"os"

	"github.com/stormwatch/stormwatch/internal/cli"
)

// Set by the release build (goreleaser ldflags).
var (
	version = "dev"
	commit  = ""
	date    = ""
)

func main() {
	os.Exit(cli.Main(os.Args[1:], cli.Build{Version: version, Commit: commit, Date: date}, os.Stdin, os.Stdout, os.Stderr))
}
