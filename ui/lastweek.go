package ui

import (
	"fmt"
	"math"

	"github.com/guptarohit/asciigraph"

	"github.com/stormwatch/stormwatch/series"
	"github.com/stormwatch/stormwatch/verdict"
)

// lastWeek is the week-ago copy of one of a panel's series, when the
// source fetched one (CloudWatch metrics marked LastWeek): drawn dim under
// this week's lines, with "x3.1 of last week" in the title.
type lastWeek struct {
	cols []float64
	x    float64 // this week's newest value over last week's at that time; 0 unknown
}

// findLastWeek looks for the week-ago copy of the panel's lines, the
// first that has one.
func findLastWeek(p Panel, g graphCtx, lines []graphLine, cols int) (lastWeek, bool) {
	for _, gl := range lines {
		name, member := series.SplitKey(gl.key)
		v, ok := g.snap.Series[series.Key(name+verdict.LastWeekSuffix, member)]
		if !ok {
			continue
		}
		lw := lastWeek{cols: series.Columns(v, g.from.UnixMilli(), g.to.UnixMilli()+1, cols, hold(v))}
		if p.Max > 0 {
			for j, x := range lw.cols {
				if !math.IsNaN(x) {
					lw.cols[j] = math.Max(0, math.Min(x, p.Max))
				}
			}
		}
		if gl.has {
			if last, ok := g.snap.Series[gl.key].Last(); ok {
				then, found := 0.0, false
				v.Each(last.T-hold(v)-1, last.T+1, func(pt series.Point) bool {
					then, found = pt.V, true
					return true
				})
				if found && then > 0 {
					lw.x = last.V / then
				}
			}
		}
		return lw, true
	}
	return lastWeek{}, false
}

// lastWeekNote is the title's "x3.1 of last week".
func lastWeekNote(x float64) string {
	if x <= 0 {
		return ""
	}
	if x < 10 {
		return fmt.Sprintf("x%.1f of last week", x)
	}
	return fmt.Sprintf("x%.0f of last week", x)
}

// plotWithLastWeek plots last week's line first, dim and dotted, so this
// week's lines draw over it.
func plotWithLastWeek(p Panel, lines []graphLine, lw lastWeek, rows int, top float64, format func(float64) string, th theme) string {
	data := [][]float64{lw.cols}
	colors := []asciigraph.AnsiColor{lastWeekColor(th)}
	chars := []asciigraph.CharSet{asciigraph.CreateCharSet("·")}
	for i, gl := range lines {
		c, cs := lineStyle(p, i, th)
		data, colors, chars = append(data, gl.cols), append(colors, c), append(chars, cs)
	}
	return plotMany(data, colors, chars, rows, top, format, th)
}

// lastWeekColor is last week's line: dim grey, or the terminal's own
// colour without colours (the dots tell it apart).
func lastWeekColor(th theme) asciigraph.AnsiColor {
	if th.noColor {
		return asciigraph.Default
	}
	return asciigraph.DarkGray
}

// overlayLastWeek is the columns of the week-ago copy of an overlay
// line's series (key), when the line wants one and a source fetched it.
func overlayLastWeek(ol overlayLine, g graphCtx, key string, cols int) ([]float64, bool) {
	if !ol.lastWeek {
		return nil, false
	}
	name, member := series.SplitKey(key)
	v, ok := g.snap.Series[series.Key(name+verdict.LastWeekSuffix, member)]
	if !ok {
		return nil, false
	}
	return series.Columns(v, g.from.UnixMilli(), g.to.UnixMilli()+1, cols, hold(v)), true
}
