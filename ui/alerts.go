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
	case listedActive(a):
		return t.warning.Render
	case a.State == alert.Resolved:
		return t.ok.Render
	}
	return func(s ...string) string { return strings.Join(s, " ") }
}

// alertRows is the alerts panel body: our active alerts, then the
// external alarms marked [CW] that are in ALARM, then our resolved alerts
// (these three selectable, in the order of picks), then the other alarms:
// what fires is never listed below what is over, where a short panel
// would hide it. Rule, key and value are columns so a list of alerts can
// be scanned down. selRow is the row of the selected pick.
func alertRows(snap *monitor.Snapshot, now time.Time, sel, w int, th theme, clock func(time.Time) string) (rows []string, selRow int) {
	if snap == nil {
		return nil, sel
	}
	ruleW, keyW, valW := 0, 0, 0
	for _, a := range snap.Alerts {
		ruleW = max(ruleW, ansi.StringWidth(a.Rule))
		keyW = max(keyW, ansi.StringWidth(shownKey(snap, a.Key)))
		valW = max(valW, ansi.StringWidth(fmtAlertValue(a)))
	}
	// Fixed part: cursor 2, glyph 2, state 9, severity 5, gaps 6, age 6.
	if over := 2 + 2 + 9 + 5 + ruleW + 2 + keyW + 2 + valW + 2 + 6 - w; over > 0 {
		keyW = max(keyW-over, 12) // the key's member part is the least needed
	}
	for i, p := range picks(snap) {
		cursor := "  "
		if i == sel {
			cursor = "› "
		}
		var line string
		if p.alarm != nil {
			line = alarmRow(*p.alarm, now, cursor, w, th, clock)
		} else {
			line = th.forAlert(*p.alert)(fit(cursor+alertText(*p.alert, shownKey(snap, p.alert.Key), now, ruleW, keyW, valW, clock), w, "…"))
		}
		if i == sel {
			line = th.selected.Render(ansi.Strip(line))
		}
		rows = append(rows, line)
	}
	return rows, sel
}

// alertText is one of our alerts as a row, without the cursor; key is
// how the row names its series (shownKey).
func alertText(a monitor.AlertView, key string, now time.Time, ruleW, keyW, valW int, clock func(time.Time) string) string {
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
		pad(a.Rule, ruleW), pad(fit(key, keyW, "…"), keyW), valW, fmtAlertValue(a),
		pad(fmtAge(now.Sub(a.Since)), 6), mark)
	if mark != "" {
		text = fmt.Sprintf("%s %-8s %s %s  %*s  %s%s%s", stateGlyph(a), stateWord(a, now), sevWord(a.Severity),
			a.Rule, valW, fmtAlertValue(a), pad(fmtAge(now.Sub(a.Since)), 6), mark, key)
	}
	return strings.TrimRight(text, " ")
}

// alarmRow is an external alarm as a row: in ALARM it says ACKED or
// SILENCED, and by whom or until when, as our alerts do.
func alarmRow(a monitor.AlarmView, now time.Time, cursor string, w int, th theme, clock func(time.Time) string) string {
	glyph, style := "✔", th.ok.Render
	switch a.State {
	case "ALARM":
		glyph, style = "✖", th.critical.Render
	case "INSUFFICIENT_DATA":
		glyph, style = "◌", th.warning.Render
	}
	word, mark := alarmWord(a.State), ""
	switch {
	case a.Alarming() && a.Silenced(now):
		word, mark = "SILENCED", "  silenced to "+clock(a.SilencedUntil)
	case a.Silenced(now): // silenced ahead of its next ALARM
		mark = "  silenced to " + clock(a.SilencedUntil)
	case a.Alarming() && a.AckedBy != "":
		word, mark = "ACKED", "  acked by "+a.AckedBy
	}
	text := fmt.Sprintf("%s%s %-8s [CW] %s  %s%s", cursor, glyph, word, a.Name, fmtAge(now.Sub(a.Since)), mark)
	if !a.Reason.IsEmpty() {
		text += "  " + a.Reason.String()
	}
	return style(fit(text, w, "…"))
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
