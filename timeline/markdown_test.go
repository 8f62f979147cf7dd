package timeline

import (
	"strings"
	"testing"
	"time"

	"github.com/stormwatch/stormwatch/internal/goldenfile"
	"github.com/stormwatch/stormwatch/monitor"
)

// golden compares got with testdata/<test name>.golden (a diff on failure),
// or rewrites the file with -update.
func golden(t *testing.T, got string) {
	t.Helper()
	goldenfile.Check(t, got)
}

func TestMarkdownOfADatabaseCPUIncident(t *testing.T) {
	got := Markdown(incidentSnapshot(), Options{Title: "DB CPU on server-c", Now: at(20, 0), Location: time.FixedZone("CET", 3600)})
	golden(t, got)
	if strings.Contains(got, "s3cret") {
		t.Error("the document leaks a password")
	}
}

func TestMarkdownOfAnAlertStillFiringRunsToNow(t *testing.T) {
	s := incidentSnapshot()
	s.Timeline = s.Timeline[:4] // pending, firing, alarm, ack
	s.Alerts = nil
	got := Markdown(s, Options{Now: at(9, 0)})
	golden(t, got)
}

func TestMarkdownOfAnEmptyTimelineSaysSo(t *testing.T) {
	got := Markdown(&monitor.Snapshot{At: t0}, Options{})
	if got != "# Incident timeline\n\nNo events recorded (generated 2026-11-27 08:00:00 UTC).\n" {
		t.Errorf("got %q", got)
	}
}

// Issue 14.11: stormwatch timeline export builds its snapshot from the
// file alone, with no live alarms; the Source column comes from the events.
func TestMarkdownOfAFileNamesEachAlarmsSource(t *testing.T) {
	s := &monitor.Snapshot{Timeline: []monitor.Event{
		{At: at(1, 0), Kind: monitor.EventAlarm, State: "ALARM", Subject: "mongo-db-cpu-high", Source: "aws"},
		{At: at(3, 0), Kind: monitor.EventAlarm, State: "OK", Subject: "mongo-db-cpu-high", Source: "aws"},
	}}
	got := Markdown(s, Options{Now: at(5, 0)})
	if !strings.Contains(got, "| mongo-db-cpu-high | aws |") {
		t.Errorf("the alarm's source is missing:\n%s", got)
	}
}

// Issue 17: a long run drops its oldest events; the export says so.
func TestMarkdownSaysWhatTheEngineDropped(t *testing.T) {
	s := incidentSnapshot()
	if got := Markdown(s, Options{Now: at(9, 0)}); strings.Contains(got, "Not complete") {
		t.Errorf("a complete timeline is called incomplete:\n%s", got)
	}
	s.Dropped = monitor.Dropped{Events: 1200, Marks: 3}
	got := Markdown(s, Options{Now: at(9, 0)})
	if !strings.Contains(got, "**Not complete:** the oldest 1200 event(s) and 3 mark(s) of this run were dropped") {
		t.Errorf("the export does not say what was dropped:\n%s", got)
	}
}
