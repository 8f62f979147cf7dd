package ui

import (
	"testing"
	"time"

	"github.com/stormwatch/stormwatch/alert"
	"github.com/stormwatch/stormwatch/monitor"
)

func TestTheBannerPrefersCriticalThenUnackedThenNewest(t *testing.T) {
	at := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	mk := func(rule string, sev alert.Severity, age time.Duration, ackedBy string) monitor.AlertView {
		return monitor.AlertView{Status: alert.Status{Rule: rule, Key: rule, Severity: sev, State: alert.Firing, Since: at.Add(-age)}, AckedBy: ackedBy}
	}
	tests := []struct {
		name   string
		alerts []monitor.AlertView
		want   string
	}{
		{"a newer warning does not displace an older critical", []monitor.AlertView{mk("crit", alert.Critical, time.Minute, ""), mk("warn", alert.Warning, time.Second, "")}, "crit"},
		// The case 5: an ack makes a critical quiet, not smaller.
		{"an acknowledged critical still outranks an unacknowledged warning", []monitor.AlertView{mk("crit", alert.Critical, time.Minute, "alice"), mk("warn", alert.Warning, time.Second, "")}, "crit"},
		{"an unacknowledged critical outranks an acknowledged one", []monitor.AlertView{mk("acked", alert.Critical, time.Second, "alice"), mk("open", alert.Critical, time.Minute, "")}, "open"},
		{"among equals the newest wins", []monitor.AlertView{mk("old", alert.Critical, time.Minute, ""), mk("new", alert.Critical, time.Second, "")}, "new"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, _, ok := bannerAlert(&monitor.Snapshot{Alerts: tc.alerts}, at)
			if !ok || got.Rule != tc.want {
				t.Fatalf("banner shows %q, want %q", got.Rule, tc.want)
			}
		})
	}
}
