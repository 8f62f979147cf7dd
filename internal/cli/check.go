package cli

import "io"

// checkCmd is stormwatch check.
func checkCmd(args []string, stdout, stderr io.Writer) error {
	return usageError{"stormwatch check is not ready yet"}
}
