package ui

import (
	"math"
	"slices"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/guptarohit/asciigraph"

	"github.com/stormwatch/stormwatch/monitor"
	"github.com/stormwatch/stormwatch/series"
	"github.com/stormwatch/stormwatch/sources/catalog"
)

// The cause-and-effect view puts the load on the API, the load it passes
// to the database and the database's CPU on one time axis. Their units
// differ by orders of magnitude, so each line is a percentage of its own
// peak in the visible range: the question it answers is "which rose
// first", not "how much", and the legend gives the peaks back.

// overlayLine is one quantity of the overlay.
type overlayLine struct {
	label    string
	patterns []string // the first matching key wins, primary member first
	color    string
	glyph    string // the legend's sample of the line
	chars    asciigraph.CharSet
	unit     func(peak float64, v series.View) string
	// lastWeek: the series' week-ago copy, when a source fetched one, is
	// drawn dim and dotted under it on the same scale.
	lastWeek bool
}

// overlayLines are drawn in this order, so the DB CPU (the effect, and
// the line the alert is about) lies on top where lines cross. Each has its
// own glyph as well as its colour so the view reads without colour.
var overlayLines = []overlayLine{
	{label: "requests", patterns: []string{catalog.MainRequests}, color: "blue", glyph: "•",
		chars: asciigraph.CreateCharSet("•"), unit: requestsUnit, lastWeek: true},
	{label: "ops", patterns: []string{catalog.DB(catalog.OpsTotal)}, color: "yellow", glyph: "×",
		chars: asciigraph.CreateCharSet("×"), unit: func(peak float64, _ series.View) string { return fmtShort(peak) + "/s" }},
	// db.host.cpu stands in for teams that watch the DB host through
	// CloudWatch and have no MongoDB source.
	{label: "DB CPU", patterns: []string{catalog.DB(catalog.CPU), catalog.DBHostCPU}, color: "red", glyph: "─",
		chars: asciigraph.DefaultCharSet, unit: func(peak float64, _ series.View) string { return fmtShort(peak) + "%" }},
}

// overlayPanel titles and colours the overlay's box.
var overlayPanel = Panel{Title: "Cause and effect", Color: "cyan", Unit: "%", Max: 100}

// normalise scales the columns to percentages of their own peak. Gaps stay
// gaps. A line that is zero throughout stays at zero rather than dividing
// by it; ok is false when there is nothing to draw.
func normalise(cols []float64) (out []float64, peak float64, ok bool) {
	for _, v := range cols {
		if !math.IsNaN(v) {
			peak, ok = math.Max(peak, v), true
		}
	}
	return scaleTo(cols, peak), peak, ok
}

// scaleTo is cols as percentages of peak, gaps kept, negatives at zero.
func scaleTo(cols []float64, peak float64) []float64 {
	out := make([]float64, len(cols))
	for i, v := range cols {
		switch {
		case math.IsNaN(v):
			out[i] = math.NaN()
		case peak <= 0:
			out[i] = 0
		default:
			out[i] = 100 * math.Max(v, 0) / peak
		}
	}
	return out
}

// withLastWeek scales a line and its week-ago copy to this week's peak,
// so "three times last week" reads as this week's line at 100 and last
// week's at 33 (each to its own peak, both would end at 100). Last week
// above this week's peak is drawn at 100; its legend gives its own peak.
func withLastWeek(cols, lastWeek []float64) (now, then []float64, peakNow, peakThen float64, ok, okThen bool) {
	now, peakNow, ok = normalise(cols)
	_, peakThen, okThen = normalise(lastWeek)
	then = scaleTo(lastWeek, peakNow)
	for i, v := range then {
		then[i] = math.Min(v, 100)
	}
	return now, then, peakNow, peakThen, ok, okThen
}

// requestsUnit reads main.requests as what CloudWatch gives for a request
// count: a Sum per period, the period being the spacing of its points
// (60 s for an ALB at the usual period, 1 s in the demo). It is shown per
// minute whatever the period, so a change of period does not change the
// reading.
func requestsUnit(peak float64, v series.View) string {
	period := hold(v) / 2 // the usual spacing, in ms
	if period <= 0 {
		return fmtShort(peak)
	}
	return fmtShort(peak*60000/float64(period)) + "/min"
}

// overlayKey picks the series an overlay line draws: the primary member's
// (or, with a member filter, that member's), else the first by name.
func overlayKey(ol overlayLine, snap *monitor.Snapshot, member string) (string, bool) {
	for _, pat := range ol.patterns {
		if keys := panelKeys(Panel{Series: []string{pat}}, snap, member); len(keys) > 0 {
			return keys[0], true
		}
	}
	return "", false
}

// overlayLegendItem is one line's entry: "requests 2.4k/min max", or
// "requests –" when it has no data in the visible range.
type overlayLegendItem struct {
	glyph, color, text string
}

// overlayLegend is the legend text: every line's glyph, name and peak.
func overlayLegend(items []overlayLegendItem, th theme) string {
	parts := make([]string, len(items))
	for i, it := range items {
		glyph := th.fg(it.color, it.glyph)
		if it.color == "" {
			glyph = th.dim.Render(it.glyph)
		}
		parts[i] = glyph + " " + it.text
	}
	return strings.Join(parts, th.dim.Render(" · "))
}

// legendFitting is the legend with last week's entries after the lines'
// own, shortened to "· last week" and then left out where they do not fit
// in width: a legend cut inside a figure would misread it.
func legendFitting(items, lastWeek []overlayLegendItem, width int, th theme) string {
	full := overlayLegend(append(slices.Clone(items), lastWeek...), th)
	if ansi.StringWidth(full) <= width {
		return full
	}
	short := slices.Clone(items)
	for _, it := range lastWeek {
		short = append(short, overlayLegendItem{it.glyph, it.color, "last week"})
	}
	if s := overlayLegend(short, th); ansi.StringWidth(s) <= width {
		return s
	}
	return overlayLegend(items, th)
}

// legendText is what an overlay line's legend entry says.
func legendText(label string, peak string, ok bool) string {
	if !ok {
		return label + " –"
	}
	return label + " " + peak + " max"
}

// renderOverlay draws the cause-and-effect view as a bordered box of
// exactly w×h cells, on the same time axis and with the same marks as the
// CPU graphs.
func renderOverlay(g graphCtx, w, h int, focused bool) string {
	iw, ih := w-2, h-2
	legend, lastItems := []overlayLegendItem{}, []overlayLegendItem(nil)
	var data [][]float64
	var colors []asciigraph.AnsiColor
	var chars []asciigraph.CharSet
	found := false
	body := timeFrame(g, iw, ih-1, 5, func(rows, cols int) []string {
		for _, ol := range overlayLines {
			k, ok := overlayKey(ol, g.snap, g.member)
			found = found || ok
			v := g.snap.Series[k]
			colsNow := series.Columns(v, g.from.UnixMilli(), g.to.UnixMilli()+1, cols, hold(v))
			norm, peak, has := normalise(colsNow)
			var weekAgo []overlayLegendItem
			if lw, ok := overlayLastWeek(ol, g, k, cols); ok {
				then, lwPeak, lwHas := []float64(nil), 0.0, false
				norm, then, peak, lwPeak, has, lwHas = withLastWeek(colsNow, lw)
				if lwHas {
					// Rescaled to the series' own period, so read in its unit.
					weekAgo = append(weekAgo, overlayLegendItem{"·", "", legendText("last week", ol.unit(lwPeak, v), true) + " on the " + ol.label + "' scale"})
					data = append(data, then)
					colors = append(colors, lastWeekColor(g.th))
					chars = append(chars, asciigraph.CreateCharSet("·"))
				}
			}
			legend = append(legend, overlayLegendItem{ol.glyph, ol.color, legendText(ol.label, ol.unit(peak, v), has)})
			lastItems = append(lastItems, weekAgo...)
			if !has {
				continue
			}
			data = append(data, norm)
			colors = append(colors, g.th.graphColor(ol.color))
			cs := ol.chars
			if g.th.ascii && cs == asciigraph.DefaultCharSet {
				cs = asciiCurve
			}
			chars = append(chars, cs)
		}
		if len(data) == 0 || rows < 2 {
			return nil
		}
		return strings.Split(plotMany(data, colors, chars, rows, 100, yLabels(100, rows, 3), g.th), "\n")
	}, emptyMessage(g, found))
	body = slices.Insert(body, 0, legendFitting(legend, lastItems, iw, g.th))
	title := topBorder(overlayPanel, g.th.dim.Render("requests → DB ops → DB CPU, each as % of its own max"), w, g.th, focused)
	return title + "\n" + boxed(overlayPanel, fitLines(body, ih, iw), w, g.th)
}

// plotMany draws prepared columns with asciigraph on a fixed 0…top axis.
func plotMany(data [][]float64, colors []asciigraph.AnsiColor, chars []asciigraph.CharSet, rows int, top float64, format func(float64) string, th theme) string {
	opts := []asciigraph.Option{
		asciigraph.Height(rows - 1), // asciigraph draws Height+1 rows
		asciigraph.LowerBound(0),
		asciigraph.UpperBound(top),
		asciigraph.Offset(2),
		asciigraph.YAxisValueFormatter(format),
		asciigraph.SeriesChars(chars...),
	}
	if !th.noColor {
		opts = append(opts, asciigraph.SeriesColors(colors...))
	}
	return asciigraph.PlotMany(data, opts...)
}
