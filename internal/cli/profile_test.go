package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestTheTraceHookWritesATraceAndSaysOnceWhenItCannot(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sw.trace")
	t.Setenv("STORMWATCH_TRACE", path)
	var stderr bytes.Buffer
	startProfile(&stderr)()
	if fi, err := os.Stat(path); err != nil || fi.Size() == 0 {
		t.Fatalf("no trace written to %s: %v", path, err)
	}
	if stderr.Len() != 0 {
		t.Errorf("said %q, want nothing", stderr.String())
	}

	t.Setenv("STORMWATCH_TRACE", filepath.Join(t.TempDir(), "missing", "sw.trace"))
	startProfile(&stderr)()
	if got := stderr.String(); strings.Count(got, "\n") != 1 || !strings.Contains(got, "STORMWATCH_TRACE") {
		t.Errorf("said %q, want one line naming STORMWATCH_TRACE", got)
	}
}
