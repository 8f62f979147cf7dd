package ui

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

// On a shared dashboard at 120 columns, who is watching stays on the
// status line when a second viewer joins, even beside the demo's
// narration and a replica set's members.
func TestWatchingSurvivesASecondViewerAt120Columns(t *testing.T) {
	s := newStory(t)
	m := New(Options{NoColor: true, Theme: "dark", Location: time.UTC})
	m = step(t, m, tea.WindowSizeMsg{Width: 120, Height: 40})
	for range 60 {
		m = step(t, m, snapshotMsg{s.second()})
	}
	for _, names := range [][]string{{"vera"}, {"olga", "vera"}, {"olga", "vera", "vera"}} {
		snap := *m.snap
		snap.Viewers = names
		sm := step(t, m, snapshotMsg{&snap})
		scr := screen(sm)
		want := viewers(&snap)
		if l := line(scr, "● db"); !strings.Contains(l, want) {
			t.Errorf("%d viewer(s): status line %q lacks %q", len(names), l, want)
		}
	}
}
