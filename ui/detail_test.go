package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/stormwatch/stormwatch/monitor"
	"github.com/stormwatch/stormwatch/series"
	"github.com/stormwatch/stormwatch/sources"
	"github.com/stormwatch/stormwatch/text"
)

func ansiStrip(s string) string { return ansi.Strip(s) }

func TestDBStrip(t *testing.T) {
	tests := []struct {
		name   string
		series map[string]float64
		want   string
	}{
		{"no DB series means no strip", map[string]float64{"main.cpu": 3}, ""},
		{"a missing op type is a dash, never 0", map[string]float64{"db.ops.query": 3400, "db.ops.insert": 0},
			"ops/s ins 0 qry 3400 upd – del – getmore – cmd –"},
		{"connections are in use out of in use plus available", map[string]float64{
			"db.connections": 480, "db.connections.available": 339}, "conns 480/819 (59%)"},
		{"queues and latency keep their decimals below 100", map[string]float64{
			"db.queue.readers": 2, "db.latency.reads": 45.25, "db.latency.commands": 0.8},
			"queued r 2 w –  │  latency r 45.2 w – cmd 0.8 ms"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			snap := &monitor.Snapshot{Series: map[string]series.View{}}
			for k, v := range tt.series {
				snap.Series[k] = series.ViewOf(series.At(fixedNow, v))
			}
			if got := strings.Join(dbSegments(snap, ""), "  │  "); got != tt.want {
				t.Errorf("strip = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestDBStripShowsThePrimary(t *testing.T) {
	snap := &monitor.Snapshot{
		Series: map[string]series.View{
			"db.queue.readers@a:1": series.ViewOf(series.At(fixedNow, 1)),
			"db.queue.readers@b:1": series.ViewOf(series.At(fixedNow, 40)),
		},
		Sources: []monitor.SourceHealth{{Members: []sources.Member{{ID: "b:1", Role: "PRIMARY"}}}},
	}
	if got := strings.Join(dbSegments(snap, ""), ""); got != "queued r 40 w –" {
		t.Errorf("strip = %q, want the primary's 40", got)
	}
}

func TestTableHighlight(t *testing.T) {
	got := ansi.Strip(strings.Join(tableLines([]sources.Table{
		{Name: "slow ops", Columns: []sources.Column{{Title: "op", Kind: sources.Label}, {Title: "ms", Kind: sources.Count}},
			Rows: []sources.Row{sources.R(sources.Str("find"), sources.Num(4210)), sources.R(sources.Str("update"), sources.Num(80))}, Highlight: 1},
		{Name: "top clients", Note: text.Clean("needs clusterMonitor"), Highlight: -1},
	}, 40, newTheme(themeOptions{noColor: true})), "\n"))
	want := "slow ops\n  op        ms\n  find    4.2k\n▶ update    80\n\ntop clients\n  needs clusterMonitor"
	if got != want {
		t.Errorf("tables:\n%s\nwant:\n%s", got, want)
	}
}
