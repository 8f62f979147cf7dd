package ui

import "strings"

// zoomBody is the focused panel alone, filling the body.
func (m Model) zoomBody(w, h int) []string {
	pic := m.picture()
	switch m.focus {
	case focusMainCPU, focusDBCPU:
		if m.overlay {
			return fitLines(strings.Split(renderOverlay(m.graphCtx(), w, h, false), "\n"), h, w)
		}
		i := int(m.focus)
		if i >= len(m.opts.Panels) {
			return fitLines([]string{m.th.dim.Render("no panel configured here")}, h, w)
		}
		return fitLines(strings.Split(renderGraph(m.opts.Panels[i], m.graphCtx(), w, h, false), "\n"), h, w)
	case focusDB:
		return m.dbZoom(w, h)
	case focusAlerts:
		return m.alertsPanel(w, h)
	}
	var lines []string
	if pic != nil {
		lines = tableLines(m.shownTables(), w, m.th)
	}
	if len(lines) == 0 {
		lines = []string{m.th.dim.Render("  no tables from these sources")}
	}
	return fitLines(append([]string{m.zoomTitle("tables")}, lines...), h, w)
}

func (m Model) zoomTitle(name string) string {
	return m.th.bold.Render(name) + m.th.dim.Render("  zoomed · esc back")
}

// presenterBody is the two CPU graphs, large, each with its current value
// in big digits: what a shared screen needs, nothing finer.
func (m Model) presenterBody(w, h int) []string {
	g := m.graphCtx()
	n := min(len(m.opts.Panels), 2)
	if n == 0 {
		return fitLines(nil, h, w)
	}
	if w >= sideBySideWidth && n == 2 {
		lw := w / 2
		return beside(m.bigPanel(0, g, lw, h), m.bigPanel(1, g, w-lw, h), lw, "")
	}
	top := h / n
	out := m.bigPanel(0, g, w, top)
	if n == 2 {
		out = append(out, m.bigPanel(1, g, w, h-top)...)
	}
	return out
}

// bigPanel is one presenter graph: the value in 5- or 3-line digits above
// a graph of what is left.
func (m Model) bigPanel(i int, g graphCtx, w, h int) []string {
	p := m.opts.Panels[i]
	iw, ih := w-2, h-2
	_, lines := graphBody(p, g, iw, ih)
	value := "–"
	if len(lines) > 0 && lines[0].has {
		value = fmtValue(lines[0].last)
		if p.Unit == "%" {
			value += "%"
		}
	}
	var digits []string
	for _, rows := range []int{5, 3} {
		if ih-rows-1 >= 3 { // a blank line, then at least two plot rows and the axis
			digits = bigText(value, rows, iw, m.opts.ASCII)
			break
		}
	}
	if digits != nil {
		for j, d := range digits {
			digits[j] = center(m.th.fg(p.Color, d), iw)
		}
		if p.Unit != "" && p.Unit != "%" {
			digits[len(digits)-1] += " " + m.th.bold.Render(p.Unit)
		}
		digits = append(digits, "")
	}
	body, _ := graphBody(p, g, iw, ih-len(digits))
	out := titleBar(p, lines, w, m.th, false) + "\n" + boxed(p, fitLines(append(digits, body...), ih, iw), w, m.th)
	return fitLines(strings.Split(out, "\n"), h, w)
}
