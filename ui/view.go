package ui

import (
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
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
	w, h := m.width, m.height
	if w == 0 || h == 0 {
		return "stormwatch: starting…"
	}
	segs := dbSegments(m.snap)
	db := flow(segs, w)
	if len(db) > 2 {
		db = db[:2]
	}
	var tables []string
	if m.snap != nil && len(m.snap.Tables) > 0 {
		tables = tableLines(m.snap.Tables, w, m.th)
	}
	l := computeLayout(w, h, needs{DBLines: len(db), AlertRows: m.alertCount(), TableLines: len(tables)})
	if l.TooSmall {
		msg := fmt.Sprintf("terminal too small (need %dx%d, have %dx%d)", minWidth, minHeight, w, h)
		msg = lipgloss.NewStyle().Width(w).Align(lipgloss.Center).Render(msg) // wraps on a very narrow screen
		return lipgloss.Place(w, h, lipgloss.Center, lipgloss.Center, msg)
	}

	out := []string{m.header(w), banner(m.snap, m.now, w, m.th)}
	if m.showHelp {
		out = append(out, fitLines(strings.Split(m.helpBox(w, h-chromeLines), "\n"), h-chromeLines, w)...)
	} else {
		out = append(out, m.graphs(l)...)
		out = append(out, fitLines(db, l.DBLines, w)...)
		out = append(out, m.bottom(l)...)
	}
	out = append(out, m.status(w), m.footer(w))
	return strings.Join(fitLines(out, h, w), "\n")
}

func (m Model) alertCount() int {
	if m.snap == nil {
		return 0
	}
	return len(m.snap.Alerts) + len(m.snap.Alarms)
}

func (m Model) header(w int) string {
	left := m.th.title.Render("stormwatch")
	if m.snap != nil && m.snap.Label != "" {
		left += " " + m.th.label.Render(" "+m.snap.Label+" ")
	}
	live := "● LIVE"
	if m.ended {
		live = "■ ENDED"
	}
	clock := "--:--:--"
	if !m.now.IsZero() {
		clock = m.now.UTC().Format("15:04:05") + " UTC"
	}
	right := fmtRange(m.opts.Range) + "  " + m.th.ok.Render(live) + "  " + clock
	room := w - ansi.StringWidth(right) - 2
	left = ansi.Truncate(left, room, "…")
	gap := max(w-ansi.StringWidth(left)-ansi.StringWidth(right), 1)
	return left + strings.Repeat(" ", gap) + right
}

func (m Model) graphs(l layout) []string {
	snap := m.snap
	if snap == nil {
		snap = &monitor.Snapshot{} // empty boxes saying "no data yet" until the first snapshot
	}
	from, to := m.now.Add(-m.opts.Range), m.now
	var boxes []string
	for i := 0; i < 2 && i < len(m.opts.Panels); i++ {
		boxes = append(boxes, renderGraph(m.opts.Panels[i], snap, from, to, l.GraphW[i], l.GraphH, m.th))
	}
	for len(boxes) < 2 {
		boxes = append(boxes, "")
	}
	if l.SideBySide {
		left := fitLines(strings.Split(boxes[0], "\n"), l.GraphH, l.GraphW[0])
		right := fitLines(strings.Split(boxes[1], "\n"), l.GraphH, l.GraphW[1])
		rows := make([]string, l.GraphH)
		for i := range rows {
			rows[i] = left[i] + strings.Repeat(" ", max(l.GraphW[0]-ansi.StringWidth(left[i]), 0)) + right[i]
		}
		return rows
	}
	rows := fitLines(strings.Split(boxes[0], "\n"), l.GraphH, l.GraphW[0])
	return append(rows, fitLines(strings.Split(boxes[1], "\n"), l.GraphH, l.GraphW[1])...)
}

// bottom is the alerts panel and, when there is room, the tables.
func (m Model) bottom(l layout) []string {
	alerts := m.alertsPanel(l.AlertsW, l.AlertsH)
	if l.TablesH == 0 {
		return alerts
	}
	tables := fitLines(tableLines(m.snap.Tables, l.TablesW-2, m.th), l.TablesH, l.TablesW-2)
	if l.TablesBelow {
		return append(alerts, tables...)
	}
	rows := make([]string, l.AlertsH)
	for i := range rows {
		pad := max(l.AlertsW-ansi.StringWidth(alerts[i]), 0)
		rows[i] = alerts[i] + strings.Repeat(" ", pad) + m.th.dim.Render("│")
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
	title := m.th.bold.Render("alerts")
	if m.snap != nil {
		firing := firingCount(m.snap)
		title += m.th.dim.Render(fmt.Sprintf("  %d firing · %d listed · ↑↓ select", firing, len(m.snap.Alerts)))
	}
	rows := alertRows(m.snap, m.now, m.sel, w, m.th)
	if len(rows) == 0 {
		rows = []string{m.th.dim.Render("  no alerts or alarms")}
	}
	if a, ok := m.selected(); ok && len(rows) < h-1 { // room to explain the selected alert
		rows = slices.Insert(rows, m.sel+1, m.th.dim.Render(alertDetail(a, w)))
	}
	rows = visibleRows(rows, m.sel, h-1)
	spare := h - 1 - len(rows)
	// What happened recently, for whoever joins the incident late.
	if spare >= 3 && m.snap != nil && len(m.snap.Timeline) > 0 {
		rows = append(rows, "", m.th.bold.Render("timeline")+m.th.dim.Render("  newest first"))
		rows = append(rows, recentEvents(m.snap, spare-2, w)...)
	}
	return fitLines(append([]string{title}, rows...), h, w)
}

// status is one line of source health: "● api ok  ◌ db stale 12s".
func (m Model) status(w int) string {
	if m.snap == nil {
		return m.th.dim.Render("waiting for the engine…")
	}
	var parts []string
	for _, s := range m.snap.Sources {
		parts = append(parts, m.sourceStatus(s))
	}
	live := "polling ● LIVE"
	if m.ended {
		live = "■ ENDED: the engine stopped"
	}
	left := strings.Join(parts, "   ")
	if gap := w - ansi.StringWidth(left) - ansi.StringWidth(live); gap >= 2 {
		return left + strings.Repeat(" ", gap) + m.th.ok.Render(live)
	}
	return ansi.Truncate(left, w, "…")
}

func (m Model) sourceStatus(s monitor.SourceHealth) string {
	desc := s.Describe(m.now)
	glyph, style := "●", m.th.ok
	switch {
	case s.State == monitor.Failing:
		glyph, style = "✖", m.th.critical
	case s.State == monitor.Starting:
		glyph, style = "◌", m.th.dim
	case s.Stale(m.now):
		glyph, style = "◌", m.th.stale
	}
	text := style.Render(glyph+" "+s.Name) + " " + desc
	if s.State == monitor.Failing && s.Hint != "" {
		text += " — " + s.Hint
	}
	if len(s.Members) > 0 {
		var ms []string
		for _, mem := range s.Members {
			mark := "✔"
			if !mem.OK {
				mark = "✖"
			}
			role := ""
			if mem.Role != "" {
				role = " " + mem.Role[:1]
			}
			ms = append(ms, mem.ID+role+" "+mark)
		}
		text += " (" + strings.Join(ms, ", ") + ")"
	}
	return text
}

func (m Model) footer(w int) string {
	if m.inputMode != inputNone {
		return ansi.Truncate(m.input.View()+m.th.dim.Render("  enter save · esc cancel"), w, "")
	}
	var keys []string
	for _, b := range m.keys.ShortHelp() {
		desc, _, _ := strings.Cut(b.Help().Desc, " ") // the footer gets the first word
		keys = append(keys, m.th.key.Render(b.Help().Key)+" "+desc)
	}
	left := strings.Join(keys, "  ")
	if m.opts.Actions == nil {
		left += m.th.dim.Render("  (read-only)")
	}
	if m.flash == "" {
		return ansi.Truncate(left, w, "")
	}
	flash := m.th.bold.Render(m.flash)
	if ansi.StringWidth(left)+ansi.StringWidth(flash)+2 > w {
		return ansi.Truncate(flash, w, "…") // the answer to the last key matters more
	}
	return left + strings.Repeat(" ", w-ansi.StringWidth(left)-ansi.StringWidth(flash)) + flash
}

func (m Model) helpBox(w, h int) string {
	hm := m.help
	hm.ShowAll = true
	var all []key.Binding
	for _, col := range m.keys.FullHelp() {
		all = append(all, col...)
	}
	// One column: it fits 80 cells, where the default three do not.
	body := m.th.bold.Render("keys") + "\n\n" + hm.FullHelpView([][]key.Binding{all}) +
		"\n\n" + m.th.dim.Render("? or esc closes this help")
	box := lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).Padding(0, 2).Render(body)
	return lipgloss.Place(w, h, lipgloss.Center, lipgloss.Center, box)
}
