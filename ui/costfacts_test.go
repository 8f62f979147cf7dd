package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/stormwatch/stormwatch/monitor"
	"github.com/stormwatch/stormwatch/sources"
	"github.com/stormwatch/stormwatch/text"
)

func TestTheStatusLineCountsWhatTheEngineDropped(t *testing.T) {
	m := sized(t, Options{NoColor: true}, 160, 48)
	if got := ansi.Strip(m.status(160)); strings.Contains(got, "dropped") {
		t.Errorf("nothing was dropped, but the status line says so: %q", got)
	}
	s := *incidentSnapshot()
	s.Dropped = monitor.Dropped{Events: 1200, Marks: 4}
	m = step(t, m, snapshotMsg{&s})
	if got := ansi.Strip(m.status(160)); !strings.Contains(got, "1200 oldest events, 4 marks dropped") {
		t.Errorf("status line = %q, want the dropped counts", got)
	}
}

func TestTheStatusLineShowsTheSourcesOwnCost(t *testing.T) {
	m := sized(t, Options{NoColor: true}, 200, 50)
	s := *incidentSnapshot()
	s.Sources = append([]monitor.SourceHealth(nil), s.Sources...)
	for i := range s.Sources {
		if s.Sources[i].Name == "db" {
			s.Sources[i].Facts = append(s.Sources[i].Facts,
				sources.Fact{Key: sources.FactOwnCost, Value: text.Clean("64 cmd/min · 40 ms/min")},
				sources.Fact{Key: sources.FactSlowed, Value: text.Clean("$currentOp every 4s")})
		}
	}
	m = step(t, m, snapshotMsg{&s})
	got := ansi.Strip(m.status(200))
	if !strings.Contains(got, "slowed $currentOp every 4s · own cost 64 cmd/min · 40 ms/min") {
		t.Errorf("status line = %q, want the db source's own cost and what it slowed", got)
	}
}
