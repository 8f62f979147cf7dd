package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/stormwatch/stormwatch/alert"
	"github.com/stormwatch/stormwatch/monitor"
)

// Bell policies (Options.Bell).
const (
	BellOff      = "off"
	BellCritical = "critical"
	BellAll      = "all"
)

func sevGlyph(s alert.Severity) string {
	if s == alert.Critical {
		return "✖"
	}
	return "▲"
}

func sevWord(s alert.Severity) string {
	if s == alert.Critical {
		return "crit"
	}
	return "warn"
}

// stateGlyph is the alert's first column: the severity symbol while it
// fires, otherwise a symbol for the state.
func stateGlyph(a monitor.AlertView) string {
	switch a.State {
	case alert.Firing:
		return sevGlyph(a.Severity)
	case alert.Pending:
		return "◔"
	case alert.NoDataSt:
		return "◌"
	case alert.Resolved:
		return "✔"
	}
	return " "
}

func (t theme) forAlert(a monitor.AlertView) func(...string) string {
	switch {
	case a.State == alert.Firing && a.Severity == alert.Critical:
		return t.critical.Render
	case a.State == alert.Firing || a.State == alert.Pending || a.State == alert.NoDataSt:
		return t.warning.Render
	case a.State == alert.Resolved:
		return t.ok.Render
	}
	return func(s ...string) string { return strings.Join(s, " ") }
}

// bannerAlert is the firing alert that most needs eyes: not silenced, and
// of those the unacknowledged before the acknowledged, critical before
// warning, then the newest. A warning that fires a second after a critical
// must not push the critical off the one line everybody reads.
func bannerAlert(snap *monitor.Snapshot, now time.Time) (monitor.AlertView, int, bool) {
	var best monitor.AlertView
	found, silenced := false, 0
	for _, a := range snap.Alerts {
		if a.State != alert.Firing {
			continue
		}
		if a.Silenced(now) {
			silenced++
			continue
		}
		if !found || outranks(a, best) {
			best, found = a, true
		}
	}
	return best, silenced, found
}

func outranks(a, b monitor.AlertView) bool {
	if (a.AckedBy == "") != (b.AckedBy == "") {
		return a.AckedBy == ""
	}
	if a.Severity != b.Severity {
		return a.Severity == alert.Critical
	}
	return a.Since.After(b.Since)
}

func firingCount(snap *monitor.Snapshot) int {
	n := 0
	for _, a := range snap.Alerts {
		if a.State == alert.Firing {
			n++
		}
	}
	return n
}

// banner is the one line that says what is on fire.
func banner(snap *monitor.Snapshot, now time.Time, w int, th theme) string {
	if snap == nil {
		return th.dim.Render("waiting for the first snapshot…")
	}
	a, silenced, ok := bannerAlert(snap, now)
	if !ok {
		s := th.ok.Render("✔ no alerts firing")
		if silenced > 0 {
			s += th.dim.Render(fmt.Sprintf("  (%d silenced)", silenced))
		}
		return s
	}
	text := fmt.Sprintf("%s %s FIRING  %s  %s = %s  for %s", sevGlyph(a.Severity),
		strings.ToUpper(string(a.Severity)), a.Rule, a.Key, fmtValue(a.Value), fmtAge(now.Sub(a.Since)))
	if a.AckedBy != "" {
		text += "  acked by " + a.AckedBy
	}
	if more := firingCount(snap) - silenced - 1; more > 0 {
		text += fmt.Sprintf("  (+%d more firing)", more)
	}
	return th.forAlert(a)(fit(text, w, "…"))
}

// alertRows is the alerts panel body: our alerts (selectable), then the
// external alarms marked [CW]. Rule, key and value are columns so a list
// of alerts can be scanned down.
func alertRows(snap *monitor.Snapshot, now time.Time, sel, w int, th theme) []string {
	var rows []string
	if snap == nil {
		return rows
	}
	ruleW, keyW, valW := 0, 0, 0
	for _, a := range snap.Alerts {
		ruleW = max(ruleW, ansi.StringWidth(a.Rule))
		keyW = max(keyW, ansi.StringWidth(a.Key))
		valW = max(valW, len(fmtValue(a.Value)))
	}
	// Fixed part: cursor 2, glyph 2, state 9, severity 5, gaps 6, age 6.
	if over := 2 + 2 + 9 + 5 + ruleW + 2 + keyW + 2 + valW + 2 + 6 - w; over > 0 {
		keyW = max(keyW-over, 12) // the key's member part is the least needed
	}
	for i, a := range snap.Alerts {
		cursor := "  "
		if i == sel {
			cursor = "› "
		}
		text := fmt.Sprintf("%s %-8s %s %s  %s  %*s  %s", stateGlyph(a), a.State, sevWord(a.Severity),
			pad(a.Rule, ruleW), pad(fit(a.Key, keyW, "…"), keyW), valW, fmtValue(a.Value),
			fmtAge(now.Sub(a.Since)))
		switch {
		case a.Silenced(now):
			text += "  silenced " + fmtAge(a.SilencedUntil.Sub(now))
		case a.AckedBy != "":
			text += "  acked by " + a.AckedBy
		}
		line := th.forAlert(a)(fit(cursor+text, w, "…"))
		if i == sel {
			line = th.selected.Render(ansi.Strip(line))
		}
		rows = append(rows, line)
	}
	for _, a := range snap.Alarms {
		glyph, style := "✔", th.ok.Render
		switch a.State {
		case "ALARM":
			glyph, style = "✖", th.critical.Render
		case "INSUFFICIENT_DATA":
			glyph, style = "◌", th.warning.Render
		}
		text := fmt.Sprintf("  %s %-8s [CW] %s  %s", glyph, alarmWord(a.State), a.Name, fmtAge(now.Sub(a.Since)))
		if a.Reason != "" {
			text += "  " + a.Reason
		}
		rows = append(rows, style(fit(text, w, "…")))
	}
	return rows
}

func pad(s string, w int) string {
	return s + strings.Repeat(" ", max(w-ansi.StringWidth(s), 0))
}

func alarmWord(state string) string {
	if state == "INSUFFICIENT_DATA" {
		return "NO DATA"
	}
	return state
}

// visibleRows keeps the selected row on screen in a window of n rows.
func visibleRows(rows []string, sel, n int) []string {
	if len(rows) <= n {
		return rows
	}
	start := clamp(sel-n+1, 0, len(rows)-n)
	return rows[start : start+n]
}

// newFirings counts the timeline events after seen that are FIRING
// transitions worth a bell under policy, and returns the new seen count. Only alerts still firing, unacknowledged and not silenced ring: a
// viewer that missed frames does not ring for an alert already dealt with.
func newFirings(snap *monitor.Snapshot, seen int, policy string) (int, int) {
	if seen > len(snap.Timeline) {
		seen = 0 // a different engine: start over
	}
	n := 0
	for _, e := range snap.Timeline[seen:] {
		if e.Kind != monitor.EventAlert || e.State != string(alert.Firing) {
			continue
		}
		switch policy {
		case BellOff:
			continue
		case BellCritical:
			if e.Severity != alert.Critical {
				continue
			}
		}
		for _, a := range snap.Alerts {
			if a.Rule+" "+a.Key == e.Subject && a.State == alert.Firing &&
				a.AckedBy == "" && !a.Silenced(snap.At) {
				n++
				break
			}
		}
	}
	return n, len(snap.Timeline)
}
