package ui

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stormwatch/stormwatch/monitor"
	"github.com/stormwatch/stormwatch/series"
	"github.com/stormwatch/stormwatch/sources"
)

func TestReduceHoldsSparseSeriesButShowsRealGaps(t *testing.T) {
	var pts []series.Point
	for age := 300; age >= 0; age -= 60 { // a CloudWatch-style 60 s series
		if age == 120 {
			continue // one missing minute is not a gap yet: hold is 2 spacings
		}
		pts = append(pts, series.At(fixedNow.Add(-time.Duration(age)*time.Second), 50))
	}
	snap := &monitor.Snapshot{Series: map[string]series.View{"main.cpu": series.ViewOf(pts...)}}
	p := Panel{Series: []string{"main.cpu"}, Max: 100}
	lines := reduce(p, snap, panelKeys(p, snap, ""), fixedNow.Add(-5*time.Minute), fixedNow, 75)
	for i, v := range lines[0].cols {
		if math.IsNaN(v) {
			t.Fatalf("column %d is a gap in a 60 s series with one late point: %v", i, lines[0].cols)
		}
	}

	gap := &monitor.Snapshot{Series: map[string]series.View{"main.cpu": series.ViewOf(
		series.At(fixedNow.Add(-300*time.Second), 50),
		series.At(fixedNow.Add(-299*time.Second), 50),
		series.At(fixedNow.Add(-1*time.Second), 50),
	)}}
	lines = reduce(p, gap, panelKeys(p, gap, ""), fixedNow.Add(-5*time.Minute), fixedNow, 75)
	if !math.IsNaN(lines[0].cols[37]) {
		t.Errorf("a 5-minute silence in a 1 s series is drawn as data: %v", lines[0].cols)
	}
}

func TestReduceClampsToTheFixedAxis(t *testing.T) {
	snap := &monitor.Snapshot{Series: map[string]series.View{"db.cpu": series.ViewOf(series.At(fixedNow, 140))}}
	p := Panel{Series: []string{"db.cpu"}, Max: 100}
	lines := reduce(p, snap, []string{"db.cpu"}, fixedNow.Add(-time.Minute), fixedNow, 10)
	if got := lines[0].cols[9]; got != 100 {
		t.Errorf("last column = %v, want 100 (clamped)", got)
	}
	if lines[0].last != 140 {
		t.Errorf("current value = %v, want the real 140", lines[0].last)
	}
}

func TestPanelKeysPutThePrimaryFirst(t *testing.T) {
	snap := &monitor.Snapshot{
		Series: map[string]series.View{"db.cpu@a:1": {}, "db.cpu@b:1": {}, "db.cpus@c:1": {}, "main.cpu": {}},
		Sources: []monitor.SourceHealth{{Members: []sources.Member{
			{ID: "a:1", Role: "SECONDARY"}, {ID: "b:1", Role: "PRIMARY"}}}},
	}
	got := strings.Join(panelKeys(Panel{Series: []string{"db.cpu"}}, snap, ""), " ")
	if got != "db.cpu@b:1 db.cpu@a:1" {
		t.Errorf("panelKeys = %q, want the primary b first and no db.cpus", got)
	}
}

func TestGraphWithoutDataSaysSo(t *testing.T) {
	snap := &monitor.Snapshot{At: fixedNow, Series: map[string]series.View{}}
	got := ansiStrip(renderGraph(DefaultPanels()[1], graphCtx{snap: snap, from: fixedNow.Add(-5 * time.Minute), to: fixedNow, th: newTheme(themeOptions{noColor: true}), relative: true}, 50, 10, false))
	if !strings.Contains(got, "no data yet") || !strings.Contains(got, "DB server CPU  –") {
		t.Errorf("empty graph:\n%s", got)
	}
	if n := len(strings.Split(got, "\n")); n != 10 {
		t.Errorf("empty graph is %d lines, want 10", n)
	}
}

func TestAutoAxisRoundsUp(t *testing.T) {
	tests := []struct{ in, want float64 }{{0, 1}, {0.4, 1}, {3, 5}, {47.3, 50}, {51, 100}, {120, 200}, {1900, 2000}}
	for _, tt := range tests {
		if got := niceCeil(tt.in); got != tt.want {
			t.Errorf("niceCeil(%v) = %v, want %v", tt.in, got, tt.want)
		}
	}
}
