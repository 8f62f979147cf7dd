package check

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// In an 80-column terminal the checklist's details ran past the edge and
// the terminal broke them mid-word ("co" / "nfig.yaml"). With the width
// known, each detail and fix wraps under its own column; into a pipe
// (width 0) every check stays one line, for grep.
func TestTheChecklistWrapsToTheTerminal(t *testing.T) {
	rs := []Result{
		{Name: "config", Status: Pass, Detail: "no config file (looked for /root/.config/stormwatch/config.yaml, stormwatch.yaml): checking the built-in demo, which needs nothing external: no AWS, no MongoDB, no network",
			Fix: "to watch your own systems, copy stormwatch.example.yaml to /root/.config/stormwatch/config.yaml and run stormwatch check again"},
		{Name: "terminal size", Status: Fail, Detail: "80x24"},
	}
	var b strings.Builder
	if err := WriteText(&b, "stormwatch check: x", rs, 80); err != nil {
		t.Fatal(err)
	}
	got := b.String()
	for i, l := range strings.Split(got, "\n") {
		if w := ansi.StringWidth(l); w > 80 {
			t.Errorf("line %d is %d wide: %q", i, w, l)
		}
		if strings.TrimSpace(l) != "" && !strings.HasPrefix(l, "  ") && !strings.HasPrefix(l, "stormwatch") && !strings.Contains(l, "passed") && l != "again" {
			t.Errorf("line %d does not sit in its column: %q", i, l)
		}
	}
	flat := strings.Join(strings.Fields(got), " ")
	for _, want := range []string{rs[0].Detail, rs[0].Fix} {
		if !strings.Contains(flat, want) {
			t.Errorf("lost words of %q:\n%s", want, got)
		}
	}
	b.Reset()
	WriteText(&b, "stormwatch check: x", rs, 0)
	if !strings.Contains(b.String(), rs[0].Detail+"\n") {
		t.Errorf("into a pipe a detail was broken:\n%s", b.String())
	}
}
