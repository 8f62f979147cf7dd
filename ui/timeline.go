package ui

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/stormwatch/stormwatch/alert"
	"github.com/stormwatch/stormwatch/monitor"
	"github.com/stormwatch/stormwatch/series"
)

// eventLine is one timeline entry: "10:00:25 ✖ FIRING db-cpu-high db.cpu@a 95.1",
// its time in loc (the panel's title names the zone).
func eventLine(e monitor.Event, loc *time.Location) string {
	var s string
	switch e.Kind {
	case monitor.EventAlert:
		glyph := map[string]string{"PENDING": "◔", "NO DATA": "◌", "RESOLVED": "✔", "OK": "✔"}[e.State]
		if e.State == string(alert.Firing) {
			glyph = sevGlyph(e.Severity)
		}
		value := fmtValue(e.Value)
		if e.State == string(alert.Missing) {
			value = "–" // no data has no value; 0.0 would be one
		}
		s = fmt.Sprintf("%s %s %s %s", glyph, e.State, e.Subject, value)
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
	case monitor.EventAction:
		s = fmt.Sprintf("action %s by %s: %s", e.Subject, e.Who, e.Text)
	case monitor.EventSource:
		s = fmt.Sprintf("source %s %s: %s", e.Subject, e.State, e.Text)
	default:
		s = strings.TrimSpace(fmt.Sprintf("%s %s %s", e.Kind, e.Subject, e.Text))
	}
	return e.At.In(loc).Format("15:04:05") + "  " + s
}

// recentEvents is up to n timeline lines, newest first by their time. The
// timeline is in the order the engine learned of things, which is not
// always the order they happened (an alert's transition carries the time
// of its point; a source's mark its own time).
func recentEvents(snap *monitor.Snapshot, n, w int, loc *time.Location) []string {
	if snap == nil || n <= 0 {
		return nil
	}
	newest := newestEvents(snap.Timeline, n)
	out := make([]string, 0, len(newest))
	for _, e := range newest {
		out = append(out, fit("  "+eventLine(e, loc), w, "…"))
	}
	return out
}

// newestEvents is the n latest events by time, newest first; of events at
// the same instant the one appended later comes first. It keeps n in hand
// rather than sorting the whole timeline on every frame.
func newestEvents(tl []monitor.Event, n int) []monitor.Event {
	top := make([]monitor.Event, 0, n+1)
	for i := len(tl) - 1; i >= 0; i-- {
		e := tl[i]
		if len(top) == n && !e.At.After(top[n-1].At) {
			continue
		}
		j := len(top)
		for j > 0 && e.At.After(top[j-1].At) {
			j--
		}
		top = slices.Insert(top, j, e)
		if len(top) > n {
			top = top[:n]
		}
	}
	return top
}

// alertDetail is the selected alert's rule, peak and runbook.
func alertDetail(snap *monitor.Snapshot, a monitor.AlertView, w int) string {
	s := "  ↳ " + a.Condition
	if a.State == alert.Firing || a.State == alert.Resolved {
		s += " · peak " + fmtValue(a.Peak)
	}
	if shownKey(snap, a.Key) != a.Key { // the row names the member by shard: here is its address
		_, id := series.SplitKey(a.Key)
		s += " · " + id
	}
	if a.Runbook != "" {
		s += " · runbook " + a.Runbook
	}
	return fit(s, w, "…")
}
