package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/stormwatch/stormwatch/internal/goldenfile"
	"github.com/stormwatch/stormwatch/monitor"
	"github.com/stormwatch/stormwatch/text"
)

// testZone is the "local" zone of every test.
var testZone = time.FixedZone("CET", 3600)

// golden compares got with testdata/<test name>.golden (a diff on failure),
// or rewrites the file with -update.
func golden(t *testing.T, got string) {
	t.Helper()
	goldenfile.Check(t, got)
}

// sized is a model that has seen a window size and the incident snapshot.
func sized(t *testing.T, o Options, w, h int) Model {
	t.Helper()
	if o.Location == nil {
		o.Location = testZone // goldens must not depend on the machine's zone
	}
	m := New(o)
	m = step(t, m, tea.WindowSizeMsg{Width: w, Height: h})
	return step(t, m, snapshotMsg{incidentSnapshot()})
}

func step(t *testing.T, m Model, msg tea.Msg) Model {
	t.Helper()
	next, _ := m.Update(msg)
	return next.(Model)
}

func screen(m Model) string {
	return ansi.Strip(m.View().Content)
}

func TestViewGolden(t *testing.T) {
	for _, size := range []struct{ w, h int }{{80, 24}, {120, 40}, {160, 48}, {200, 50}} {
		t.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(t *testing.T) {
			m := sized(t, Options{NoColor: true, Who: text.Clean("ana")}, size.w, size.h)
			got := screen(m)
			lines := strings.Split(got, "\n")
			if len(lines) != size.h {
				t.Errorf("view has %d lines, want %d", len(lines), size.h)
			}
			for i, l := range lines {
				if w := ansi.StringWidth(l); w > size.w {
					t.Errorf("line %d is %d cells wide, want at most %d: %q", i, w, size.w, l)
				}
			}
			for _, want := range []string{"DEMO: scripted replay", "10:01:10 UTC", "✖ CRITICAL FIRING  db-cpu-high",
				"DB server CPU  97.3%", "API server CPU (main)  85.0%", "stale 12s", "q quit"} {
				if !strings.Contains(got, want) {
					t.Errorf("view lacks %q", want)
				}
			}
			golden(t, got)
		})
	}
}

func TestColourIsNeverTheOnlySignal(t *testing.T) {
	plain := screen(sized(t, Options{NoColor: true}, 120, 40))
	coloured := screen(sized(t, Options{}, 120, 40))
	if plain != coloured {
		t.Errorf("the coloured view says something the monochrome one does not:\n%s\n---\n%s", coloured, plain)
	}
}

func TestTooSmall(t *testing.T) {
	m := sized(t, Options{NoColor: true}, 59, 20)
	if got := screen(m); !strings.Contains(got, "terminal too small (need 60x15, have 59x20)") {
		t.Errorf("view at 59x20 = %q, want the too-small message", got)
	}
	m = step(t, m, tea.WindowSizeMsg{Width: 60, Height: 15})
	got := screen(m)
	if strings.Contains(got, "too small") {
		t.Errorf("view at 60x15 still says too small")
	}
	if !strings.Contains(got, "API server CPU") || !strings.Contains(got, "DB server CPU") {
		t.Errorf("view at 60x15 lacks a CPU graph:\n%s", got)
	}
	golden(t, got)
}

func TestViewBeforeAnyData(t *testing.T) {
	m := New(Options{NoColor: true, Actions: &fakeActions{}})
	m = step(t, m, tea.WindowSizeMsg{Width: 100, Height: 24})
	m = step(t, m, snapshotMsg{&monitor.Snapshot{At: fixedNow, Sources: []monitor.SourceHealth{
		{Name: "db", Interval: time.Second, State: monitor.Starting},
		{Name: "main", Interval: time.Minute, State: monitor.Failing, Err: "access denied", Hint: "check the IAM policy",
			NextPoll: fixedNow.Add(4 * time.Second)},
	}}})
	got := screen(m)
	// A failing source is NOT WATCHING in the banner, never ✔ (issue 13).
	for _, want := range []string{"✖ NOT WATCHING main: access denied, never delivered (retry in 4s)", "no data yet", "no alerts or alarms",
		"◌ db starting", "✖ main error: access denied (retry in 4s) — check the IAM policy"} {
		if !strings.Contains(got, want) {
			t.Errorf("view lacks %q", want)
		}
	}
	golden(t, got)
}

func TestTinyTerminal(t *testing.T) {
	got := screen(sized(t, Options{NoColor: true}, 20, 6))
	if !strings.Contains(strings.Join(strings.Fields(got), " "), "terminal too small (need 60x15, have 20x6)") {
		t.Errorf("view at 20x6:\n%s", got)
	}
}

func TestEverySizeFillsTheScreenExactly(t *testing.T) {
	for w := 60; w <= 230; w += 7 {
		for h := 15; h <= 70; h += 5 {
			m := sized(t, Options{NoColor: true}, w, h)
			lines := strings.Split(screen(m), "\n")
			if len(lines) != h {
				t.Errorf("%dx%d: %d lines", w, h, len(lines))
			}
			for i, l := range lines {
				if lw := ansi.StringWidth(l); lw > w {
					t.Errorf("%dx%d: line %d is %d cells: %q", w, h, i, lw, l)
				}
			}
			if got := strings.Join(lines, "\n"); !strings.Contains(got, "API server CPU") ||
				!strings.Contains(got, "DB server CPU") || !strings.Contains(got, "FIRING  db-cpu-high") {
				t.Errorf("%dx%d lacks a graph or the banner:\n%s", w, h, got)
			}
		}
	}
}
