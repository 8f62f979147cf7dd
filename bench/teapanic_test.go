package bench

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
)

type panicky struct{ inView bool }

func (p panicky) Init() tea.Cmd { return nil }

func (p panicky) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if _, ok := msg.(tea.WindowSizeMsg); ok && !p.inView {
		panic("boom in Update")
	}
	return p, nil
}

func (p panicky) View() tea.View {
	if p.inView {
		panic("boom in View")
	}
	return tea.NewView("ok")
}

// TestBubbleTeaPanicLooksLikeANormalExit pins down what happens to a panic
// in the dashboard's Update or View. Bubble Tea recovers it, restores the
// terminal, prints the stack to os.Stderr itself (not through sources.Redact)
// and returns an error that wraps both ErrProgramPanic and ErrProgramKilled.
// internal/cli/dashboard.go (and record.go) treat any error that is
// ErrProgramKilled as a normal quit, so the process exits 0, Main's recover
// never sees the panic, and no crash report is written. The test passes
// while that is so; BENCHMARKS.md ("Panics") says what the cli needs.
func TestBubbleTeaPanicLooksLikeANormalExit(t *testing.T) {
	for _, m := range []panicky{{inView: false}, {inView: true}} {
		var out bytes.Buffer
		p := tea.NewProgram(m, tea.WithInput(nil), tea.WithOutput(&out), tea.WithWindowSize(80, 24))
		_, err := p.Run()
		if !errors.Is(err, tea.ErrProgramPanic) {
			t.Fatalf("Run returned %v, want ErrProgramPanic", err)
		}
		// The cli's filter, as written in dashboard.go and record.go.
		normalExit := errors.Is(err, tea.ErrProgramKilled)
		t.Logf("panic in View=%v: Run returned %q; the dashboard's filter calls it a normal exit: %v", m.inView, err, normalExit)
		if !normalExit {
			t.Logf("Bubble Tea no longer wraps ErrProgramKilled: the cli now reports the panic as 'terminal: ...'")
		}
		if strings.Contains(out.String(), "\x1b[?1049h") && !strings.Contains(out.String(), "\x1b[?1049l") {
			t.Errorf("the alternate screen was entered and never left")
		}
	}
}
