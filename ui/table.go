package ui

import (
	"strings"

	"github.com/stormwatch/stormwatch/sources"
	"github.com/stormwatch/stormwatch/text"
)

// Column sizing: a name column never takes more than half the width, and
// when the row is too wide names shrink first (to minName), then labels
// (to minLabel), then text columns are left out from the right; a numeric
// column is never cut or pushed off while the screen can hold it.
const (
	colGap   = 2
	minName  = 8
	minLabel = 4
)

// tableLines renders the tables at width w: a title, a header, the rows;
// the highlighted row is marked ▶ as well as bold.
func tableLines(tables []sources.Table, w int, th theme) []string {
	var out []string
	for ti, t := range tables {
		if ti > 0 {
			out = append(out, "")
		}
		out = append(out, th.bold.Render(t.Name))
		if len(t.Rows) == 0 {
			note := t.Note.String()
			if note == "" {
				note = "none"
			}
			out = append(out, th.dim.Render(fit("  "+note, w, "…")))
			continue
		}
		out = append(out, tableBody(t, w, th)...)
		if !t.Note.IsEmpty() {
			out = append(out, th.dim.Render(fit("  "+t.Note.String(), w, "…")))
		}
	}
	return out
}

// tableBody is the header and rows of a table with rows.
func tableBody(t sources.Table, w int, th theme) []string {
	n := len(t.Columns)
	cells := make([][]text.Safe, len(t.Rows))
	natural, values := make([]int, n), make([]int, n)
	for i, c := range t.Columns {
		natural[i] = text.Clean(c.Title).Width()
	}
	for r, row := range t.Rows {
		cells[r] = make([]text.Safe, n)
		for i := range n {
			var c sources.Cell
			if i < len(row.Cells) {
				c = row.Cells[i]
			}
			cells[r][i] = text.Clean(cellText(t.Columns[i].Kind, c))
			values[i] = max(values[i], cells[r][i].Width())
			natural[i] = max(natural[i], values[i])
		}
	}
	widths := columnWidths(t.Columns, natural, values, w-2)
	line := func(vals []text.Safe) string {
		var b strings.Builder
		first := true
		for i, v := range vals {
			if widths[i] == 0 {
				continue
			}
			if !first {
				b.WriteString(strings.Repeat(" ", colGap))
			}
			first = false
			v = v.Truncate(widths[i])
			pad := strings.Repeat(" ", widths[i]-v.Width())
			if t.Columns[i].Kind.Numeric() {
				b.WriteString(pad + v.String())
			} else {
				b.WriteString(v.String() + pad)
			}
		}
		return strings.TrimRight(b.String(), " ")
	}
	titles := make([]text.Safe, n)
	for i, c := range t.Columns {
		titles[i] = text.Clean(c.Title)
	}
	out := []string{th.dim.Render(fit("  "+line(titles), w, "…"))}
	for r := range cells {
		if r == t.Highlight {
			out = append(out, th.bold.Render(fit("▶ "+line(cells[r]), w, "…")))
			continue
		}
		out = append(out, fit("  "+line(cells[r]), w, "…"))
	}
	return out
}

// columnWidths fits the columns into avail cells (gaps included), given
// each column's natural width (title included) and the width of its
// widest value. A width of 0 leaves the column out. In order, until the
// row fits: names shrink to minName and labels to minLabel, text columns
// after the first are left out from the right, numeric titles are cut to
// their values' width, and the first column shrinks to one cell.
func columnWidths(cols []sources.Column, natural, values []int, avail int) []int {
	widths := append([]int(nil), natural...)
	for i, c := range cols {
		if c.Kind == sources.Name {
			widths[i] = min(widths[i], max(minName, avail/2))
		}
	}
	total := func() int {
		sum, shown := 0, 0
		for _, v := range widths {
			if v > 0 {
				sum += v
				shown++
			}
		}
		return sum + colGap*max(shown-1, 0)
	}
	shrink := func(match func(i int) bool, floor func(i int) int) {
		for total() > avail {
			widest := -1
			for i := range cols {
				if match(i) && widths[i] > floor(i) && (widest < 0 || widths[i] > widths[widest]) {
					widest = i
				}
			}
			if widest < 0 {
				return
			}
			widths[widest]--
		}
	}
	kind := func(k sources.Kind) func(int) bool { return func(i int) bool { return cols[i].Kind == k } }
	shrink(kind(sources.Name), func(int) int { return minName })
	shrink(kind(sources.Label), func(int) int { return minLabel })
	for i := len(cols) - 1; i > 0 && total() > avail; i-- {
		if !cols[i].Kind.Numeric() {
			widths[i] = 0
		}
	}
	shrink(func(i int) bool { return cols[i].Kind.Numeric() }, func(i int) int { return max(values[i], 1) })
	shrink(func(i int) bool { return i == 0 && !cols[i].Kind.Numeric() }, func(int) int { return 1 })
	return widths
}
