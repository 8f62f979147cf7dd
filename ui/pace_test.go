package ui

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

func pacedScreen(p tea.Model) string { return ansi.Strip(p.View().Content) }

// current is what the dashboard would show if it drew now.
func current(p tea.Model) string { return screen(p.(paced).m) }

func pacedStep(p tea.Model, msg tea.Msg) tea.Model {
	next, _ := p.Update(msg)
	return next
}

func TestPacedDrawsNewPointsOnTheNextTickNotAtOnce(t *testing.T) {
	p := Paced(sized(t, Options{NoColor: true}, 120, 40))
	before := pacedScreen(p)
	quiet := *incidentSnapshot() // the same alerts and sources, 5 s later
	quiet.Seq++
	quiet.At = quiet.At.Add(5 * time.Second)
	p = pacedStep(p, snapshotMsg{&quiet})
	if current(p) == before {
		t.Fatal("the later snapshot changes nothing on screen; the test proves nothing")
	}
	if got := pacedScreen(p); got != before {
		t.Errorf("new points were drawn before the tick:\n%s", got)
	}
	p = pacedStep(p, tickMsg{})
	if got, want := pacedScreen(p), current(p); got != want {
		t.Errorf("the tick did not draw the new points:\n%s\nwant\n%s", got, want)
	}
}

func TestPacedDrawsAlertChangesAndKeysAtOnce(t *testing.T) {
	p := Paced(sized(t, Options{NoColor: true}, 120, 40))
	_ = pacedScreen(p)
	p = pacedStep(p, snapshotMsg{laterSnapshot()}) // an alert starts firing
	if got, want := pacedScreen(p), current(p); got != want {
		t.Errorf("a new firing alert waited for the tick:\n%s", got)
	}
	p = pacedStep(p, press("?"))
	if got := pacedScreen(p); !strings.Contains(got, "pan back in history") {
		t.Errorf("? did not open the help at once:\n%s", got)
	}
	p = pacedStep(p, tea.WindowSizeMsg{Width: 80, Height: 24})
	if got, want := pacedScreen(p), current(p); got != want || strings.Count(got, "\n") != 23 {
		t.Errorf("a resize was not drawn at once:\n%s", got)
	}
}

func TestProgramOptionsCapTheFrameRate(t *testing.T) {
	if FPS < 20 || FPS > 60 {
		t.Errorf("FPS %d: below 20 a key press can wait more than 50 ms for its frame; above 60 is Bubble Tea's default cost", FPS)
	}
	if len(ProgramOptions()) == 0 {
		t.Error("no program options")
	}
}
