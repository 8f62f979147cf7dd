package cli

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
)

type panicky struct{}

func (panicky) Init() tea.Cmd { return nil }
func (panicky) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if _, ok := msg.(tea.WindowSizeMsg); ok {
		panic("boom while talking to mongodb://admin:hunter2@db:27017")
	}
	return panicky{}, nil
}
func (panicky) View() tea.View { return tea.NewView("x") }

func TestAPanicInTheDashboardWritesARedactedCrashReport(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	model, box := guarded(panicky{})
	var out bytes.Buffer
	p := tea.NewProgram(model, tea.WithInput(nil), tea.WithOutput(&out), tea.WithoutSignals(), tea.WithWindowSize(80, 24))
	_, err := p.Run()
	err = programError(err, box)
	var c *crashed
	if !errors.As(err, &c) || c.report == "" {
		t.Fatalf("got %v, want a crash with a report", err)
	}
	data, rerr := os.ReadFile(c.report)
	if rerr != nil {
		t.Fatal(rerr)
	}
	if strings.Contains(string(data), "hunter2") || strings.Contains(c.Error(), "hunter2") {
		t.Fatal("the password reached the crash report")
	}
	if !strings.Contains(string(data), "panicky.Update") {
		t.Errorf("no stack in the report:\n%s", data)
	}
}

func TestANormalQuitIsNotAnError(t *testing.T) {
	if err := programError(tea.ErrProgramKilled, &crashBox{}); err != nil {
		t.Fatal(err)
	}
	if err := programError(nil, nil); err != nil {
		t.Fatal(err)
	}
}
