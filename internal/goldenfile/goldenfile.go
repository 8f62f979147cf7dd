// Package goldenfile is the project's one golden-file check, for tests:
// github.com/charmbracelet/x/exp/golden compares (printing a diff on
// failure) and rewrites with -update, while the files keep the project's
// flat names, testdata/<Test>_<subtest>.golden, rather than a directory
// per test.
package goldenfile

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/golden"
)

// flat names a test "TestView_80x24" for "TestView/80x24".
type flat struct{ testing.TB }

func (f flat) Name() string { return strings.ReplaceAll(f.TB.Name(), "/", "_") }

// Check compares got with testdata/<test name>.golden, or rewrites the
// file when the test runs with -update.
func Check[T string | []byte](t testing.TB, got T) {
	t.Helper()
	golden.RequireEqual(flat{t}, got)
}
