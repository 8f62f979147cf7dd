package ui

import (
	"regexp"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/stormwatch/stormwatch/sources"
	"github.com/stormwatch/stormwatch/text/texttest"
)

func TestCellFormats(t *testing.T) {
	for _, tc := range []struct {
		k    sources.Kind
		c    sources.Cell
		want string
	}{
		{sources.Count, sources.Num(0), "0"}, {sources.Count, sources.Num(999), "999"}, {sources.Count, sources.Num(3400), "3.4k"},
		{sources.Count, sources.Num(96_000), "96k"}, {sources.Count, sources.Num(820_400), "820k"}, {sources.Count, sources.Num(3_700_000), "3.7M"},
		{sources.Count, sources.Num(3_000_000), "3M"}, {sources.Count, sources.Num(41_000_000), "41M"}, {sources.Count, sources.Num(2.5e9), "2.5G"},
		{sources.Bytes, sources.Num(0), "0B"}, {sources.Bytes, sources.Num(999), "999B"}, {sources.Bytes, sources.Num(310e6), "310MB"},
		{sources.Bytes, sources.Num(41.2e9), "41.2GB"}, {sources.Bytes, sources.Num(2.1e9), "2.1GB"}, {sources.Bytes, sources.Num(2e12), "2TB"},
		{sources.PerHour, sources.Num(52_000), "+52k"}, {sources.PerHour, sources.Num(-120), "-120"}, {sources.PerHour, sources.Num(0.4), "0"},
		{sources.Seconds, sources.NoValue(), "–"}, {sources.Seconds, sources.Num(0.05), "0.05s"}, {sources.Seconds, sources.Num(0.004), "<0.01s"},
		{sources.Seconds, sources.Num(0.1), "0.1s"}, {sources.Seconds, sources.Num(9.94), "9.9s"}, {sources.Seconds, sources.Num(27.9), "27s"},
		{sources.Seconds, sources.Num(131.4), "2m11s"},
		{sources.Percent, sources.Num(70.8), "71%"}, {sources.Percent, sources.Num(0), "0%"},
		{sources.MsPerSec, sources.Num(0), "0"}, {sources.MsPerSec, sources.Num(2.25), "2.2"}, {sources.MsPerSec, sources.Num(50), "50"},
		{sources.Name, sources.Str("a\x1bb"), `a\x1bb`},
		{sources.Count, sources.Str("180"), "180"}, // a recording from before typed rows
	} {
		if got := cellText(tc.k, tc.c); got != tc.want {
			t.Errorf("cellText(%d, %+v) = %q, want %q", tc.k, tc.c, got, tc.want)
		}
	}
}

// hostileTable is a top-clients table whose app names are the hostile
// corpus, each with numbers that must stay on screen.
func hostileTable() sources.Table {
	t := sources.Table{Name: "top clients", Highlight: 0, Columns: []sources.Column{{Title: "app", Kind: sources.Name},
		{Title: "conns", Kind: sources.Count}, {Title: "active", Kind: sources.Count}, {Title: "longest", Kind: sources.Seconds},
		{Title: "share", Kind: sources.Percent}}}
	for _, e := range texttest.Corpus() {
		t.Rows = append(t.Rows, sources.R(sources.Str(e.Text), sources.Num(180), sources.Num(34), sources.Num(27), sources.Num(71)))
	}
	return t
}

var numbersAtEnd = regexp.MustCompile(`180 +34 +27s +71%$`)

func TestTablesKeepTheirNumbersWhateverTheNames(t *testing.T) {
	th := newTheme(themeOptions{noColor: true})
	for _, w := range []int{30, 40, 54, 78, 118, 250} {
		lines := tableLines([]sources.Table{hostileTable()}, w, th)
		for i := range lines {
			lines[i] = ansi.Strip(lines[i])
		}
		out := strings.Join(lines, "\n")
		if l := texttest.Leaks([]byte(out), true); len(l) > 0 {
			t.Errorf("width %d: %s reaches the screen raw (%q)", w, l[0].Class, l[0].Raw)
		}
		for _, line := range lines[2:] {
			if got := ansi.StringWidth(line); got > w {
				t.Errorf("width %d: a %d-cell line %q", w, got, line)
			}
			if !numbersAtEnd.MatchString(line) {
				t.Errorf("width %d: the numbers are not whole at the end of %q", w, line)
			}
		}
		if !strings.Contains(out, "LONG-NA") || !strings.Contains(out, "…") {
			t.Errorf("width %d: the long name is not shown cut with a mark:\n%s", w, out)
		}
		if w >= 118 && strings.Count(lines[len(lines)-1], "a") > w/2 {
			t.Errorf("width %d: the long name takes more than half the width: %q", w, lines[len(lines)-1])
		}
	}
}

func TestTextColumnsGoBeforeNumbers(t *testing.T) {
	tbl := sources.Table{Name: "slow ops", Highlight: -1, Columns: []sources.Column{{Title: "ns", Kind: sources.Name},
		{Title: "op", Kind: sources.Label}, {Title: "plan", Kind: sources.Label}, {Title: "secs", Kind: sources.Seconds},
		{Title: "app", Kind: sources.Name}}, Rows: []sources.Row{sources.R(sources.Str(strings.Repeat("n", 60)), sources.Str("query"),
		sources.Str("COLLSCAN"), sources.Num(28), sources.Str(strings.Repeat("p", 60)))}}
	lines := tableLines([]sources.Table{tbl}, 30, newTheme(themeOptions{noColor: true}))
	row := ansi.Strip(lines[2])
	if !strings.Contains(row, "28s") || ansi.StringWidth(row) > 30 {
		t.Errorf("at 30 columns the seconds are lost: %q", row)
	}
	if strings.Contains(row, "ppp") {
		t.Errorf("the trailing name column should go first: %q", row)
	}
}
