//go:build race

package serve_test

// The race detector slows rendering so much that filling a stalled
// viewer's 2 MB window takes minutes.
const raceDetector = true
