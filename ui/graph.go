package ui

import (
	"math"
	"slices"
	"strings"
	"time"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/guptarohit/asciigraph"

	"github.com/stormwatch/stormwatch/monitor"
	"github.com/stormwatch/stormwatch/series"
	"github.com/stormwatch/stormwatch/sources/catalog"
)

// Panel is one graph: every series key matching one of Series is a line.
type Panel struct {
	Title  string
	Series []string // series names such as "main.cpu"; a name matches every member key
	Color  string   // "blue", "red", "green", "yellow", "magenta", "cyan"
	Unit   string
	Max    float64 // 0 = automatic axis; 100 for CPU
	// Missing, when set, is why the panel can have no data (no configured
	// source sends its series): said instead of "no data yet".
	Missing string
}

// DefaultPanels are the two CPU graphs every deployment has.
func DefaultPanels() []Panel {
	return []Panel{
		// MainCPUMax is the hottest instance of an Auto Scaling group
		// (main: {asg: NAME}), drawn with the group's average.
		{Title: "API server CPU (main)", Series: []string{catalog.MainCPU, catalog.MainCPUMax}, Color: "blue", Unit: "%", Max: 100},
		// db.cpu is the mongod process from serverStatus (one line per
		// member); db.host.cpu is the instance from CloudWatch, for teams that
		// watch the DB host without a MongoDB source.
		{Title: "DB server CPU", Series: []string{catalog.DB(catalog.CPU), catalog.DBHostCPU, catalog.DBHostCPUMax}, Color: "red", Unit: "%", Max: 100},
	}
}

// graphLine is one member's reduced data.
type graphLine struct {
	key    string
	member string
	role   string
	shard  string
	cols   []float64
	last   float64
	has    bool // whether the series has any point at all
	// lastWeek is "x3.1 of last week" for the title (lastweek.go).
	lastWeek string
}

// panelKeys returns the keys a panel draws, primary member first; with a
// member filter, only that member's (or that shard's) keys and keys without
// a member.
func panelKeys(p Panel, snap *monitor.Snapshot, member string) []string {
	roles := memberRoles(snap)
	shards := memberShards(snap)
	var keys []string
	for k := range snap.Series {
		name, m := series.SplitKey(k)
		if member != "" && m != "" && m != member && shards[m] != member {
			continue
		}
		for _, pat := range p.Series {
			if (pat == name || pat == k) && series.Matches(pat, k) { // the first test is the cheap one
				keys = append(keys, k)
				break
			}
		}
	}
	// Primaries first, then by key; the primaries are known before the
	// sort rather than looked up in each of its comparisons.
	primary := 0
	for i, k := range keys {
		if roles[memberOf(k)] == "PRIMARY" {
			keys[primary], keys[i] = keys[i], keys[primary]
			primary++
		}
	}
	slices.Sort(keys[:primary])
	slices.Sort(keys[primary:])
	return keys
}

func memberOf(key string) string {
	_, m := series.SplitKey(key)
	return m
}

// memberRoles maps member IDs to their role across all sources.
func memberRoles(snap *monitor.Snapshot) map[string]string {
	roles := map[string]string{}
	for _, s := range snap.Sources {
		for _, m := range s.Members {
			roles[m.ID] = m.Role
		}
	}
	return roles
}

// hold is how long a point stands for the columns after it: twice the
// series' usual spacing, so a 60 s series drawn at 4 s per column is a
// line and not a row of dots, while a real outage still shows as a gap.
// The usual spacing is the median of the newest few, not the newest one:
// the first point after an outage must not make the outage look held.
func hold(v series.View) int64 {
	return 2 * series.Spacing(v.Tail(9))
}

// reduce turns each key into one value per column over [from, to].
func reduce(p Panel, snap *monitor.Snapshot, keys []string, from, to time.Time, cols int) []graphLine {
	roles, shards := memberRoles(snap), memberShards(snap)
	lines := make([]graphLine, 0, len(keys))
	for _, k := range keys {
		v, mem := snap.Series[k], memberOf(k)
		gl := graphLine{key: k, member: mem, role: roles[mem], shard: shards[mem]}
		gl.cols = series.Columns(v, from.UnixMilli(), to.UnixMilli()+1, cols, hold(v))
		if p.Max > 0 {
			for i, x := range gl.cols { // keep the fixed axis fixed; a gap (NaN) stays a gap
				switch {
				case x <= 0:
					gl.cols[i] = 0
				case x > p.Max:
					gl.cols[i] = p.Max
				}
			}
		}
		if last, ok := v.Last(); ok {
			gl.last, gl.has = last.V, true
		}
		lines = append(lines, gl)
	}
	return lines
}

// graphCtx is what every graph on a screen shares.
type graphCtx struct {
	snap     *monitor.Snapshot
	from, to time.Time
	th       theme
	member   string         // "" = every member
	relative bool           // ticks as "-5m … now" rather than clock times
	loc      *time.Location // for clock-time ticks
}

// renderGraph draws panel p as a bordered box of exactly w×h cells.
func renderGraph(p Panel, g graphCtx, w, h int, focused bool) string {
	body, lines := graphBody(p, g, w-2, h-2)
	return titleBar(p, lines, w, g.th, focused) + "\n" + boxed(p, body, w, g.th)
}

// boxed draws the sides and bottom of a graph box around body.
func boxed(p Panel, body []string, w int, th theme) string {
	box := lipgloss.NewStyle().Border(lipgloss.RoundedBorder(), false, true, true, true).Width(w)
	if c := th.color(p.Color); c != nil {
		box = box.BorderForeground(c)
	}
	if s, ok := sides(box, body, w); ok {
		return s
	}
	return box.Render(strings.Join(body, "\n"))
}

// sides draws what box.Render draws around body when every row is narrow
// and fits, without lipgloss measuring, wrapping and padding each row
// again (a fifth of a 250x70 frame): it takes the styled sides and bottom
// from lipgloss once, for a blank row, and pads each row with spaces the
// way lipgloss does. Any other row: false, and the caller asks lipgloss.
func sides(box lipgloss.Style, body []string, w int) (string, bool) {
	iw := w - 2
	if iw < 1 {
		return "", false
	}
	if len(body) == 0 {
		body = []string{""}
	}
	var b strings.Builder
	pads := make([]int, len(body))
	for i, row := range body {
		n, ok := narrowWidth(row)
		if !ok || n > iw {
			return "", false
		}
		pads[i] = iw - n
	}
	blank := box.Render(strings.Repeat(" ", iw))
	first, bottom, _ := strings.Cut(blank, "\n")
	left, right := first[:strings.IndexByte(first, ' ')], first[strings.LastIndexByte(first, ' ')+1:]
	b.Grow(len(body)*(len(left)+len(right)+iw+8) + len(bottom))
	for i, row := range body {
		b.WriteString(left)
		b.WriteString(row)
		for range pads[i] {
			b.WriteByte(' ')
		}
		b.WriteString(right)
		b.WriteByte('\n')
	}
	b.WriteString(bottom)
	return b.String(), true
}

// graphBody is the inside of a graph box: iw×ih cells of plot, marks and
// time axis.
func graphBody(p Panel, g graphCtx, iw, ih int) ([]string, []graphLine) {
	keys := panelKeys(p, g.snap, g.member)
	axisTop, labelW := yAxis(p, g.snap, keys, g.from, g.to)
	var lines []graphLine
	leftPad := 2 + labelW // asciigraph Offset(2) + the label
	body := timeFrame(g, iw, ih, leftPad, func(rows, cols int) []string {
		lines = reduce(p, g.snap, keys, g.from, g.to, cols)
		if !anyFinite(lines) || rows < 2 {
			return nil
		}
		if isFleet(lines) {
			hot, rest := splitFleet(lines)
			b := makeBand(lines, rest)
			lines = append(hot, rest...)
			return strings.Split(fleetPlot(p, hot, b, rows, axisTop, yLabels(axisTop, rows, labelW), leftPad, g.th), "\n")
		}
		if lw, ok := findLastWeek(p, g, lines, cols); ok {
			lines[0].lastWeek = lastWeekNote(lw.x)
			return strings.Split(plotWithLastWeek(p, lines, lw, rows, axisTop, yLabels(axisTop, rows, labelW), g.th), "\n")
		}
		return strings.Split(plot(p, lines, rows, axisTop, yLabels(axisTop, rows, labelW), g.th), "\n")
	}, panelEmpty(p, g, len(keys) > 0))
	return body, lines
}

// panelEmpty is what panel p says without points: why, when no source
// can send its series, else emptyMessage.
func panelEmpty(p Panel, g graphCtx, anySeries bool) string {
	if !anySeries && p.Missing != "" {
		return p.Missing
	}
	return emptyMessage(g, anySeries)
}

// emptyMessage is what a graph without points in its window says.
func emptyMessage(g graphCtx, anySeries bool) string {
	switch {
	case !anySeries:
		return "no data yet"
	case !g.relative:
		return "no data in this window"
	}
	return "no data in the last " + fmtRange(g.to.Sub(g.from))
}

// timeFrame lays out what every graph shares below and across its plot:
// the marks, as a dotted column through the plot and a "▼label" row (or on
// the time axis row when the graph is short), and the time axis. draw
// returns the plot's rows for rows×cols, or nil when there is nothing to
// draw; leftPad is the cells left of the first column.
func timeFrame(g graphCtx, iw, ih, leftPad int, draw func(rows, cols int) []string, empty string) []string {
	marks := marksIn(g.snap, g.from, g.to)
	plotRows := ih - 1                         // the time axis
	markLine := len(marks) > 0 && plotRows > 5 // else the marks share the time axis row
	if markLine {
		plotRows--
	}
	cols := max(iw-leftPad+1, 2)
	body := draw(plotRows, cols)
	marks = markLabels(marks, g.from, g.to, leftPad, cols)
	if body != nil {
		body = markColumns(body, marks, g.th)
	} else if plotRows > 0 {
		body = make([]string, plotRows)
		body[plotRows/2] = center(g.th.dim.Render(empty), iw)
	}
	body = fitLines(body, max(plotRows, 0), iw)
	if markLine {
		body = append(body, placeLabels(marks, iw))
		marks = nil
	}
	ticks := timeTicks(g.from, g.to, leftPad, cols)
	if !g.relative {
		ticks = clockTicks(g.from, g.to, leftPad, cols, g.loc)
	}
	return fitLines(append(body, placeLabels(append(marks, ticks...), iw)), ih, iw)
}

func plot(p Panel, lines []graphLine, rows int, top float64, format func(float64) string, th theme) string {
	data := make([][]float64, len(lines))
	colors := make([]asciigraph.AnsiColor, len(lines))
	chars := make([]asciigraph.CharSet, len(lines))
	for i, gl := range lines {
		data[i] = gl.cols
		colors[i], chars[i] = lineStyle(p, i, th)
	}
	return plotMany(data, colors, chars, rows, top, format, th)
}

// lineStyle is how a panel's line i is drawn: its colour and its glyphs
// (the primary in ASCII glyphs where the terminal lacks box drawing). The
// graph, the fleet band and last week's comparison all draw lines by it.
func lineStyle(p Panel, i int, th theme) (asciigraph.AnsiColor, asciigraph.CharSet) {
	cs := lineChars(i)
	if i == 0 && th.ascii {
		cs = asciiCurve
	}
	return th.graphColor(lineColor(p, i)), cs
}

// lineColor: the first (primary) member in the panel's colour, others in
// the member palette.
func lineColor(p Panel, i int) string {
	if i == 0 {
		return p.Color
	}
	return memberColors[(i-1)%len(memberColors)]
}

// lineChars: later members are dotted so they stay apart without colour.
func lineChars(i int) asciigraph.CharSet {
	switch i {
	case 0:
		return asciigraph.DefaultCharSet
	case 1:
		return asciigraph.CreateCharSet("•")
	}
	return asciigraph.CreateCharSet("∙")
}

func lineGlyph(i int) string {
	switch i {
	case 0:
		return "─"
	case 1:
		return "•"
	}
	return "∙"
}

// titleBar is the top border with the title, the current value and, for
// several members, a legend.
func titleBar(p Panel, lines []graphLine, w int, th theme, focused bool) string {
	cur := "–"
	if len(lines) > 0 && lines[0].has {
		cur = fmtValue(lines[0].last) + withUnit(p.Unit)
	}
	text := th.bold.Render(cur)
	if len(lines) > 0 && lines[0].lastWeek != "" {
		text += "  " + th.dim.Render(lines[0].lastWeek)
	}
	switch {
	case isFleet(lines):
		text += "  " + fleetLegend(p, lines, th)
	case len(lines) > 1:
		var legend []string
		names := shortMembers(lines)
		for i, gl := range lines {
			name := names[i]
			if name == "" { // a group's average and maximum: no member
				name, _ = series.SplitKey(gl.key)
			}
			if gl.role == "PRIMARY" {
				name += " (P)"
			}
			legend = append(legend, th.fg(lineColor(p, i), lineGlyph(i)+" "+name))
		}
		text += "  " + strings.Join(legend, "  ")
	}
	return topBorder(p, text, w, th, focused)
}

// topBorder is a graph box's top border: the title and then text.
func topBorder(p Panel, text string, w int, th theme, focused bool) string {
	title := th.bold.Render(p.Title)
	if focused {
		title = th.selected.Render("▶ " + p.Title)
	}
	text = " " + title + "  " + text + " "
	text = fit(text, w-4, "…")
	fill := max(w-3-ansi.StringWidth(text), 0)
	return th.fg(p.Color, "╭─") + text + th.fg(p.Color, strings.Repeat("─", fill)+"╮")
}

// withUnit spaces a unit the way it is read: "97.3%" but "45.2 ms".
func withUnit(u string) string {
	if u == "" || u == "%" {
		return u
	}
	return " " + u
}

// shortMembers drops a port every member shares: "mongo-1 (P)" fits
// where "mongo-1:27017 (P)" does not.
func shortMembers(lines []graphLine) []string {
	names := make([]string, len(lines))
	port := ""
	for i, gl := range lines {
		host, p, ok := strings.Cut(gl.member, ":")
		if !ok || (i > 0 && p != port) {
			for j, gl := range lines {
				names[j] = gl.member
			}
			return names
		}
		names[i], port = host, p
	}
	return names
}

func anyFinite(lines []graphLine) bool {
	for _, gl := range lines {
		for _, v := range gl.cols {
			if !math.IsNaN(v) {
				return true
			}
		}
	}
	return false
}

// fitLines makes exactly n lines of at most w cells.
func fitLines(lines []string, n, w int) []string {
	out := make([]string, n)
	for i := range out {
		if i < len(lines) {
			out[i] = fit(lines[i], w, "")
		}
	}
	return out
}

func center(s string, w int) string {
	pad := max((w-ansi.StringWidth(s))/2, 0)
	return strings.Repeat(" ", pad) + s
}
