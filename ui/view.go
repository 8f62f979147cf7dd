package ui

import (
	"fmt"
	"slices"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/stormwatch/stormwatch/monitor"
)

// View renders the model. It is pure: everything it shows, including the
// time, comes from the model.
func (m Model) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	v.WindowTitle = "stormwatch"
	return v
}

func (m Model) render() string {
	s := m.frame()
	if m.opts.ASCII {
		s = toASCII(s)
	}
	return s
}

func (m Model) frame() string {
	w, h := m.width, m.height
	if w == 0 || h == 0 {
		return "stormwatch: starting…"
	}
	pic := m.picture()
	db := flow(dbSegments(pic, m.member), w)
	if len(db) > 2 {
		db = db[:2]
	}
	var tables []string
	if pic != nil && len(pic.Tables) > 0 {
		tables = tableLines(pic.Tables, w, m.th)
	}
	why := verdictLines(m.snap, w, verdictMax(h), m.th)
	if c := m.culprit(w); c != "" {
		why = append(why, c)
	}
	l := computeLayout(w, h, needs{DBLines: len(db), AlertRows: m.alertCount(), TableLines: len(tables), Verdict: len(why)})
	if l.TooSmall {
		msg := fmt.Sprintf("terminal too small (need %dx%d, have %dx%d)", minWidth, minHeight, w, h)
		msg = lipgloss.NewStyle().Width(w).Align(lipgloss.Center).Render(msg) // wraps on a very narrow screen
		return lipgloss.Place(w, h, lipgloss.Center, lipgloss.Center, msg)
	}

	out := []string{m.header(w), banner(m.snap, m.now, w, m.th, m.clockMinutes)}
	out = append(out, why...)
	body := h - chromeLines - len(why)
	switch {
	case m.showHelp:
		out = append(out, fitLines(strings.Split(m.helpBox(w, body), "\n"), body, w)...)
	case m.fix.mode != fixClosed:
		out = append(out, m.fixBody(w, body)...)
	case m.zoomed:
		out = append(out, m.zoomBody(w, body)...)
	case m.presenter:
		out = append(out, m.presenterBody(w, body)...)
	default:
		out = append(out, m.graphs(l)...)
		out = append(out, m.focusLines(focusDB, fitLines(db, l.DBLines, w))...)
		out = append(out, m.bottom(l)...)
	}
	out = append(out, m.status(w), m.footer(w))
	return strings.Join(fitLines(out, h, w), "\n")
}

// culprit is the culprit line while anything fires, from the live
// snapshot's tables (a frozen picture does not hide who is doing it now).
func (m Model) culprit(w int) string {
	if m.snap == nil || firingCount(m.snap) == 0 {
		return ""
	}
	c := culpritLine(m.snap.Tables)
	if c == "" {
		return ""
	}
	return m.th.critical.Render(fit(c, w, "…"))
}

func (m Model) alertCount() int {
	pic := m.snap
	if pic == nil {
		return 0
	}
	return len(pic.Alerts) + len(pic.Alarms)
}

// loc is the zone every time on screen is shown in (t toggles it).
func (m Model) loc() *time.Location {
	if m.local {
		return m.opts.Location
	}
	return time.UTC
}

// zone is the name of the shown zone now: "UTC", "CET".
func (m Model) zone() string {
	if !m.local {
		return "UTC"
	}
	return m.now.In(m.opts.Location).Format("MST")
}

// clockMinutes is clock to the minute: "10:42 UTC".
func (m Model) clockMinutes(t time.Time) string {
	if t.IsZero() {
		return "--:--"
	}
	return t.In(m.loc()).Format("15:04 MST")
}

// clock formats an instant in the chosen zone: "10:42:13 UTC".
func (m Model) clock(t time.Time) string {
	if t.IsZero() {
		return "--:--:--"
	}
	if m.local {
		t = t.In(m.opts.Location)
		return t.Format("15:04:05 MST")
	}
	return t.UTC().Format("15:04:05") + " UTC"
}

// mode is the header's marker of what the picture is: LIVE, PAUSED in
// history, FROZEN, or a REPLAY.
func (m Model) mode() string {
	switch {
	case m.opts.Playback != nil && m.replayPaused:
		return m.th.paused.Render("■ REPLAY paused")
	case m.opts.Playback != nil:
		text := "▶ REPLAY"
		if sp, ok := m.opts.Playback.(interface{ Speed() float64 }); ok {
			text += fmt.Sprintf(" %gx", sp.Speed())
		}
		return m.th.ok.Render(text)
	case m.ended:
		return "■ ENDED"
	case m.frozen != nil:
		return m.th.paused.Render("■ FROZEN " + m.clock(m.frozenNow))
	case !m.until.IsZero():
		_, to := m.window()
		return m.th.paused.Render("◀ PAUSED at " + m.clock(to))
	}
	return m.th.ok.Render("● LIVE")
}

func (m Model) header(w int) string {
	left := m.th.title.Render("stormwatch")
	if m.snap != nil && m.snap.Label != "" {
		left += " " + m.th.label.Render(" "+m.snap.Label+" ")
	}
	right := fmtRange(m.rng) + "  " + m.mode()
	if m.member != "" {
		right = "only " + m.member + "  " + right
	}
	if m.frozen == nil && m.until.IsZero() {
		right += "  " + m.clock(m.now)
		// A clock that is not the wall clock says so beside it: a demo at
		// --speed 5 runs minutes ahead of the watch on the wrist.
		if m.snap != nil && m.snap.TimeNote != "" {
			right += ", " + m.snap.TimeNote
		}
	}
	room := w - ansi.StringWidth(right) - 2
	left = fit(left, room, "…")
	gap := max(w-ansi.StringWidth(left)-ansi.StringWidth(right), 1)
	return left + strings.Repeat(" ", gap) + right
}

// graphCtx is the shared state of every graph on this screen.
func (m Model) graphCtx() graphCtx {
	snap := m.picture()
	if snap == nil {
		snap = &monitor.Snapshot{} // empty boxes saying "no data yet" until the first snapshot
	}
	from, to := m.window()
	loc := time.UTC
	if m.local {
		loc = m.opts.Location
	}
	return graphCtx{snap: snap, from: from, to: to, th: m.th, member: m.member,
		relative: m.live() && m.rng < time.Hour, loc: loc}
}

func (m Model) focused(f focusPanel) bool { return m.focusSeen && m.focus == f && !m.zoomed }

func (m Model) graphs(l layout) []string {
	g := m.graphCtx()
	if m.overlay {
		// The overlay takes the whole width and both graphs' height.
		h := l.GraphH
		if !l.SideBySide {
			h *= 2
		}
		return fitLines(strings.Split(renderOverlay(g, l.Width, h, m.focused(focusMainCPU)), "\n"), h, l.Width)
	}
	var boxes []string
	for i := 0; i < 2 && i < len(m.opts.Panels); i++ {
		boxes = append(boxes, renderGraph(m.opts.Panels[i], g, l.GraphW[i], l.GraphH, m.focused(focusPanel(i))))
	}
	for len(boxes) < 2 {
		boxes = append(boxes, "")
	}
	if l.SideBySide {
		return beside(fitLines(strings.Split(boxes[0], "\n"), l.GraphH, l.GraphW[0]),
			fitLines(strings.Split(boxes[1], "\n"), l.GraphH, l.GraphW[1]), l.GraphW[0], "")
	}
	rows := fitLines(strings.Split(boxes[0], "\n"), l.GraphH, l.GraphW[0])
	return append(rows, fitLines(strings.Split(boxes[1], "\n"), l.GraphH, l.GraphW[1])...)
}

// beside joins two columns of equal height, padding the left one to lw.
func beside(left, right []string, lw int, sep string) []string {
	rows := make([]string, len(left))
	for i := range rows {
		rows[i] = left[i] + strings.Repeat(" ", max(lw-cellWidth(left[i]), 0)) + sep
		if i < len(right) {
			rows[i] += right[i]
		}
	}
	return rows
}

// focusLines marks the first line of a focused text panel.
func (m Model) focusLines(f focusPanel, lines []string) []string {
	if !m.focused(f) || len(lines) == 0 {
		return lines
	}
	lines = slices.Clone(lines)
	lines[0] = m.th.selected.Render("▶") + fit(lines[0], max(m.width-1, 0), "")
	return lines
}

// bottom is the alerts panel and, when there is room, the tables.
func (m Model) bottom(l layout) []string {
	alerts := m.focusLines(focusAlerts, m.alertsPanel(l.AlertsW, l.AlertsH))
	if l.TablesH == 0 {
		return alerts
	}
	tables := m.focusLines(focusTables, fitLines(tableLines(m.shownTables(), l.TablesW-2, m.th), l.TablesH, l.TablesW-2))
	if l.TablesBelow {
		return append(alerts, tables...)
	}
	rows := beside(alerts, nil, l.AlertsW, m.th.dim.Render("│"))
	for i := range rows {
		if tables[i] != "" {
			rows[i] += " " + tables[i]
		}
	}
	return rows
}

func (m Model) alertsPanel(w, h int) []string {
	if h <= 0 {
		return nil
	}
	// The alerts list is live under a frozen picture (issue 13): freezing
	// stops the graphs and tables, never the alerts, ack or silence.
	pic, now := m.snap, m.now
	title := m.th.bold.Render("alerts")
	if pic != nil {
		firing := firingCount(pic)
		title += m.th.dim.Render(fmt.Sprintf("  %d firing · %d listed · ↑↓ select", firing, len(pic.Alerts)+len(pic.Alarms)))
	}
	rows, selRow := alertRows(pic, now, m.sel, w, m.th, m.clockMinutes)
	if len(rows) == 0 {
		rows = []string{m.th.dim.Render("  no alerts or alarms")}
	}
	if p, ok := m.selected(); ok && p.alert != nil && len(rows) < h-1 { // room to explain the selected alert
		rows = slices.Insert(rows, selRow+1, m.th.dim.Render(alertDetail(pic, *p.alert, w)))
	}
	rows = visibleRows(rows, selRow, h-1)
	spare := h - 1 - len(rows)
	// What happened recently, for whoever joins the incident late.
	if spare >= 3 && pic != nil && len(pic.Timeline) > 0 {
		rows = append(rows, "", m.th.bold.Render("timeline")+m.th.dim.Render("  newest first · "+m.zone()))
		rows = append(rows, recentEvents(pic, spare-2, w, m.loc())...)
	}
	return fitLines(append([]string{title}, rows...), h, w)
}

func (m Model) footer(w int) string {
	if m.inputMode == inputSilence {
		return fit(m.silencePrompt(), w, "…")
	}
	if m.inputMode == inputConfirm {
		return fit(m.th.dim.Render("enter stop · esc cancel  ")+m.input.View(), w, "")
	}
	if m.inputMode != inputNone {
		return fit(m.input.View()+m.th.dim.Render("  enter save · esc cancel"), w, "")
	}
	flash := ""
	if m.flash != "" {
		flash = m.th.bold.Render(m.flash)
	}
	suffix := ""
	if m.opts.Actions == nil {
		suffix = m.th.dim.Render("  (read-only)")
	}
	room := w - ansi.StringWidth(suffix)
	if flash != "" {
		room -= ansi.StringWidth(flash) + 2
	}
	// As many keys as fit, most useful first; ? lists the rest.
	left := ""
	for _, b := range m.keys.ShortHelp() {
		if !b.Enabled() || (m.opts.Actions == nil && m.keys.acts(b)) {
			continue // a read-only viewer is not offered what it may not do
		}
		desc, _, _ := strings.Cut(b.Help().Desc, " ") // the footer gets the first word
		item := m.th.key.Render(b.Help().Key) + " " + desc
		if left != "" {
			item = "  " + item
		}
		if ansi.StringWidth(left+item) > room {
			break
		}
		left += item
	}
	left += suffix
	if flash == "" {
		return fit(left, w, "")
	}
	if ansi.StringWidth(left)+ansi.StringWidth(flash)+2 > w {
		return fit(flash, w, "…") // the answer to the last key matters more
	}
	return left + strings.Repeat(" ", w-ansi.StringWidth(left)-ansi.StringWidth(flash)) + flash
}
