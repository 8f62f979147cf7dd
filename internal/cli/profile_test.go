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

// STORMWATCH_RENDERER picks who draws the dashboard; anything else is
// named with what to use.
func TestTheRendererIsPickedByItsVariable(t *testing.T) {
	for _, c := range []struct {
		val       string
		bubbleTea bool
		bad       bool
	}{{"", false, false}, {"stormwatch", false, false}, {"bubbletea", true, false}, {"BubbleTea", false, true}, {"x\x1b[2J", false, true}} {
		t.Setenv(RendererEnv, c.val)
		got, err := leaveToBubbleTea()
		if got != c.bubbleTea || (err != nil) != c.bad {
			t.Errorf("%q: bubbletea %v, error %v", c.val, got, err)
		}
		if err != nil && (!strings.Contains(err.Error(), "STORMWATCH_RENDERER") || strings.Contains(err.Error(), "\x1b")) {
			t.Errorf("%q: %v", c.val, err)
		}
	}
}
