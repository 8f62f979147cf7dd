package ui

import (
	"fmt"
	"slices"
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
	case alert.Missing:
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
	case a.State == alert.Firing || a.State == alert.Pending || a.State == alert.Missing:
		return t.warning.Render
	case a.State == alert.Resolved:
		return t.ok.Render
	}
	return func(s ...string) string { return strings.Join(s, " ") }
}

// alertRows is the alerts panel body: our active alerts (selectable),
// then the external alarms marked [CW] that are in ALARM, then our
// resolved alerts and the other alarms: what fires is never listed below
// what is over, where a short panel would hide it. Rule, key and value are
// columns so a list of alerts can be scanned down. selRow is the row of
// the selected alert.
func alertRows(snap *monitor.Snapshot, now time.Time, sel, w int, th theme, clock func(time.Time) string) (rows []string, selRow int) {
	if snap == nil {
		return nil, sel
	}
	ruleW, keyW, valW := 0, 0, 0
	for _, a := range snap.Alerts {
		ruleW = max(ruleW, ansi.StringWidth(a.Rule))
		keyW = max(keyW, ansi.StringWidth(a.Key))
		valW = max(valW, ansi.StringWidth(fmtAlertValue(a)))
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
		// Who acked and until when it is silenced come before the key:
		// on a narrow panel the key's member part is what gets cut.
		mark := ""
		switch {
		case a.Silenced(now):
			mark = "silenced to " + clock(a.SilencedUntil) + "  "
		case a.AckedBy != "":
			mark = "acked by " + a.AckedBy + "  "
		}
		text := fmt.Sprintf("%s %-8s %s %s  %s  %*s  %s%s", stateGlyph(a), stateWord(a, now), sevWord(a.Severity),
			pad(a.Rule, ruleW), pad(fit(a.Key, keyW, "…"), keyW), valW, fmtAlertValue(a),
			pad(fmtAge(now.Sub(a.Since)), 6), mark)
		if mark != "" {
			text = fmt.Sprintf("%s %-8s %s %s  %*s  %s%s%s", stateGlyph(a), stateWord(a, now), sevWord(a.Severity),
				a.Rule, valW, fmtAlertValue(a), pad(fmtAge(now.Sub(a.Since)), 6), mark, a.Key)
		}
		text = strings.TrimRight(text, " ")
		line := th.forAlert(a)(fit(cursor+text, w, "…"))
		if i == sel {
			line = th.selected.Render(ansi.Strip(line))
		}
		rows = append(rows, line)
	}
	active := 0 // the alerts are sorted by state: the active ones lead
	for _, a := range snap.Alerts {
		if a.State == alert.Firing || a.State == alert.Pending || a.State == alert.Missing {
			active++
		}
	}
	var alarming, quiet []string
	for _, a := range snap.Alarms {
		glyph, style := "✔", th.ok.Render
		switch a.State {
		case "ALARM":
			glyph, style = "✖", th.critical.Render
		case "INSUFFICIENT_DATA":
			glyph, style = "◌", th.warning.Render
		}
		text := fmt.Sprintf("  %s %-8s [CW] %s  %s", glyph, alarmWord(a.State), a.Name, fmtAge(now.Sub(a.Since)))
		if !a.Reason.IsEmpty() {
			text += "  " + a.Reason.String()
		}
		if a.State == "ALARM" {
			alarming = append(alarming, style(fit(text, w, "…")))
		} else {
			quiet = append(quiet, style(fit(text, w, "…")))
		}
	}
	if sel >= active {
		selRow = sel + len(alarming)
	} else {
		selRow = sel
	}
	rows = append(slices.Concat(rows[:active:active], alarming, rows[active:]), quiet...)
	return rows, selRow
}

// stateWord is the state column: a firing alert somebody has dealt with
// says so where it cannot be cut off, ACKED or SILENCED (the glyph and
// colour still say it fires; who and until when follow on the row).
func stateWord(a monitor.AlertView, now time.Time) string {
	switch {
	case a.State != alert.Firing:
		return string(a.State)
	case a.Silenced(now):
		return "SILENCED"
	case a.AckedBy != "":
		return "ACKED"
	}
	return string(a.State)
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
