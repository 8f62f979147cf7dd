package cloudwatch

import (
	"fmt"
	"testing"
	"time"

	"github.com/stormwatch/stormwatch/internal/scripted/cwserver"
	"github.com/stormwatch/stormwatch/series"
)

func TestBatchingAndPagingOf1200Queries(t *testing.T) {
	clock := newClock()
	// 500 queries of 180 points are 90,000 datapoints: a 50,000 limit cuts
	// each full batch into two pages, one query across both.
	srv := newServer(t, clock, cwserver.WithMaxDatapoints(50000))
	var metrics []Metric
	for i := range 1200 {
		id := fmt.Sprintf("i-%04d", i)
		srv.AddMetric(ec2(id, time.Minute))
		metrics = append(metrics, EC2CPU(fmt.Sprintf("web%04d.cpu", i), id))
	}
	s := newSource(t, srv, clock, Config{Metrics: metrics})

	res := poll(t, s)

	got := byKey(res.Samples)
	if len(got) != 1200 {
		t.Fatalf("got %d series, want 1200", len(got))
	}
	for key, pts := range got {
		if len(pts) != 180 {
			t.Fatalf("%s: %d points, want 180 (pages not merged by Id?)", key, len(pts))
		}
		for i := 1; i < len(pts); i++ {
			if pts[i].T <= pts[i-1].T {
				t.Fatalf("%s: points out of order at %d", key, i)
			}
		}
	}
	// Batches of 500, 500 and 200 queries; the first two take two pages.
	c := srv.Counters()
	if c.GetMetricDataCalls != 5 {
		t.Errorf("%d GetMetricData calls, want 5", c.GetMetricDataCalls)
	}
	if c.MetricsRequested != 2200 || s.usage.metrics != 2200 {
		t.Errorf("metrics requested: server %d, source %d, want 2200 (each page re-sends its batch)", c.MetricsRequested, s.usage.metrics)
	}
	if c.DatapointsReturned != 1200*180 {
		t.Errorf("%d datapoints returned, want %d", c.DatapointsReturned, 1200*180)
	}
}

func TestLaterPollsFetchOnlyWhatIsNewPlusTheOverlap(t *testing.T) {
	clock := newClock()
	srv := newServer(t, clock)
	srv.AddMetric(ec2("i-1", time.Minute))
	s := newSource(t, srv, clock, Config{Metrics: []Metric{EC2CPU("main.cpu", "i-1")}})
	all := poll(t, s).Samples
	backfill := srv.Counters().DatapointsReturned

	const polls = 30
	for range polls {
		clock.Advance(s.Interval())
		res := poll(t, s)
		if len(res.Samples) != 1 {
			t.Fatalf("at %s: %d new samples, want 1", clock.Now(), len(res.Samples))
		}
		all = append(all, res.Samples...)
	}

	checkContiguous(t, byKey(all)["main.cpu"], time.Minute, 180+polls)
	// The overlap is two periods: each poll reads its new minute plus the
	// two before it, and nothing older.
	if got, want := srv.Counters().DatapointsReturned-backfill, polls*3; got != want {
		t.Errorf("incremental polls read %d datapoints, want %d (1 new + 2 overlap each)", got, want)
	}
	if c := srv.Counters(); c.GetMetricDataCalls != 1+polls {
		t.Errorf("%d calls, want %d", c.GetMetricDataCalls, 1+polls)
	}
}

func TestLatePointsAreNotLost(t *testing.T) {
	clock := newClock()
	srv := newServer(t, clock)
	m := ec2("i-1", time.Minute)
	m.Delay = 90 * time.Second // a point shows up 2.5 min after its minute starts
	srv.AddMetric(m)
	s := newSource(t, srv, clock, Config{Metrics: []Metric{EC2CPU("main.cpu", "i-1")}})

	var all []series.Sample
	for range 20 {
		all = append(all, poll(t, s).Samples...)
		clock.Advance(time.Minute)
	}
	pts := byKey(all)["main.cpu"]
	checkContiguous(t, pts, time.Minute, len(pts))
	if last := pts[len(pts)-1].Time(); clock.Now().Sub(last) > 4*time.Minute {
		t.Errorf("newest point %s is too old at %s", last, clock.Now())
	}

	t.Run("a revised value for an emitted minute is ignored", func(t *testing.T) {
		last := pts[len(pts)-1]
		srv.Put("AWS/EC2", "CPUUtilization", map[string]string{"InstanceId": "i-1"}, last.Time(), -1)
		for _, smp := range poll(t, s).Samples {
			if smp.Point.T <= last.T {
				t.Errorf("emitted %v again", smp.Point)
			}
		}
	})
}

func TestBasicAndDetailedMonitoringResolution(t *testing.T) {
	clock := newClock()
	srv := newServer(t, clock)
	basic := ec2("i-basic", 5*time.Minute)
	basic.Delay = 5 * time.Minute // basic monitoring publishes late
	srv.AddMetric(basic)
	srv.AddMetric(ec2("i-detailed", time.Minute))
	s := newSource(t, srv, clock, Config{Metrics: []Metric{
		EC2CPU("basic.cpu", "i-basic"), EC2CPU("detailed.cpu", "i-detailed")}})

	res := poll(t, s)
	if got, want := fact(res, "basic.cpu"), "data as of 09:50 UTC, 5-min resolution"; got != want {
		t.Errorf("basic: fact %q, want %q", got, want)
	}
	if got, want := fact(res, "detailed.cpu"), "data as of 09:59 UTC, 1-min resolution"; got != want {
		t.Errorf("detailed: fact %q, want %q", got, want)
	}
	all := res.Samples
	for range 60 {
		clock.Advance(time.Minute)
		all = append(all, poll(t, s).Samples...)
	}
	got := byKey(all)
	checkContiguous(t, got["basic.cpu"], 5*time.Minute, len(got["basic.cpu"]))
	checkContiguous(t, got["detailed.cpu"], time.Minute, 180+60)
	if n := len(got["basic.cpu"]); n < 46 {
		t.Errorf("basic: %d points over 4 h, want at least 46", n)
	}
}

func TestEmptyReplyIsNoDataNotZero(t *testing.T) {
	clock := newClock()
	srv := newServer(t, clock)
	srv.Inject("GetMetricData", cwserver.EmptyReply())
	s := newSource(t, srv, clock, Config{Metrics: []Metric{EC2CPU("main.cpu", "i-1")}})

	res := poll(t, s)
	if len(res.Samples) != 0 {
		t.Errorf("empty reply gave %d samples: %v", len(res.Samples), res.Samples[:1])
	}
	if got, want := fact(res, "main.cpu"), "no data in the last 3 h, 1-min period"; got != want {
		t.Errorf("fact %q, want %q", got, want)
	}

	t.Run("a metric the service does not hold has no points either", func(t *testing.T) {
		clock.Advance(time.Minute)
		if res := poll(t, s); len(res.Samples) != 0 {
			t.Errorf("unknown metric gave samples %v", res.Samples)
		}
	})
}

// checkContiguous fails unless pts are n points exactly step apart.
func checkContiguous(t *testing.T, pts []series.Point, step time.Duration, n int) {
	t.Helper()
	if len(pts) != n {
		t.Errorf("%d points, want %d", len(pts), n)
	}
	for i := 1; i < len(pts); i++ {
		if d := pts[i].T - pts[i-1].T; d != step.Milliseconds() {
			t.Fatalf("points %s and %s are %d ms apart, want %s (lost or repeated)", pts[i-1].Time(), pts[i].Time(), d, step)
		}
	}
}
