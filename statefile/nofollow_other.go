//go:build !unix

package statefile

// Elsewhere the Lstat check in OpenAppend is all there is.
const noFollow = 0

func isLoop(error) bool { return false }
