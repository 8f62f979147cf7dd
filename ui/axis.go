package ui

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/stormwatch/stormwatch/monitor"
	"github.com/stormwatch/stormwatch/series"
)

// yAxis picks the top of the axis and the width of its labels.
func yAxis(p Panel, snap *monitor.Snapshot, keys []string, from, to time.Time) (top float64, width int) {
	if p.Max > 0 {
		top = p.Max
	} else {
		peak := 0.0
		for _, k := range keys {
			snap.Series[k].Each(from.UnixMilli(), to.UnixMilli()+1, func(pt series.Point) bool {
				peak = math.Max(peak, pt.V)
				return true
			})
		}
		top = niceCeil(peak * 1.1)
	}
	return top, max(len(fmtShort(top)), 3)
}

// yLabels labels only the rows nearest to round values (0, 25, 50…), so
// the axis reads like a chart and not like a table of 6.7, 13, 20.
func yLabels(top float64, rows, width int) func(float64) string {
	step := niceCeil(top / float64(max((rows-1)/3, 1)))
	half := top / float64(max(rows-1, 1)) / 2
	return func(v float64) string {
		label := ""
		if near := math.Round(v/step) * step; math.Abs(v-near) < half-1e-9 || v == top || v == 0 {
			label = fmtShort(v)
			if math.Abs(v-near) < half-1e-9 {
				label = fmtShort(near)
			}
		}
		return fmt.Sprintf("%*s", width, label)
	}
}

// marksIn is the marks in range, newest first: when two collide, the
// newer one is the one the on-call just made.
func marksIn(snap *monitor.Snapshot, from, to time.Time) []placed {
	var out []placed
	for _, m := range slices.Backward(snap.Marks) {
		if m.At.Before(from) || m.At.After(to) {
			continue
		}
		out = append(out, placed{at: m.At, text: m.Label.String()})
	}
	return out
}

// placed is a label at an instant or a column.
type placed struct {
	at   time.Time
	col  int
	text string
	pin  bool // keep the first rune on col even at the right edge
}

// column maps an instant to the cell where asciigraph draws it: point i of
// cols is at leftPad-1+i.
func column(t, from, to time.Time, leftPad, cols int) int {
	f := float64(t.Sub(from)) / float64(to.Sub(from))
	return leftPad - 1 + clamp(int(f*float64(cols)), 0, cols-1)
}

// markLabels places "▼label" with the ▼ on the mark's column.
func markLabels(marks []placed, from, to time.Time, leftPad, cols int) []placed {
	for i := range marks {
		marks[i].col = column(marks[i].at, from, to, leftPad, cols)
		marks[i].text = "▼" + marks[i].text
		marks[i].pin = true
	}
	return marks
}

// markGlyph is a mark's column through the plot: dotted, so it is never
// read as a line of data.
const markGlyph = "┊"

// markColumns draws each placed mark as a dotted column through the plot
// rows, in the cells the lines leave empty: the data stays readable where
// a line crosses the mark.
func markColumns(rows []string, marks []placed, th theme) []string {
	if len(marks) == 0 {
		return rows
	}
	out := slices.Clone(rows)
	glyph := th.dim.Render(markGlyph)
	for i, row := range out {
		for _, mk := range marks {
			row = setEmptyCell(row, mk.col, glyph)
		}
		out[i] = row
	}
	return out
}

// setEmptyCell puts glyph in cell col of a styled row if that cell is
// blank (or past the row's end), keeping the styles around it.
func setEmptyCell(row string, col int, glyph string) string {
	w := ansi.StringWidth(row)
	if w <= col {
		return row + strings.Repeat(" ", col-w) + glyph
	}
	if ansi.Strip(ansi.Cut(row, col, col+1)) != " " {
		return row
	}
	return ansi.Truncate(row, col, "") + glyph + ansi.TruncateLeft(row, col+1, "")
}

// tickStep is the roundest spacing that leaves about ten cells per label.
func tickStep(rng time.Duration, cols, cellsPerLabel int) time.Duration {
	steps := []time.Duration{10 * time.Second, 15 * time.Second, 30 * time.Second, time.Minute,
		2 * time.Minute, 5 * time.Minute, 10 * time.Minute, 15 * time.Minute, 30 * time.Minute,
		time.Hour, 2 * time.Hour, 3 * time.Hour, 6 * time.Hour}
	for _, s := range steps {
		if int(rng/s) <= max(cols/cellsPerLabel, 1) {
			return s
		}
	}
	return steps[len(steps)-1]
}

// clockTicks labels round clock times in loc ("10:15 10:30 10:45"), for
// long ranges and for a window panned back into history, where "-2h" from
// a moment that is not now would mislead.
func clockTicks(from, to time.Time, leftPad, cols int, loc *time.Location) []placed {
	if loc == nil {
		loc = time.UTC
	}
	rng := to.Sub(from)
	layout := "15:04"
	cells := 10
	step := tickStep(rng, cols, cells)
	if step < time.Minute {
		layout, cells = "15:04:05", 13
		step = tickStep(rng, cols, cells)
	}
	_, off := to.In(loc).Zone()
	shift := time.Duration(off) * time.Second
	var ticks []placed
	for t := to.Add(shift).Truncate(step).Add(-shift); !t.Before(from); t = t.Add(-step) {
		ticks = append(ticks, placed{col: column(t, from, to, leftPad, cols), text: t.In(loc).Format(layout)})
	}
	return ticks
}

// timeTicks labels a few instants relative to now: "-5m … -1m now".
func timeTicks(from, to time.Time, leftPad, cols int) []placed {
	rng := to.Sub(from)
	step := tickStep(rng, cols, 10)
	var ticks []placed
	for d := time.Duration(0); d <= rng; d += step {
		text := "now"
		if d > 0 {
			text = "-" + fmtRange(d)
		}
		ticks = append(ticks, placed{col: column(to.Add(-d), from, to, leftPad, cols), text: text})
	}
	if last := ticks[len(ticks)-1]; last.text != "-"+fmtRange(rng) { // the range's start, if it fits
		ticks = append(ticks, placed{col: leftPad - 1, text: "-" + fmtRange(rng)})
	}
	return ticks // "now" first: it wins any overlap
}

// placeLabels writes each label starting at its column (or ending there
// when it would run off the right edge), dropping any that would overlap
// one already placed. With pin, the first rune stays on the column and the
// rest of an overflowing label goes to its left.
func placeLabels(items []placed, width int) string {
	row := []rune(strings.Repeat(" ", width))
	used := make([]bool, width)
	for _, it := range items {
		r := []rune(it.text)
		start := it.col
		if start+len(r) > width {
			if it.pin && len(r) > 1 {
				r = append(r[1:], r[0]) // "label▼" with ▼ on the column
			}
			start = it.col + 1 - len(r)
			if !it.pin {
				start = width - len(r)
			}
		}
		if start < 0 || start+len(r) > width {
			continue
		}
		free := true
		for i := max(start-1, 0); i < min(start+len(r)+1, width); i++ {
			free = free && !used[i]
		}
		if !free {
			continue
		}
		for i, c := range r {
			row[start+i], used[start+i] = c, true
		}
	}
	return strings.TrimRight(string(row), " ")
}
