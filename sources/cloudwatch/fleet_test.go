package cloudwatch

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stormwatch/stormwatch/internal/scripted/cwserver"
	"github.com/stormwatch/stormwatch/series"
)

// addFleet gives the server n instances of an Auto Scaling group, each
// publishing CPUUtilization per instance and (for the group aggregate) by
// AutoScalingGroupName: instance i runs at 10+i%80 percent.
func addFleet(srv *cwserver.Server, group string, n int) {
	for i := 0; i < n; i++ {
		v := float64(10 + i%80)
		srv.AddMetric(cwserver.Metric{Namespace: "AWS/EC2", MetricName: "CPUUtilization",
			Dimensions: map[string]string{"AutoScalingGroupName": group, "InstanceId": fmt.Sprintf("i-%04x", i)},
			Value:      func(time.Time) (float64, bool) { return v, true }})
	}
	srv.AddMetric(cwserver.Metric{Namespace: "AWS/EC2", MetricName: "CPUUtilization",
		Dimensions: map[string]string{"AutoScalingGroupName": group},
		Value:      func(time.Time) (float64, bool) { return 49.5, true }})
}

const fleetSearch = `SEARCH('{AWS/EC2,AutoScalingGroupName,InstanceId} MetricName="CPUUtilization" AutoScalingGroupName="api-asg"', 'Average', 60)`

// TestSearchMakesEachOfFiveHundredInstancesItsOwnSeries: one SEARCH over an
// Auto Scaling group of 600 instances returns 500 results (the service's
// cap), all under the query's Id, each with its own Label. Before, results
// were merged by Id, which folded every instance into one line. Through the
// real SDK client, one GetMetricData call per period, billed per result.
func TestSearchMakesEachOfFiveHundredInstancesItsOwnSeries(t *testing.T) {
	clock := newClock()
	srv := newServer(t, clock)
	addFleet(srv, "api-asg", 600)
	s := newSource(t, srv, clock, Config{Window: 10 * time.Minute, Metrics: []Metric{
		{Series: "main.cpu", Expression: fleetSearch, Period: time.Minute},
	}})
	res := poll(t, s)
	got := byKey(res.Samples)
	if len(got) != cwserver.MaxSearchResults {
		t.Fatalf("%d series, want one per search result (%d)", len(got), cwserver.MaxSearchResults)
	}
	for _, i := range []int{0, 7, 0x1f3} {
		key := series.Key("main.cpu", fmt.Sprintf("api-asg i-%04x", i))
		pts := got[key]
		if len(pts) == 0 || pts[len(pts)-1].V != float64(10+i%80) {
			t.Errorf("%s: %v, want its own value %d", key, pts, 10+i%80)
		}
	}
	c := srv.Counters()
	if c.GetMetricDataCalls != 1 || c.MetricsRequested != 500 {
		t.Errorf("first poll: %d calls, %d metrics billed; want 1 call, 500", c.GetMetricDataCalls, c.MetricsRequested)
	}

	for i := 0; i < 5; i++ {
		clock.Advance(time.Minute)
		res = poll(t, s)
		if n := len(byKey(res.Samples)); n != 500 {
			t.Errorf("period %d: %d series got a new point, want 500", i, n)
		}
	}
	c = srv.Counters()
	if c.GetMetricDataCalls != 6 || c.MetricsRequested != 6*500 {
		t.Errorf("6 periods: %d calls, %d metrics billed; want 6 and 3000", c.GetMetricDataCalls, c.MetricsRequested)
	}
	if f := fact(res, "main.cpu"); !strings.Contains(f, "500 series from SEARCH") {
		t.Errorf("fact %q", f)
	}
	if f := fact(res, "api usage"); !strings.Contains(f, "3000 metrics requested") {
		t.Errorf("usage fact %q disagrees with the server's bill (%d)", f, c.MetricsRequested)
	}
}

// TestSearchResultsSplitAcrossPagesStayApart: a SEARCH cut short by the
// datapoint limit goes on under NextToken, repeating the Id with another
// Label; pages are merged by Id and Label, so no instance takes another's
// points.
func TestSearchResultsSplitAcrossPagesStayApart(t *testing.T) {
	clock := newClock()
	srv := newServer(t, clock, cwserver.WithMaxDatapoints(7))
	addFleet(srv, "api-asg", 4)
	s := newSource(t, srv, clock, Config{Window: 10 * time.Minute, Metrics: []Metric{
		{Series: "main.cpu", Expression: fleetSearch, Period: time.Minute, Label: "web"},
	}})
	res := poll(t, s)
	got := byKey(res.Samples)
	if len(got) != 4 || srv.Counters().GetMetricDataCalls < 2 {
		t.Fatalf("%d series over %d calls: %v", len(got), srv.Counters().GetMetricDataCalls, got)
	}
	for i := 0; i < 4; i++ {
		key := series.Key("main.cpu", fmt.Sprintf("api-asg i-%04x", i))
		for _, p := range got[key] {
			if p.V != float64(10+i) {
				t.Errorf("%s has a point %v from another instance", key, p.V)
			}
		}
		if len(got[key]) != 10 {
			t.Errorf("%s: %d points, want 10 minutes' worth", key, len(got[key]))
		}
	}
}

// TestAutoScalingGroupIsReadAsItsAverageAndMaximum: main: {asg: NAME}
// becomes two metrics by AutoScalingGroupName, one call per period.
func TestAutoScalingGroupIsReadAsItsAverageAndMaximum(t *testing.T) {
	clock := newClock()
	srv := newServer(t, clock)
	addFleet(srv, "api-asg", 3)
	s := newSource(t, srv, clock, Config{Window: 10 * time.Minute, Metrics: ASGCPU("main.cpu", "main.cpu.max", "api-asg")})
	got := byKey(poll(t, s).Samples)
	avg, top := got["main.cpu"], got["main.cpu.max"]
	if len(avg) == 0 || len(top) == 0 || avg[len(avg)-1].V != 49.5 || top[len(top)-1].V != 49.5 {
		t.Errorf("average %v, maximum %v", avg, top)
	}
	if c := srv.Counters(); c.GetMetricDataCalls != 1 || c.MetricsRequested != 2 {
		t.Errorf("%d calls, %d metrics; want 1 and 2", c.GetMetricDataCalls, c.MetricsRequested)
	}
}

// TestTwelveHoursOfAFleetCostOneCallAMinute is the bill of a 12-hour shift
// at fleet scale: an Auto Scaling group of 500 instances read with one
// SEARCH, plus the group's Average and Maximum, polled at 60 s for 12 h of
// the injected clock through the real SDK client. One GetMetricData call a
// minute (the first one backfills 3 h in the same call), every search
// result billed: 502 metrics a call, 720 calls, $3.61.
func TestTwelveHoursOfAFleetCostOneCallAMinute(t *testing.T) {
	clock := newClock()
	srv := newServer(t, clock)
	addFleet(srv, "api-asg", 500)
	metrics := append(ASGCPU("main.cpu", "main.cpu.max", "api-asg"), Metric{Series: "main.cpu", Expression: fleetSearch, Period: time.Minute})
	metrics[2].Series = "main.instance.cpu" // the group average keeps main.cpu
	s := newSource(t, srv, clock, Config{Metrics: metrics})
	if s.Interval() != time.Minute {
		t.Fatalf("interval %s, want the period", s.Interval())
	}
	polls := 12 * 60
	for i := 0; i < polls; i++ {
		res := poll(t, s)
		if n := len(byKey(res.Samples)); n != 502 {
			t.Fatalf("poll %d: %d series got points, want 502", i, n)
		}
		clock.Advance(s.Interval())
	}
	c := srv.Counters()
	t.Logf("12 h at 60 s, 500 instances + group Average and Maximum: %d GetMetricData calls, %d metrics requested, %d datapoints, $%.2f",
		c.GetMetricDataCalls, c.MetricsRequested, c.DatapointsReturned, c.Cost())
	if c.GetMetricDataCalls != polls || c.MetricsRequested != polls*502 {
		t.Errorf("%d calls and %d metrics, want %d and %d", c.GetMetricDataCalls, c.MetricsRequested, polls, polls*502)
	}
}
