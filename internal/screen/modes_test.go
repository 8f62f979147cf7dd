package screen

import (
	"bytes"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
)

// A terminal that says it has synchronized output (mode 2026) gets each
// frame whole, as Bubble Tea's renderer gives it; one that does not, and
// a frame with nothing to draw, get no such wrapping.
func TestFramesAreSynchronizedWhenTheTerminalHasIt(t *testing.T) {
	var out bytes.Buffer
	d := newDisplay(&out, colorprofile.TrueColor, 20, 3)
	d.show(tea.View{Content: "one"})
	d.frame()
	if strings.Contains(out.String(), ansi.SetModeSynchronizedOutput) {
		t.Fatalf("synchronized output before the terminal said it had it: %q", out.String())
	}
	report := tea.ModeReportMsg{Mode: ansi.ModeSynchronizedOutput, Value: ansi.ModeReset}
	if d.filter(nil, report) == nil {
		t.Fatal("the mode report was kept from the model")
	}
	out.Reset()
	d.show(tea.View{Content: "two"})
	d.frame()
	got := out.String()
	if !strings.HasPrefix(got, ansi.SetModeSynchronizedOutput) || !strings.HasSuffix(got, ansi.ResetModeSynchronizedOutput) ||
		!strings.Contains(got, "two") {
		t.Fatalf("a frame on a terminal with synchronized output wrote %q", got)
	}
	out.Reset()
	d.show(tea.View{Content: "two"})
	d.frame()
	if out.Len() != 0 {
		t.Fatalf("an unchanged view wrote %q", out.String())
	}
}

// A terminal that measures by grapheme (mode 2027 reported) has the mode
// turned on and cells measured as it measures them: a family emoji is
// two columns, not one per person.
func TestEmojiAreMeasuredAsATerminalWithUnicodeCoreDoes(t *testing.T) {
	var out bytes.Buffer
	d := newDisplay(&out, colorprofile.TrueColor, 20, 3)
	family := "\U0001F468\u200d\U0001F469\u200d\U0001F467"
	d.show(tea.View{Content: family + "x"})
	d.frame()
	report := tea.ModeReportMsg{Mode: ansi.ModeUnicodeCore, Value: ansi.ModeReset}
	if d.filter(nil, report) == nil {
		t.Fatal("the mode report was kept from the model")
	}
	out.Reset()
	d.frame() // the report alone redraws the screen
	if !strings.Contains(out.String(), ansi.SetModeUnicodeCore) {
		t.Fatalf("Unicode core was not turned on: %q", out.String())
	}
	if c := d.buf.CellAt(2, 0); c == nil || c.Content != "x" {
		t.Fatalf("the x after the emoji is at %+v, want column 2", c)
	}
}
