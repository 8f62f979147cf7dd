package ui

import (
	"fmt"
	"math"
	"strings"

	"github.com/stormwatch/stormwatch/monitor"
	"github.com/stormwatch/stormwatch/series"
	"github.com/stormwatch/stormwatch/sources/catalog"
)

// dbZoom is the DB detail zoomed: the strip as the dashboard reads it,
// then one row per series with its newest value, its peak over the visible
// range and a sparkline of that range (the maximum per column, as the
// graphs draw it; a column with no point is a gap, never a zero), so a
// queue or a latency that climbed with the CPU shows when it started.
func (m Model) dbZoom(w, h int) []string {
	pic := m.picture()
	lines := flow(dbSegments(pic, m.member), w)
	if len(lines) == 0 {
		return fitLines([]string{m.zoomTitle("DB detail"), m.th.dim.Render("  no DB series")}, h, w)
	}
	out := append([]string{m.zoomTitle("DB detail")}, lines...)
	return fitLines(append(out, m.dbRows(pic, w)...), h, w)
}

const (
	dbLabelW = 20 // "ops/s getmore", "latency cmd (ms)"
	dbNumW   = 9
)

// dbRows are the per-series rows under the zoomed strip.
func (m Model) dbRows(pic *monitor.Snapshot, w int) []string {
	key, _ := stripKeys(pic, m.member)
	from, to := m.window()
	sparkW := w - 2 - dbLabelW - 2*dbNumW - 2
	head := fmt.Sprintf("  %-*s%*s%*s", dbLabelW, "", dbNumW, "now", dbNumW, "peak")
	if sparkW >= 10 {
		head += "  " + fmtRange(m.rng) + " · max per column · blank: no data"
	}
	out := []string{"", m.th.dim.Render(fit(head, w, "…"))}
	row := func(label, name string) {
		k := key(name)
		if k == "" {
			return
		}
		v := pic.Series[k]
		now, peak := "–", "–"
		if p, ok := v.Last(); ok {
			now = fmtCompact(p.V)
		}
		var spark string
		cols := series.Columns(v, from.UnixMilli(), to.UnixMilli()+1, max(sparkW, 1), hold(v))
		if top, ok := colMax(cols); ok {
			peak = fmtCompact(top)
			if sparkW >= 10 {
				spark = "  " + sparkline(cols, top, m.th.ascii)
			}
		}
		out = append(out, fit(fmt.Sprintf("  %-*s%*s%*s", dbLabelW, label, dbNumW, now, dbNumW, peak)+spark, w, "…"))
	}
	row("connections", catalog.DB(catalog.Connections))
	for _, g := range stripGroups {
		for _, it := range g.items {
			label := strings.TrimSpace(g.title + " " + it[0])
			if g.suffix != "" {
				label += " (" + strings.TrimSpace(g.suffix) + ")"
			}
			row(label, it[1])
		}
	}
	return out
}

// colMax is the highest column, false when every column is a gap.
func colMax(cols []float64) (float64, bool) {
	top, ok := math.Inf(-1), false
	for _, c := range cols {
		if !math.IsNaN(c) {
			top, ok = max(top, c), true
		}
	}
	return top, ok
}

// sparkline draws columns from zero to top, one cell each: eight heights,
// or eight ASCII marks; a gap (NaN) is a blank cell.
func sparkline(cols []float64, top float64, ascii bool) string {
	marks := []rune("▁▂▃▄▅▆▇█")
	if ascii {
		marks = []rune("_.-:=+*#")
	}
	var b strings.Builder
	for _, c := range cols {
		switch {
		case math.IsNaN(c):
			b.WriteByte(' ')
		case top <= 0 || c <= 0:
			b.WriteRune(marks[0])
		default:
			i := int(math.Round(c / top * float64(len(marks)-1)))
			b.WriteRune(marks[min(max(i, 0), len(marks)-1)])
		}
	}
	return b.String()
}
