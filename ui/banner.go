package ui

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/stormwatch/stormwatch/alert"
	"github.com/stormwatch/stormwatch/monitor"
)

// The banner is the one line everybody reads, so it says the worst true
// thing first (README: "What the screen says"):
//
//  1. a firing critical alert or a CloudWatch alarm in ALARM, acknowledged
//     or not (an ack makes it quiet, not smaller), with NOT WATCHING
//     appended when a source is blind;
//  2. NOT WATCHING and why, when any source is failing, stale or has not
//     answered its first poll in time;
//  3. a firing warning;
//  4. silenced alerts, and until when;
//  5. NO DATA;
//  6. starting (first polls in flight);
//  7. ✔ only when every source is healthy and nothing fires.

// firingItem is a firing alert or an external alarm in ALARM, as the
// banner ranks it.
type firingItem struct {
	critical bool
	ackedBy  string
	since    time.Time
	text     string
	alert    *monitor.AlertView // nil for an external alarm
	// silencedUntil and head are how a silenced item reads:
	// "✖ CRITICAL FIRING, silenced to 10:51 UTC  db-cpu-high db.cpu".
	silencedUntil time.Time
	head, tail    string
}

// firingItems is every firing alert (silenced ones apart) and every
// external alarm in ALARM.
func firingItems(snap *monitor.Snapshot, now time.Time) (live, silenced []firingItem) {
	for i := range snap.Alerts {
		a := &snap.Alerts[i]
		if a.State != alert.Firing {
			continue
		}
		it := firingItem{critical: a.Severity == alert.Critical, ackedBy: a.AckedBy, since: a.Since, alert: a,
			text: fmt.Sprintf("%s %s FIRING  %s  %s = %s  for %s", sevGlyph(a.Severity),
				strings.ToUpper(string(a.Severity)), a.Rule, shownKey(snap, a.Key), fmtAlertValue(*a), fmtAge(now.Sub(a.Since))),
			silencedUntil: a.SilencedUntil, head: sevGlyph(a.Severity) + " " + strings.ToUpper(string(a.Severity)) + " FIRING",
			tail: a.Rule + "  " + shownKey(snap, a.Key)}
		if a.Silenced(now) {
			silenced = append(silenced, it)
			continue
		}
		live = append(live, it)
	}
	for _, a := range snap.Alarms {
		if !a.Alarming() {
			continue
		}
		it := firingItem{critical: true, since: a.Since, ackedBy: a.AckedBy,
			text:          fmt.Sprintf("✖ ALARM [CW] %s  for %s", a.Name, fmtAge(now.Sub(a.Since))),
			silencedUntil: a.SilencedUntil, head: "✖ ALARM", tail: "[CW] " + a.Name.String()}
		if a.Silenced(now) {
			silenced = append(silenced, it)
			continue
		}
		live = append(live, it)
	}
	return live, silenced
}

// outranks orders firing items: critical before warning, then the
// unacknowledged before the acknowledged, then ours before external
// alarms, then the newest. A warning that
// fires a second after a critical, or an ack of the critical, must not
// push the critical off the one line everybody reads.
func outranks(a, b firingItem) bool {
	if a.critical != b.critical {
		return a.critical
	}
	if (a.ackedBy == "") != (b.ackedBy == "") {
		return a.ackedBy == ""
	}
	// Our own alert says the value and leads to the culprit; an external
	// alarm of the same rank only names itself.
	if (a.alert != nil) != (b.alert != nil) {
		return a.alert != nil
	}
	return a.since.After(b.since)
}

func topItem(items []firingItem) (firingItem, bool) {
	var best firingItem
	for i, it := range items {
		if i == 0 || outranks(it, best) {
			best = it
		}
	}
	return best, len(items) > 0
}

// bannerAlert is the firing alert the banner names, if the banner names
// one of our alerts.
func bannerAlert(snap *monitor.Snapshot, now time.Time) (monitor.AlertView, int, bool) {
	live, silenced := firingItems(snap, now)
	it, ok := topItem(live)
	if !ok || it.alert == nil {
		return monitor.AlertView{}, len(silenced), false
	}
	return *it.alert, len(silenced), true
}

// firingCount is our firing alerts plus the external alarms in ALARM.
func firingCount(snap *monitor.Snapshot) int {
	n := 0
	for _, a := range snap.Alerts {
		if a.State == alert.Firing {
			n++
		}
	}
	for _, a := range snap.Alarms {
		if a.State == "ALARM" {
			n++
		}
	}
	return n
}

// notWatching is "✖ NOT WATCHING db: unreachable (retry in 23s) · aws: no
// credentials", or "" when every source can be trusted.
// On a narrow screen the details go before any source's name and reason
// does: first ", never delivered", then the retry times.
func notWatching(snap *monitor.Snapshot, now time.Time, w int) (string, []string) {
	var parts, names []string
	for _, h := range snap.Blind(now) {
		parts = append(parts, h.Problem(now))
		names = append(names, h.Name)
	}
	if len(parts) == 0 {
		return "", nil
	}
	text := "✖ NOT WATCHING " + strings.Join(parts, " · ")
	for _, cut := range []*regexp.Regexp{neverDelivered, retryIn} {
		if ansi.StringWidth(text) <= w {
			break
		}
		text = cut.ReplaceAllString(text, "")
	}
	return text, names
}

var (
	neverDelivered = regexp.MustCompile(`, never delivered`)
	retryIn        = regexp.MustCompile(` \(retry in [^)]*\)`)
)

// banner is the one line that says what is on fire, or that stormwatch
// cannot see.
func banner(snap *monitor.Snapshot, now time.Time, w int, th theme, clock func(time.Time) string) string {
	if snap == nil {
		return th.dim.Render("waiting for the first snapshot…")
	}
	live, silenced := firingItems(snap, now)
	top, firing := topItem(live)
	blind, blindNames := notWatching(snap, now, w)
	more := ""
	if len(live) > 1 {
		more = fmt.Sprintf("  (+%d more firing)", len(live)-1)
	}
	if len(silenced) > 0 {
		more += fmt.Sprintf("  (%d silenced)", len(silenced))
	}
	switch {
	case firing && top.critical:
		text := top.text + ackedText(top) + more
		if blind != "" {
			text += "  ✖ NOT WATCHING " + strings.Join(blindNames, ", ")
		}
		return th.critical.Render(fit(text, w, "…"))
	case blind != "":
		if firing {
			blind += fmt.Sprintf("  (%d firing)", len(live))
		}
		return th.critical.Render(fit(blind, w, "…"))
	case firing:
		return th.warning.Render(fit(top.text+ackedText(top)+more, w, "…"))
	case len(silenced) > 0:
		return th.warning.Render(fit(silencedText(silenced, clock), w, "…"))
	}
	if nd := noDataText(snap, now); nd != "" {
		return th.warning.Render(fit(nd, w, "…"))
	}
	if names := snap.Starting(now); len(names) > 0 {
		return th.dim.Render(fit("◌ starting: waiting for the first poll of "+strings.Join(names, ", "), w, "…"))
	}
	return th.ok.Render("✔ no alerts firing")
}

func ackedText(it firingItem) string {
	if it.ackedBy == "" {
		return ""
	}
	return "  acked by " + it.ackedBy
}

// silencedText is the banner when everything firing is silenced: it still
// fires, and says until when it is quiet.
func silencedText(items []firingItem, clock func(time.Time) string) string {
	top, _ := topItem(items)
	text := fmt.Sprintf("%s, silenced to %s  %s", top.head, clock(top.silencedUntil), top.tail)
	if len(items) > 1 {
		text += fmt.Sprintf("  (+%d more silenced)", len(items)-1)
	}
	return text
}

// noDataText names the alerts whose series say nothing, unless silenced.
func noDataText(snap *monitor.Snapshot, now time.Time) string {
	var names []string
	for _, a := range snap.Alerts {
		if a.State == alert.Missing && !a.Silenced(now) {
			names = append(names, a.Rule)
		}
	}
	if len(names) == 0 {
		return ""
	}
	return "◌ NO DATA  " + strings.Join(names, ", ")
}

// fmtAlertValue is the alert's newest value, or – while it has no data.
func fmtAlertValue(a monitor.AlertView) string {
	if a.State == alert.Missing {
		return "–"
	}
	return fmtValue(a.Value)
}
