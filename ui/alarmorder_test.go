package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/stormwatch/stormwatch/alert"
	"github.com/stormwatch/stormwatch/monitor"
	"github.com/stormwatch/stormwatch/text"
)

// After the demo's peak the [CW] alarm fires (CloudWatch lags) while our
// rules have resolved: the banner said "✖ ALARM [CW] mongo-db-cpu-high",
// the count "1 firing", and at 80x24 the three visible rows were all
// RESOLVED, the alarm listed below them out of sight.
func TestFiringAlarmIsListedAboveResolvedAlerts(t *testing.T) {
	s := afterThePeak()
	s.Alarms[0].Name = text.Clean("mongo-db-cpu-high")
	m := sizedWith(t, Options{NoColor: true, Who: text.Clean("ana")}, 80, 24, &s)
	got := ansi.Strip(m.View().Content)
	if !strings.Contains(got, "ALARM    [CW] mongo-db-cpu-high") {
		t.Fatalf("the firing alarm is not on screen:\n%s", got)
	}
	if strings.Index(got, "[CW] mongo-db-cpu-high  ") > strings.Index(got, "RESOLVED") {
		t.Errorf("the firing alarm is listed below a resolved alert:\n%s", got)
	}
	// The list is selected in the order it reads: the alarm in ALARM
	// (it can be acked and silenced), then the resolved alerts.
	if p, ok := m.selected(); !ok || p.alarm == nil {
		t.Errorf("the first row selected is %+v, want the alarm", p)
	}
	m = step(t, m, press("down"))
	m = step(t, m, press("down"))
	if p, ok := m.selected(); !ok || p.alert == nil || p.alert.Rule != "db-queued-ops" {
		t.Errorf("down down selected %+v", p)
	}
	if !strings.Contains(ansi.Strip(m.View().Content), "› ✔ RESOLVED warn db-queued-ops") {
		t.Errorf("the selected row is not marked:\n%s", ansi.Strip(m.View().Content))
	}
}

// afterThePeak is the incident after the demo's peak: four of our alerts
// resolved, and the [CW] alarm (a copy the test may change).
func afterThePeak() monitor.Snapshot {
	s := *incidentSnapshot()
	s.Alerts = nil
	for i, rule := range []string{"db-cpu-high", "db-queued-ops", "main-cpu-elevated", "db-missing-index"} {
		s.Alerts = append(s.Alerts, monitor.AlertView{Status: alert.Status{Rule: rule, Key: "db.cpu@mongo-1:27017",
			Severity: alert.Warning, State: alert.Resolved, Since: fixedNow.Add(-time.Duration(10+i) * time.Second), Value: 40}})
	}
	s.Alarms = append([]monitor.AlarmView(nil), s.Alarms...)
	return s
}
