package cloudwatch

import (
	"testing"
	"time"
)

func TestFirstPollBackfillsTheWindow(t *testing.T) {
	clock := newClock()
	srv := newServer(t, clock)
	srv.AddMetric(ec2("i-1", time.Minute))
	s := newSource(t, srv, clock, Config{Metrics: []Metric{EC2CPU("main.cpu", "i-1")}})

	res := poll(t, s)

	pts := byKey(res.Samples)["main.cpu"]
	// 07:00 to 09:59: the 10:00 bucket is still filling at 10:00:30.
	if len(pts) != 180 {
		t.Fatalf("got %d points, want 180", len(pts))
	}
	first, last := pts[0].Time(), pts[len(pts)-1].Time()
	if want := time.Date(2026, 11, 27, 7, 0, 0, 0, time.UTC); !first.Equal(want) {
		t.Errorf("first point at %s, want %s", first, want)
	}
	if last.Hour() != 9 || last.Minute() != 59 || pts[len(pts)-1].V != 9*60+59 {
		t.Errorf("last point %s = %v, want 09:59 = 599", last, pts[len(pts)-1].V)
	}
	for i := 1; i < len(pts); i++ {
		if pts[i].T-pts[i-1].T != 60_000 {
			t.Fatalf("points %d and %d are %d ms apart", i-1, i, pts[i].T-pts[i-1].T)
		}
	}
	if got := srv.Counters(); got.GetMetricDataCalls != 1 || got.MetricsRequested != 1 {
		t.Errorf("counters %+v, want one call for one metric", got)
	}
	if got, want := fact(res, "main.cpu"), "data as of 09:59 UTC, 1-min resolution"; got != want {
		t.Errorf("fact %q, want %q", got, want)
	}
	if res.Alarms != nil {
		t.Errorf("alarms %v without alarm config, want nil", res.Alarms)
	}
	if s.Interval() != time.Minute {
		t.Errorf("interval %s, want 1m", s.Interval())
	}
}
