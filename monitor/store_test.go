package monitor

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/stormwatch/stormwatch/alert"
	"github.com/stormwatch/stormwatch/monitor/monitortest"
	"github.com/stormwatch/stormwatch/series"
	"github.com/stormwatch/stormwatch/sources"
)

// minutely delivers each poll the last minute of a 1 s series (as a
// source catching up would) and one point of a 60 s series, so a simulated
// day is 1,440 polls.
type minutely struct {
	clock Clock
	spike time.Time // db.cpu is 99 for the one second at spike, 40 otherwise
}

func (m *minutely) Name() string { return "minutely" }

func (m *minutely) Poll(context.Context) (sources.Result, error) {
	now := m.clock.Now()
	var res sources.Result
	for s := 59; s >= 0; s-- {
		at, v := now.Add(-time.Duration(s)*time.Second), 40.0
		if at.Equal(m.spike) {
			v = 99
		}
		res.Samples = append(res.Samples, series.Sample{Key: "db.cpu@m1", Point: series.At(at, v)})
	}
	res.Samples = append(res.Samples, series.Sample{Key: "main.cpu", Point: series.At(now, 30)})
	return res, nil
}

func TestThirtyHoursInTheStoreStayBoundedAndKeepAnOldSpike(t *testing.T) {
	c := monitortest.NewClock(t0)
	src := &minutely{clock: c, spike: t0.Add(9*time.Hour + 17*time.Second)}
	e := New(Config{Sources: []SourceSpec{{Source: src, Schedule: sources.Schedule{Interval: time.Minute}}}, Clock: c})
	l := series.DefaultLayout
	bound := int(l.Raw/time.Second) + 2*128 // a raw chunk leaves whole
	prev := l.Raw
	for _, tl := range l.Tiers {
		bound += 2 * int((tl.Age-prev)/tl.Width)
		prev = tl.Age
	}
	var at24 int
	for min := 1; min <= 30*60; min++ {
		c.Advance(time.Minute)
		res, err := src.Poll(context.Background())
		e.Ingest(0, res, err)
		if min%60 != 0 {
			continue
		}
		n := e.Snapshot().Series["db.cpu@m1"].Len()
		if n > bound {
			t.Fatalf("hour %d: db.cpu holds %d points and buckets, over %d", min/60, n, bound)
		}
		if min == 24*60 {
			at24 = n
		}
		if min > 24*60 && (n > at24+2*128 || n < at24-2*128) { // a raw chunk leaves whole
			t.Errorf("db.cpu holds %d at 24 h and %d at %d h: not flat", at24, n, min/60)
		}
	}
	snap := e.Snapshot()
	db, api := snap.Series["db.cpu@m1"], snap.Series["main.cpu"]
	from := t0.Add(9 * time.Hour).UnixMilli()
	if cols := series.Columns(db, from, from+3600_000, 60, 2000); cols[0] != 99 {
		t.Errorf("the one-second spike 21 h ago is not in its column: %v", cols[:3])
	}
	n := 0
	api.Each(t0.Add(7*time.Hour).UnixMilli(), t0.Add(8*time.Hour).UnixMilli(), func(p series.Point) bool {
		n++
		if p.V != 30 || math.IsNaN(p.V) {
			t.Errorf("main.cpu 23 h ago reads %v", p)
		}
		return true
	})
	if want := int(time.Hour / l.Tiers[len(l.Tiers)-1].Width); n != want {
		t.Errorf("main.cpu 23 h ago has %d buckets in an hour, want %d", n, want)
	}
}

// churn emits a series for each of two instances; "i-old" stops after the
// first hour (scaled in), "i-new" goes on.
type churn struct {
	clock Clock
	start time.Time
}

func (c *churn) Name() string { return "churn" }

func (c *churn) Poll(context.Context) (sources.Result, error) {
	now := c.clock.Now()
	res := sources.Result{Samples: []series.Sample{{Key: "main.cpu@i-new", Point: series.At(now, 20)}}}
	if now.Sub(c.start) < time.Hour {
		res.Samples = append(res.Samples, series.Sample{Key: "main.cpu@i-old", Point: series.At(now, 20)})
	}
	return res, nil
}

func TestASeriesThatStoppedIsForgottenOnceTheStoreWouldHoldNoneOfIt(t *testing.T) {
	c := monitortest.NewClock(t0)
	src := &churn{clock: c, start: t0}
	e := New(Config{Sources: []SourceSpec{{Source: src, Schedule: sources.Schedule{Interval: time.Minute}}}, Clock: c,
		Rules: []alert.Rule{{Name: "hot", Series: "main.cpu", Op: alert.Above, Threshold: 90, Severity: alert.Warning, NoData: alert.NoDataState}}})
	keeps := series.DefaultLayout.Keeps()
	poll := func() {
		res, err := src.Poll(context.Background())
		e.Ingest(0, res, err)
		c.Advance(time.Minute)
	}
	for c.Now().Before(t0.Add(time.Hour + keeps - time.Minute)) {
		poll()
	}
	if _, ok := e.Snapshot().Series["main.cpu@i-old"]; !ok {
		t.Fatal("i-old was forgotten while the store still holds points of it")
	}
	for range 3 {
		poll()
	}
	snap := e.Snapshot()
	if _, ok := snap.Series["main.cpu@i-old"]; ok {
		t.Fatalf("i-old is still stored %s after its last point", keeps)
	}
	if _, ok := snap.Series["main.cpu@i-new"]; !ok {
		t.Fatal("i-new was forgotten")
	}
	found := false
	for _, a := range snap.Alerts {
		found = found || a.Key == "main.cpu@i-old" && a.State == alert.Missing
	}
	if !found {
		t.Fatalf("the rule on i-old no longer says NO DATA: %+v", snap.Alerts)
	}
}
