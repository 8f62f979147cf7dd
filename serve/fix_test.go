package serve_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/stormwatch/stormwatch/serve"
	"github.com/stormwatch/stormwatch/text"
	"github.com/stormwatch/stormwatch/ui"
)

// countingFixer counts every call: a watcher must cause none.
type countingFixer struct{ calls atomic.Int32 }

func (f *countingFixer) Explain(context.Context, ui.FixTarget, string) (ui.ExplainView, error) {
	f.calls.Add(1)
	return ui.ExplainView{}, nil
}

func (f *countingFixer) Candidates(context.Context, ui.FixTarget) (ui.StopPlan, error) {
	f.calls.Add(1)
	return ui.StopPlan{}, nil
}

func (f *countingFixer) Stop(context.Context, ui.StopPlan, string, string) (text.Safe, error) {
	f.calls.Add(1)
	return text.Safe{}, nil
}

func (f *countingFixer) Reject(context.Context, ui.StopPlan, string, string) (text.Safe, error) {
	f.calls.Add(1)
	return text.Safe{}, nil
}

func (f *countingFixer) Undo(context.Context, string) (text.Safe, error) {
	f.calls.Add(1)
	return text.Safe{}, nil
}

// Through a real SSH client: an operator's dashboard offers x and k, a
// watcher's does not show them and its x and k do nothing.
func TestOnlyOperatorsGetTheDatabaseActions(t *testing.T) {
	fx := &countingFixer{}
	f := startWith(t, 0, 10e6, 3e9, func(c *serve.Config) { c.UI.Fixer = fx })
	ro := f.open(t, f.viewer, 100, 30, false)
	op := f.open(t, f.operator, 100, 30, false)
	plain := func(v *viewer) string { return ansi.Strip(v.output()) }
	eventually(t, "the operator's footer offers x and k", func() bool {
		return strings.Contains(plain(op), "explain") && strings.Contains(plain(op), "stop")
	})
	eventually(t, "the watcher's first frame", func() bool { return strings.Contains(ro.output(), "t-high") })
	if out := plain(ro); strings.Contains(out, "explain") {
		t.Errorf("a watcher is shown the action keys:\n%s", out)
	}
	ro.stdin.Write([]byte("xk"))
	ro.stdin.Write([]byte("a")) // answered, so the keys before it were handled
	eventually(t, "the watcher's read-only answer", func() bool { return strings.Contains(plain(ro), "read-only viewer") })
	op.stdin.Write([]byte("x")) // no culprit tables in this engine: x says so, and asks nothing
	eventually(t, "the operator's x answered", func() bool { return strings.Contains(plain(op), "no top-client or slow-op row") })
	if n := fx.calls.Load(); n != 0 {
		t.Errorf("%d calls to the database actions, want none", n)
	}
}
