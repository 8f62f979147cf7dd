package cli

import "io"

// serveCmd: stormwatch serve. Filled in by the serve package's wiring.
func serveCmd(args []string, stdout, stderr io.Writer) error {
	return usageError{"serve: not implemented yet"}
}
