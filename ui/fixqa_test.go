package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/stormwatch/stormwatch/monitor"
	"github.com/stormwatch/stormwatch/text"
)

// After a wrong name the prompt is gone: the panel must not still ask
// for the name, it says how to try again.
func TestAfterAWrongNameTheStopPanelSaysHowToTryAgain(t *testing.T) {
	f := demoFixer()
	m := sizedWith(t, Options{NoColor: true, Who: text.Clean("ana"), Fixer: f, Actions: &fakeActions{}}, 120, 40, culpritSnapshot())
	m = drive(t, m, "k")
	m = typeText(t, m, "server-x")
	m = drive(t, m, "enter")
	got := screen(m)
	if m.inputMode != inputNone {
		t.Fatalf("input still open: %d", m.inputMode)
	}
	if strings.Contains(got, "type the app name") {
		t.Errorf("the panel asks for a name no prompt takes:\n%s", got)
	}
	if !strings.Contains(got, "k try again") {
		t.Errorf("the panel does not say how to try again:\n%s", got)
	}
	m = drive(t, m, "k")
	m = typeText(t, m, "server-c")
	m = drive(t, m, "enter")
	got = screen(m)
	if len(f.stopped) != 1 || strings.Contains(got, "type the app name") || strings.Contains(got, "try again") {
		t.Errorf("after the stop (%q) the panel still asks:\n%s", f.stopped, got)
	}
}

// c, R and u are in the help; on the dashboard (no panel open) each says
// where it works instead of doing nothing.
func TestPanelKeysOutsideThePanelSayWhereTheyWork(t *testing.T) {
	for k, want := range map[string]string{"c": "press x first", "R": "press k first", "u": "press k first"} {
		m := sizedWith(t, Options{NoColor: true, Who: text.Clean("ana"), Fixer: demoFixer(), Actions: &fakeActions{}}, 120, 40, culpritSnapshot())
		m = drive(t, m, k)
		if !strings.Contains(m.flash, want) {
			t.Errorf("%s on the dashboard said %q, want %q", k, m.flash, want)
		}
	}
}

// The explain panel wraps a long value under its column instead of
// cutting it: the build cost is the line a person acts on.
func TestExplainPanelWrapsLongValues(t *testing.T) {
	for _, w := range []int{80, 120} {
		f := demoFixer()
		f.explain.Cost = text.Clean("the build reads all 3.7 M documents (41.2 GB) once; not built from here (run the command above when you choose)")
		m := sizedWith(t, Options{NoColor: true, Who: text.Clean("ana"), Fixer: f, Actions: &fakeActions{}}, w, 40, culpritSnapshot())
		m = drive(t, m, "x")
		got := screen(m)
		flat := strings.Join(strings.Fields(got), " ")
		if !strings.Contains(flat, "(run the command above when you choose)") {
			t.Errorf("%d columns: the build cost is cut:\n%s", w, got)
		}
		for i, l := range strings.Split(got, "\n") {
			if ansi.StringWidth(l) > w {
				t.Errorf("%d columns: line %d is %d wide", w, i, ansi.StringWidth(l))
			}
		}
	}
}

// The stop panel's warning is the last thing read before typing the name:
// at 80 columns it was cut ("pause it at its source too" lost).
func TestStopPanelWrapsItsWarning(t *testing.T) {
	f := demoFixer()
	f.plan.Warning = text.Clean("killOp only asks; there is no undo. server-c may reconnect and start again: pause it at its source too.")
	m := sizedWith(t, Options{NoColor: true, Who: text.Clean("ana"), Fixer: f, Actions: &fakeActions{}}, 80, 24, culpritSnapshot())
	m = drive(t, m, "k")
	got := screen(m)
	if flat := strings.Join(strings.Fields(got), " "); !strings.Contains(flat, "pause it at its source too.") {
		t.Errorf("the warning is cut:\n%s", got)
	}
}

// v said "verdict on: measured from a minute ago"; the demo's window is
// 10 s (its line read "since 14:27:12" at 14:27:24) and a config sets its
// own. The UI does not know the window: the verdict line's "since" does.
func TestTheVerdictKeyClaimsNoWindowItDoesNotKnow(t *testing.T) {
	m := sized(t, Options{NoColor: true, Who: text.Clean("ana"), Actions: &explainActions{}}, 120, 40)
	m = drive(t, m, "v")
	next, cmd := m.Update(press("v"))
	m = step(t, next.(Model), cmd())
	if strings.Contains(m.flash, "minute") || !strings.Contains(m.flash, "verdict on") {
		t.Errorf("v said %q", m.flash)
	}
}

// With --ascii the verdict line read "? LOAD: …": its ⇒ had no ASCII
// cell and fell to "?", the glyph of NO DATA. The fleet band's glyphs did
// the same. Each glyph the view draws maps to its own ASCII cell.
func TestEveryDrawnGlyphHasAnASCIICell(t *testing.T) {
	for _, g := range []string{"⇒", bandGlyph, medianGlyph, primaryGlyph} {
		got := toASCII(g)
		if got == "?" || len(got) != 1 {
			t.Errorf("--ascii draws %q as %q", g, got)
		}
	}
	if got := toASCII("⇒ LOAD"); got != "> LOAD" {
		t.Errorf("the verdict lead reads %q", got)
	}
}

// A panel whose series no source sends says so instead of "no data yet".
func TestAPanelNoSourceFeedsSaysWhyItIsEmpty(t *testing.T) {
	ps := DefaultPanels()
	ps[0].Missing = "no configured source sends main.cpu"
	m := sized(t, Options{NoColor: true, Panels: ps}, 120, 40)
	m = step(t, m, snapshotMsg{&monitor.Snapshot{At: time.Date(2026, 12, 3, 14, 0, 0, 0, time.UTC)}})
	got := screen(m)
	if !strings.Contains(got, "no configured source sends main.cpu") || strings.Count(got, "no data yet") != 1 {
		t.Errorf("the empty panels:\n%s", got)
	}
}
