package ui

import (
	"charm.land/bubbles/v2/key"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// helpBox is the ? overlay: every enabled key, in its family's column when
// the three families fit, else in as many even columns as the height needs.
// Descriptions are cut with … so the box never runs off the screen: with
// the fix keys (x, k, c, R, u) the families are wider than 120 columns and
// taller than 80x24 allows.
func (m Model) helpBox(w, h int) string {
	var groups [][]key.Binding
	var all []key.Binding
	for _, g := range m.keys.FullHelp() {
		var on []key.Binding
		for _, b := range g {
			if b.Enabled() {
				on = append(on, b)
			}
		}
		if len(on) > 0 {
			groups = append(groups, on)
			all = append(all, on...)
		}
	}
	inner := max(w-4, 1) // the border and the padding
	// The chrome is the border, "keys", two blank lines and the closing
	// line; when dropping the title and the blank line saves a column, do.
	rows, title := max(h-6, 1), true
	if columnsFor(len(all), max(h-3, 1)) < columnsFor(len(all), rows) {
		rows, title = max(h-3, 1), false
	}
	cols := groups
	if w < 120 || longestColumn(groups) > rows || naturalWidth(groups) > inner {
		cols = splitEven(all, columnsFor(len(all), rows))
	}
	body := m.helpColumns(cols, inner) + "\n" + m.th.dim.Render("? or esc closes this help")
	if title {
		body = m.th.bold.Render("keys") + "\n\n" + m.helpColumns(cols, inner) + "\n\n" + m.th.dim.Render("? or esc closes this help")
	}
	box := lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).Padding(0, 1).Render(body)
	return lipgloss.Place(w, h, lipgloss.Center, lipgloss.Center, box)
}

// helpColumns lays the columns side by side in at most w cells, cutting
// the widest description first.
func (m Model) helpColumns(cols [][]key.Binding, w int) string {
	keyW, descW := make([]int, len(cols)), make([]int, len(cols))
	for i, c := range cols {
		for _, b := range c {
			keyW[i] = max(keyW[i], ansi.StringWidth(b.Help().Key))
			descW[i] = max(descW[i], ansi.StringWidth(b.Help().Desc))
		}
	}
	gap := "    "
	total := func() int {
		n := len(gap) * (len(cols) - 1)
		for i := range cols {
			n += keyW[i] + 1 + descW[i]
		}
		return n
	}
	if total() > w {
		gap = "  "
	}
	for total() > w {
		widest := 0
		for i := range descW {
			if descW[i] > descW[widest] {
				widest = i
			}
		}
		if descW[widest] <= 4 {
			break // nothing left to cut; the frame's fit cuts the rest
		}
		descW[widest]--
	}
	// bubbles' own view, fed descriptions cut to fit: what already fitted
	// looks as it always did.
	hm := m.help
	hm.ShowAll, hm.FullSeparator = true, gap
	cut := make([][]key.Binding, len(cols))
	for i, c := range cols {
		for _, b := range c {
			h := b.Help()
			cut[i] = append(cut[i], key.NewBinding(key.WithKeys(b.Keys()...), key.WithHelp(h.Key, fit(h.Desc, descW[i], "…"))))
		}
	}
	return hm.FullHelpView(cut)
}

// columnsFor is how many columns n keys need in rows lines: at least two.
func columnsFor(n, rows int) int {
	return max(2, (n+rows-1)/rows)
}

func longestColumn(cols [][]key.Binding) int {
	n := 0
	for _, c := range cols {
		n = max(n, len(c))
	}
	return n
}

// naturalWidth is the width of the columns uncut, with bubbles' gap.
func naturalWidth(cols [][]key.Binding) int {
	n := 4 * (len(cols) - 1)
	for _, c := range cols {
		k, d := 0, 0
		for _, b := range c {
			k = max(k, ansi.StringWidth(b.Help().Key))
			d = max(d, ansi.StringWidth(b.Help().Desc))
		}
		n += k + 1 + d
	}
	return n
}

// splitEven cuts bs into n columns, the first ones one longer.
func splitEven(bs []key.Binding, n int) [][]key.Binding {
	per := (len(bs) + n - 1) / n
	var cols [][]key.Binding
	for len(bs) > 0 {
		k := min(per, len(bs))
		cols = append(cols, bs[:k])
		bs = bs[k:]
	}
	return cols
}
