package serve_test

import (
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/stormwatch/stormwatch/monitor"
	"github.com/stormwatch/stormwatch/serve"
)

// An operator's e writes the timeline on the server and shows where; a
// watcher's e writes nothing.
func TestAnOperatorExportsOnTheServerAndSeesThePath(t *testing.T) {
	dir := t.TempDir()
	var writes atomic.Int32
	export := func(*monitor.Snapshot) (string, error) {
		writes.Add(1)
		path := filepath.Join(dir, "timeline.md")
		return path, os.WriteFile(path, []byte("# timeline\n"), 0o600)
	}
	f := startWith(t, 0, 10e6, 3e9, func(c *serve.Config) { c.UI.Export = export })
	ro := f.open(t, f.viewer, 120, 40, false)
	op := f.open(t, f.operator, 120, 40, false)
	plain := func(v *viewer) string { return strings.Join(strings.Fields(ansi.Strip(v.output())), " ") }
	eventually(t, "both dashboards", func() bool {
		return strings.Contains(ro.output(), "t-high") && strings.Contains(op.output(), "t-high")
	})
	ro.stdin.Write([]byte("e"))
	eventually(t, "the watcher's answer", func() bool { return strings.Contains(plain(ro), "not available in this viewer") })
	op.stdin.Write([]byte("e"))
	want := "timeline written to " + filepath.Join(dir, "timeline.md") + " on the server"
	eventually(t, "the operator's path", func() bool { return strings.Contains(plain(op), want) })
	if n := writes.Load(); n != 1 {
		t.Errorf("%d exports written, want the operator's one", n)
	}
}
