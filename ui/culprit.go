package ui

import (
	"slices"
	"strings"

	"github.com/stormwatch/stormwatch/sources"
)

// culpritLine is the one line that names who and what while an alert
// fires, read off the culprit tables: "culprit: server-c 71% of active ops
// · COLLSCAN cctv.events". The tables themselves need room a small
// terminal does not have; this line fits every size that is not too
// small. "" when no table names anyone.
func culpritLine(tables []sources.Table) string {
	var parts []string
	if t, row, ok := highlighted(tables, "top clients"); ok {
		who := cell(t, row, "app")
		if share := cell(t, row, "share"); who != "" && share != "" {
			who += " " + share + " of active ops"
		}
		if who != "" {
			parts = append(parts, who)
		}
	}
	if t, row, ok := highlighted(tables, "slow ops"); ok {
		// A collection scan is the finding; otherwise the slowest op.
		what := "COLLSCAN " + cell(t, row, "ns")
		if cell(t, row, "plan") != "COLLSCAN" {
			what = "slowest " + strings.TrimSpace(cell(t, row, "op")+" "+cell(t, row, "ns"))
			if secs := cell(t, row, "secs"); secs != "" {
				what += " " + secs
			}
		}
		if what != "" {
			parts = append(parts, what)
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return "culprit: " + strings.Join(parts, " · ")
}

// highlighted is the row a table draws attention to; a table that points
// at none names no culprit.
func highlighted(tables []sources.Table, name string) (sources.Table, sources.Row, bool) {
	for _, t := range tables {
		if t.Name == name && t.Highlight >= 0 && t.Highlight < len(t.Rows) {
			return t, t.Rows[t.Highlight], true
		}
	}
	return sources.Table{}, sources.Row{}, false
}

func cell(t sources.Table, row sources.Row, col string) string {
	i := slices.IndexFunc(t.Columns, func(c sources.Column) bool { return c.Title == col })
	if i < 0 || i >= len(row.Cells) {
		return ""
	}
	return strings.TrimSpace(cellText(t.Columns[i].Kind, row.Cells[i]))
}
