package ui

import (
	"math"
	"slices"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/guptarohit/asciigraph"
)

// A graph with many members (a sharded cluster: 51 servers) cannot draw a
// line each: 51 lines in 50 columns are noise. Past fleetAbove members it
// draws the fleetHot hottest as lines, the rest as a min-max band with its
// median, and a ◆ at the current value of each shard's primary.
const (
	fleetAbove = 4
	fleetHot   = 3
	// recentCols is how many of the newest columns rank the members:
	// whoever is hot now, not whoever spiked ten minutes ago, without a
	// reshuffle on every one-second wobble.
	recentCols = 8
)

// Glyphs of the fleet graph.
const (
	bandGlyph    = "░"
	medianGlyph  = "┄"
	primaryGlyph = "◆"
)

// band is the members not drawn as lines, per column.
type band struct {
	lo, hi, med []float64
	n           int // members in the band
	primaries   []float64
}

// isFleet says whether a panel with these lines draws the band.
func isFleet(lines []graphLine) bool { return len(lines) > fleetAbove }

// splitFleet orders lines hottest first and cuts after fleetHot.
func splitFleet(lines []graphLine) (hot, rest []graphLine) {
	// recent once per line rather than in each comparison; keys are unique,
	// so the order is total and the sort need not be stable.
	type ranked struct {
		recent float64
		i      int
	}
	rs := make([]ranked, len(lines))
	for i, gl := range lines {
		rs[i] = ranked{recent(gl.cols), i}
	}
	slices.SortFunc(rs, func(a, b ranked) int {
		switch {
		case a.recent > b.recent:
			return -1
		case a.recent < b.recent:
			return 1
		}
		return strings.Compare(lines[a.i].key, lines[b.i].key)
	})
	sorted := make([]graphLine, len(rs))
	for i, r := range rs {
		sorted[i] = lines[r.i]
	}
	n := min(fleetHot, len(sorted))
	return sorted[:n], sorted[n:]
}

// recent is the mean of the newest finite columns; -1 when there are none,
// so a member with no data never ranks as hot.
func recent(cols []float64) float64 {
	sum, n := 0.0, 0
	for i := len(cols) - 1; i >= 0 && n < recentCols; i-- {
		if !math.IsNaN(cols[i]) {
			sum += cols[i]
			n++
		}
	}
	if n == 0 {
		return -1
	}
	return sum / float64(n)
}

// makeBand reduces the rest to min, max and median per column, and notes
// where each shard primary among all lines stands now.
func makeBand(all, rest []graphLine) band {
	b := band{n: len(rest)}
	if len(rest) == 0 {
		return b
	}
	cols := len(rest[0].cols)
	b.lo, b.hi, b.med = make([]float64, cols), make([]float64, cols), make([]float64, cols)
	// Column by column, each column's values side by side: one pass over
	// each line fills them, then min, max and median read memory in order.
	n := len(rest)
	byCol := make([]float64, cols*n)
	count := make([]int, cols)
	for _, gl := range rest {
		for c, v := range gl.cols[:min(cols, len(gl.cols))] {
			if !math.IsNaN(v) {
				byCol[c*n+count[c]] = v
				count[c]++
			}
		}
	}
	for c := 0; c < cols; c++ {
		vals := byCol[c*n : c*n+count[c]]
		if len(vals) == 0 {
			b.lo[c], b.hi[c], b.med[c] = math.NaN(), math.NaN(), math.NaN()
			continue
		}
		lo, hi := vals[0], vals[0]
		for _, v := range vals[1:] {
			if v < lo {
				lo = v
			}
			if v > hi {
				hi = v
			}
		}
		b.lo[c], b.hi[c] = lo, hi
		b.med[c] = median(vals)
	}
	for _, gl := range all {
		if gl.role == "PRIMARY" && gl.shard != "" {
			if v, ok := lastFinite(gl.cols); ok {
				b.primaries = append(b.primaries, v)
			}
		}
	}
	return b
}

func lastFinite(cols []float64) (float64, bool) {
	if n := len(cols); n > 0 && !math.IsNaN(cols[n-1]) {
		return cols[n-1], true
	}
	return 0, false
}

// fleetPlot draws the hottest lines and the band's median with asciigraph,
// then the primaries' ◆ in the newest column and the band's ░ in the cells
// the lines leave empty. leftPad is the cells left of the first column.
func fleetPlot(p Panel, hot []graphLine, b band, rows int, top float64, format func(float64) string, leftPad int, th theme) string {
	data := make([][]float64, 0, len(hot)+1)
	colors := make([]asciigraph.AnsiColor, 0, len(hot)+1)
	chars := make([]asciigraph.CharSet, 0, len(hot)+1)
	for i, gl := range hot {
		c, cs := lineStyle(p, i, th)
		data, colors, chars = append(data, gl.cols), append(colors, c), append(chars, cs)
	}
	if b.n > 0 {
		data = append(data, b.med)
		colors = append(colors, asciigraph.Default)
		chars = append(chars, asciigraph.CreateCharSet(medianGlyph))
	}
	out := strings.Split(plotMany(data, colors, chars, rows, top, format, th), "\n")
	if top <= 0 {
		return strings.Join(out, "\n")
	}
	row := func(v float64) int {
		return clamp(rows-1-int(math.Round(v*float64(rows-1)/top)), 0, rows-1)
	}
	cols := len(hot[0].cols)
	last := leftPad - 1 + cols - 1
	primary := make([]bool, rows)
	for _, v := range b.primaries {
		primary[row(v)] = true
	}
	mark, shade := th.fg(p.Color, primaryGlyph), th.dim.Render(bandGlyph)
	for r := range out {
		if r >= rows {
			break
		}
		out[r] = fillBlanks(out[r], last, func(col int) string {
			c := col - leftPad + 1
			switch {
			case col == last && primary[r]:
				return mark
			case c < 0 || c >= len(b.lo) || math.IsNaN(b.lo[c]):
				return ""
			case r >= row(b.hi[c]) && r <= row(b.lo[c]):
				return shade
			}
			return ""
		})
	}
	return strings.Join(out, "\n")
}

// fillBlanks puts glyphAt(col) into each blank cell of a styled row that
// asks for one, up to cell upto, in one pass (ansi.Cut per cell is both
// slow and confused by adjacent styled cells).
func fillBlanks(row string, upto int, glyphAt func(col int) string) string {
	var b strings.Builder
	b.Grow(len(row) + 16)
	col := 0
	var state byte
	for len(row) > 0 {
		seq, width, n, next := ansi.DecodeSequence(row, state, nil)
		state = next
		row = row[n:]
		if width > 0 && seq == " " {
			if g := glyphAt(col); g != "" {
				seq = g
			}
		}
		b.WriteString(seq)
		col += width
	}
	for ; col <= upto; col++ {
		g := glyphAt(col)
		if g == "" {
			g = " "
		}
		b.WriteString(g)
	}
	return b.String()
}

// median of vals (reordered in place) in linear time: sorting 500 values
// in each of 250 columns was a fifth of a fleet frame.
func median(vals []float64) float64 {
	n := len(vals)
	hi := nth(vals, n/2)
	if n%2 == 1 {
		return hi
	}
	return (slices.Max(vals[:n/2]) + hi) / 2 // nth left the smaller half first
}

// nth puts the k-th smallest value at vals[k], the smaller before it, and
// returns it (Hoare's selection, middle pivot).
func nth(vals []float64, k int) float64 {
	lo, hi := 0, len(vals)-1
	for lo < hi {
		p := vals[lo+(hi-lo)/2]
		i, j := lo, hi
		for i <= j {
			for vals[i] < p {
				i++
			}
			for vals[j] > p {
				j--
			}
			if i <= j {
				vals[i], vals[j] = vals[j], vals[i]
				i++
				j--
			}
		}
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return vals[k]
		}
	}
	return vals[k]
}
