package bench

import (
	"fmt"
	"math"
	"os"
	"slices"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/stormwatch/stormwatch/alert"
	"github.com/stormwatch/stormwatch/bench/uiloop"
	"github.com/stormwatch/stormwatch/monitor"
	"github.com/stormwatch/stormwatch/series"
	"github.com/stormwatch/stormwatch/sources"
	"github.com/stormwatch/stormwatch/ui"
)

var benchNow = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)

var members = []string{"mongo-1:27017", "mongo-2:27017", "mongo-3:27017", "mongo-4:27017", "mongo-5:27017", "mongo-6:27017"}

// hourOfSeconds is 3600 one-second points ending at benchNow, shaped like
// a CPU under load with a little noise.
func hourOfSeconds(phase float64) series.View {
	r := series.NewRing(3600)
	for i := 3599; i >= 0; i-- {
		s := float64(i)
		v := 50 + 30*math.Sin(s/300+phase) + 5*math.Sin(s*1.7+phase)
		r.Append(series.At(benchNow.Add(-time.Duration(i)*time.Second), v))
	}
	return r.View()
}

// bigSnapshot holds 8 series of an hour of 1 s points: the API servers'
// CPU and the CPU of six replica-set members, with alerts and a timeline.
func bigSnapshot() *monitor.Snapshot {
	s := &monitor.Snapshot{Seq: 1, At: benchNow, Label: "bench", Series: map[string]series.View{
		"main.cpu": hourOfSeconds(0), "web2.cpu": hourOfSeconds(1),
	}}
	var ms []sources.Member
	for i, m := range members {
		s.Series["db.cpu@"+m] = hourOfSeconds(float64(i + 2))
		role := "SECONDARY"
		if i == 0 {
			role = "PRIMARY"
		}
		ms = append(ms, sources.Member{ID: m, Role: role, OK: true, LastOK: benchNow})
	}
	s.Sources = []monitor.SourceHealth{
		{Name: "main", Interval: time.Second, State: monitor.Healthy, LastOK: benchNow, NextPoll: benchNow.Add(time.Second), Polls: 3600},
		{Name: "db", Interval: time.Second, State: monitor.Healthy, LastOK: benchNow, NextPoll: benchNow.Add(time.Second), Polls: 3600, Members: ms},
	}
	s.Alerts = []monitor.AlertView{{Status: alert.Status{Rule: "db-cpu-high", Key: "db.cpu@" + members[0], Severity: alert.Critical,
		State: alert.Firing, Since: benchNow.Add(-2 * time.Minute), Value: 91, Peak: 95}, Condition: "db.cpu > 80 (3 of 3)"}}
	for i := 0; i < 40; i++ {
		s.Timeline = append(s.Timeline, monitor.Event{At: benchNow.Add(-time.Duration(40-i) * time.Minute), Kind: monitor.EventAlert,
			State: "FIRING", Subject: "db-cpu-high db.cpu@" + members[0], Value: 90})
	}
	return s
}

// benchPanels is a config with 8 panels; the dashboard draws the first two.
func benchPanels() []ui.Panel {
	p := []ui.Panel{
		{Title: "API server CPU", Series: []string{"main.cpu", "web2.cpu"}, Color: "blue", Unit: "%", Max: 100},
		{Title: "DB server CPU", Series: []string{"db.cpu"}, Color: "red", Unit: "%", Max: 100},
	}
	for _, m := range members {
		p = append(p, ui.Panel{Title: "CPU " + m, Series: []string{"db.cpu@" + m}, Color: "red", Unit: "%", Max: 100})
	}
	return p
}

// loaded is a model that has seen a window size and the big snapshot,
// through Update, the way the runtime delivers them.
func loaded(tb testing.TB, w, h int) (tea.Model, chan *monitor.Snapshot, tea.Cmd) {
	tb.Helper()
	ch := make(chan *monitor.Snapshot, 1)
	var m tea.Model = ui.New(ui.Options{Snapshots: ch, Panels: benchPanels(), Range: time.Hour, Theme: "dark",
		Now: func() time.Time { return benchNow }, Location: time.UTC})
	m, _ = m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	m, cmd := uiloop.Feed(m, ch, bigSnapshot(), m.Init())
	return m, ch, cmd
}

var sizes = []struct{ w, h int }{{120, 40}, {250, 70}}

// BenchmarkView is the render cost of one frame of an hour of 1 s data.
func BenchmarkView(b *testing.B) {
	for _, sz := range sizes {
		b.Run(fmt.Sprintf("%dx%d", sz.w, sz.h), func(b *testing.B) {
			m, _, _ := loaded(b, sz.w, sz.h)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				_ = m.View()
			}
		})
	}
}

// BenchmarkSnapshotAndView is a steady update: a new snapshot through
// Update, then View.
func BenchmarkSnapshotAndView(b *testing.B) {
	for _, sz := range sizes {
		b.Run(fmt.Sprintf("%dx%d", sz.w, sz.h), func(b *testing.B) {
			m, ch, cmd := loaded(b, sz.w, sz.h)
			snap := bigSnapshot()
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				s := *snap
				s.Seq++
				m, cmd = uiloop.Feed(m, ch, &s, cmd)
				_ = m.View()
			}
		})
	}
}

// TestViewMedianUnderBudget measures the median of 51 Views of 8 hour-long
// series at each size and logs it. The budget is 2 ms at 250x70 on the
// reference machine (BENCHMARKS.md). Tests do not assert on wall-clock
// time, so it only reports, unless STORMWATCH_BUDGET=1 asks it to fail on
// a gross regression (5x the budget, 50x under -race).
func TestViewMedianUnderBudget(t *testing.T) {
	for _, sz := range sizes {
		m, _, _ := loaded(t, sz.w, sz.h)
		var ds []time.Duration
		for range 51 {
			start := time.Now()
			_ = m.View()
			ds = append(ds, time.Since(start))
		}
		med := median(ds)
		t.Logf("median View at %dx%d: %s (min %s, max %s)", sz.w, sz.h, med, slices.Min(ds), slices.Max(ds))
		limit := 10 * time.Millisecond
		if raceEnabled {
			limit = 100 * time.Millisecond
		}
		if os.Getenv("STORMWATCH_BUDGET") != "" && sz.w == 250 && med > limit {
			t.Errorf("median View %s, over %s", med, limit)
		}
	}
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}
