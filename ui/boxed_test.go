package ui

import (
	"strings"
	"testing"

	"charm.land/lipgloss/v2"
)

// TestBoxedDrawsWhatLipglossDraws: the box's own sides (sides) are byte for
// byte what lipgloss renders, for styled, short, empty and full rows, with
// and without colour; rows it cannot measure cheaply go to lipgloss.
func TestBoxedDrawsWhatLipglossDraws(t *testing.T) {
	th := newTheme(themeOptions{})
	bodies := map[string][]string{
		"none":   nil,
		"empty":  {""},
		"short":  {"ab", "", "abc"},
		"full":   {strings.Repeat("x", 10), strings.Repeat("─", 10)},
		"styled": {th.fg("red", "──") + " 42%", th.dim.Render("░░░") + "  " + th.bold.Render("◆"), th.fg("blue", strings.Repeat("┄", 10))},
		"wide":   {"界界", "ab"},
		"over":   {strings.Repeat("y", 11)},
	}
	for _, noColor := range []bool{false, true} {
		th := newTheme(themeOptions{noColor: noColor})
		for name, body := range bodies {
			p := Panel{Color: "red"}
			want := lipgloss.NewStyle().Border(lipgloss.RoundedBorder(), false, true, true, true).Width(12)
			if c := th.color(p.Color); c != nil {
				want = want.BorderForeground(c)
			}
			if got, w := boxed(p, body, 12, th), want.Render(strings.Join(body, "\n")); got != w {
				t.Errorf("noColor=%v %s:\n got %q\nwant %q", noColor, name, got, w)
			}
		}
	}
}
