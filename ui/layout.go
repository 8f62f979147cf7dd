package ui

// Screen geometry, kept apart from rendering so it can be table-tested
// without building a snapshot.

const (
	minWidth        = 60  // below this the dashboard says it is too small
	minHeight       = 15  //
	sideBySideWidth = 100 // the two CPU graphs sit side by side from here
	chromeLines     = 4   // header, banner, status line, footer
	minGraphH       = 6   // border, title, axis and at least 3 plot rows
	maxStackedH     = 14  // a stacked graph taller than this starves the alerts
	maxGraphH       = 24
	maxAlertRows    = 3 // alert rows guaranteed before the graphs grow
	tablesWidth     = 120
)

// needs is what the current snapshot wants room for.
type needs struct {
	DBLines    int // lines of the DB detail strip at this width (0 = no DB series)
	AlertRows  int // alert and alarm rows
	TableLines int // lines all tables need (0 = no tables)
	Verdict    int // lines of the verdict under the banner (0 = none)
}

// layout is where each part of the screen goes. Heights are in lines,
// widths in cells; a graph's size includes its border.
type layout struct {
	Width, Height int
	TooSmall      bool

	SideBySide bool
	GraphW     [2]int
	GraphH     int // height of each graph box

	DBLines int

	AlertsW, AlertsH int
	// TablesW/TablesH are zero when there is no room for the tables. They
	// sit beside the alerts on wide screens and below them on tall ones.
	TablesW, TablesH int
	TablesBelow      bool
}

func computeLayout(w, h int, n needs) layout {
	l := layout{Width: w, Height: h}
	if w < minWidth || h < minHeight {
		l.TooSmall = true
		return l
	}
	l.DBLines = n.DBLines
	alertsMin := 1 + clamp(n.AlertRows, 1, maxAlertRows) // title + rows (or "no alerts")
	body := func() int { return h - chromeLines - n.Verdict - l.DBLines }

	graphs := 0
	if w < sideBySideWidth {
		gh := min((body()-alertsMin)/2, maxStackedH)
		if gh < minGraphH && l.DBLines > 0 {
			l.DBLines = 0 // the graphs matter more than the strip
			gh = min((body()-alertsMin)/2, maxStackedH)
		}
		if gh >= minGraphH {
			l.GraphW = [2]int{w, w}
			l.GraphH = gh
			graphs = 2 * gh
		}
	}
	if graphs == 0 { // wide enough, or too short to stack
		l.SideBySide = true
		gh := min(body()*3/5, body()-alertsMin, maxGraphH)
		if gh < minGraphH && l.DBLines > 0 {
			l.DBLines = 0
			gh = min(body()*3/5, body()-alertsMin, maxGraphH)
		}
		l.GraphW = [2]int{w / 2, w - w/2}
		l.GraphH = max(gh, minGraphH)
		graphs = l.GraphH
	}

	bottom := max(body()-graphs, 0)
	l.AlertsW, l.AlertsH = w, bottom
	if n.TableLines == 0 || bottom < 4 {
		return l
	}
	alertsWant := 1 + max(n.AlertRows, 1)
	switch {
	case w >= tablesWidth:
		l.AlertsW = w * 55 / 100
		l.TablesW, l.TablesH = w-l.AlertsW, bottom
	case bottom >= alertsWant+4:
		l.AlertsH = alertsWant
		l.TablesW, l.TablesH, l.TablesBelow = w, bottom-alertsWant, true
	}
	return l
}

func clamp(v, lo, hi int) int {
	return max(lo, min(v, hi))
}
