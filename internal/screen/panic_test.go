//go:build !windows

package screen

import (
	"errors"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// cmdBoom's first command panics: a bug in a command, not in Update.
type cmdBoom struct{}

func (cmdBoom) Init() tea.Cmd { return func() tea.Msg { panic("boom in a command") } }

func (c cmdBoom) Update(tea.Msg) (tea.Model, tea.Cmd) { return c, nil }

func (cmdBoom) View() tea.View { return tea.NewView("running") }

// Bubble Tea prints a panic and its stack to stderr once it has given the
// terminal back; here the terminal is given back after Run, so what is
// printed must come after the alternate screen is left, on the shell's
// screen, not on the alternate screen that leaving wipes.
func TestAPanicsStackIsLeftOnTheShellsScreen(t *testing.T) {
	for _, tc := range []struct {
		name  string
		model tea.Model
	}{
		{"in a command", cmdBoom{}},
		{"in View", boom{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, _, wait := onPtyStderr(t, tc.model, 60, 20, true)
			err := wait()
			if !errors.Is(err, tea.ErrProgramPanic) {
				t.Fatalf("Run returned %v, want Bubble Tea's panic error", err)
			}
			left := r.await(t, 0, ansi.ResetModeAltScreenSaveCursor)
			r.await(t, left, "Caught panic")
		})
	}
}
