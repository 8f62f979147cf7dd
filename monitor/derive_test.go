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

// emitter returns samples made by f at the clock's time.
type emitter struct {
	name   string
	clock  Clock
	f      func(now time.Time) []series.Sample
	shapes []sources.Shape
}

func (s *emitter) Name() string { return s.name }
func (s *emitter) Poll(context.Context) (sources.Result, error) {
	return sources.Result{Samples: s.f(s.clock.Now()), Shapes: s.shapes}, nil
}

// TestThePerRequestSeriesAreDerivedStoredAndAlertable drives the engine
// with a CloudWatch-like request count (a Sum per 1 s period, stamped at
// the period's start and a poll late) and a MongoDB-like documents-examined
// rate, and checks that db.docs_examined_per_request appears per member
// with the right value and that a rule on it fires.
func TestThePerRequestSeriesAreDerivedStoredAndAlertable(t *testing.T) {
	c := monitortest.NewClock(t0)
	member := "mongo-1:27017"
	work := 5.0
	aws := &emitter{name: "aws", clock: c, f: func(now time.Time) []series.Sample {
		return []series.Sample{{Key: "main.requests", Point: series.At(now.Add(-2*time.Second), 40)}}
	}}
	db := &emitter{name: "db", clock: c, f: func(now time.Time) []series.Sample {
		return []series.Sample{
			{Key: series.Key("db.docs_examined", member), Point: series.At(now, 40*work)},
			{Key: series.Key("db.ops.total", member), Point: series.At(now, 80)},
		}
	}}
	r := alert.Rule{Name: "work-per-request", Series: "db.docs_examined_per_request", Op: alert.Above, Threshold: 50,
		M: 3, N: 3, Severity: alert.Warning, NoData: alert.NoDataKeep}
	e := New(Config{Clock: c, Rules: []alert.Rule{r}, Sources: []SourceSpec{
		{Source: aws, Schedule: sources.Schedule{Interval: time.Second}},
		{Source: db, Schedule: sources.Schedule{Interval: time.Second}},
	}})
	poll := func(n int) {
		for range n {
			for i, s := range []sources.Source{aws, db} {
				res, err := s.Poll(context.Background())
				e.Ingest(i, res, err)
			}
			c.Advance(time.Second)
			e.Tick()
		}
	}
	poll(10)
	snap := e.Snapshot()
	for _, k := range []string{"db.docs_examined_per_request@" + member, "db.ops_per_request@" + member} {
		v, ok := snap.Series[k]
		if !ok || v.Len() < 5 {
			t.Fatalf("%s: %d points, want several; series %v", k, v.Len(), keys(snap))
		}
	}
	last, _ := snap.Series["db.docs_examined_per_request@"+member].Last()
	if math.Abs(last.V-work) > 1e-6 {
		t.Errorf("docs examined per request %v, want %v", last.V, work)
	}
	last, _ = snap.Series["db.ops_per_request@"+member].Last()
	if math.Abs(last.V-2) > 1e-6 {
		t.Errorf("ops per request %v, want 2", last.V)
	}
	if len(snap.Alerts) != 0 {
		t.Fatalf("alert before the regression: %+v", snap.Alerts)
	}
	work = 100
	poll(8)
	snap = e.Snapshot()
	if len(snap.Alerts) != 1 || snap.Alerts[0].State != alert.Firing {
		t.Fatalf("want the work-per-request rule firing, got %+v", snap.Alerts)
	}
}

func keys(s *Snapshot) []string {
	var out []string
	for k := range s.Series {
		out = append(out, k)
	}
	return out
}
