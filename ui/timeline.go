package ui

import (
	"fmt"
	"strings"

	"github.com/stormwatch/stormwatch/alert"
	"github.com/stormwatch/stormwatch/monitor"
)

// eventLine is one timeline entry: "10:00:25 ✖ FIRING db-cpu-high db.cpu@a 95.1".
func eventLine(e monitor.Event) string {
	var s string
	switch e.Kind {
	case monitor.EventAlert:
		glyph := map[string]string{"PENDING": "◔", "NO DATA": "◌", "RESOLVED": "✔", "OK": "✔"}[e.State]
		if e.State == string(alert.Firing) {
			glyph = sevGlyph(e.Severity)
		}
		s = fmt.Sprintf("%s %s %s %s", glyph, e.State, e.Subject, fmtValue(e.Value))
	case monitor.EventAlarm:
		s = fmt.Sprintf("[CW] %s %s", alarmWord(e.State), e.Subject)
	case monitor.EventAck:
		s = fmt.Sprintf("ack %s by %s", e.Subject, e.Who)
	case monitor.EventSilence:
		s = fmt.Sprintf("%s %s by %s", e.Text, e.Subject, e.Who)
	case monitor.EventNote:
		s = fmt.Sprintf("note %s: %s", e.Who, e.Text)
	case monitor.EventMark:
		s = fmt.Sprintf("▼ %s (%s)", e.Text, e.Who)
	case monitor.EventSource:
		s = fmt.Sprintf("source %s %s: %s", e.Subject, e.State, e.Text)
	default:
		s = strings.TrimSpace(fmt.Sprintf("%s %s %s", e.Kind, e.Subject, e.Text))
	}
	return e.At.UTC().Format("15:04:05") + "  " + s
}

// recentEvents is up to n timeline lines, newest first.
func recentEvents(snap *monitor.Snapshot, n, w int) []string {
	if snap == nil {
		return nil
	}
	var out []string
	for i := len(snap.Timeline) - 1; i >= 0 && len(out) < n; i-- {
		out = append(out, fit("  "+eventLine(snap.Timeline[i]), w, "…"))
	}
	return out
}

// alertDetail is the selected alert's rule, peak and runbook.
func alertDetail(a monitor.AlertView, w int) string {
	s := "  ↳ " + a.Describe
	if a.State == alert.Firing || a.State == alert.Resolved {
		s += " · peak " + fmtValue(a.Peak)
	}
	if a.Runbook != "" {
		s += " · runbook " + a.Runbook
	}
	return fit(s, w, "…")
}
