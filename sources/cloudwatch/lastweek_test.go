package cloudwatch

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stormwatch/stormwatch/internal/scripted/cwserver"
)

// TestLastWeekIsAskedOncePerWindowAndLinesUpWithNow polls an ALB request
// count (Sum per minute) and an EC2 CPU marked LastWeek for three hours of
// fake time against cwserver, which holds a week of data: last week's
// traffic was a third of this week's. Each hour-long window a week back is
// asked for exactly once, the points come back a week later under
// .last_week, a Sum reads per minute like this week's, and the cost fact
// counts the extra calls.
func TestLastWeekIsAskedOncePerWindowAndLinesUpWithNow(t *testing.T) {
	clock := newClock()
	srv := newServer(t, clock)
	weekStart := clock.Now().Add(-weekAgo - 4*time.Hour)
	srv.AddMetric(cwserver.Metric{Namespace: "AWS/ApplicationELB", MetricName: "RequestCount",
		Dimensions: map[string]string{"LoadBalancer": "app/api/1"}, Resolution: time.Minute,
		Value: func(t time.Time) (float64, bool) {
			if t.Before(weekStart) {
				return 0, false
			}
			if t.Before(clock.Now().Add(-24 * time.Hour)) {
				return 800, true // last week: 800 a minute
			}
			return 2400, true
		}})
	srv.AddMetric(cwserver.Metric{Namespace: "AWS/EC2", MetricName: "CPUUtilization",
		Dimensions: map[string]string{"InstanceId": "i-1"}, Resolution: time.Minute,
		Value: func(t time.Time) (float64, bool) { return 30, !t.Before(weekStart) }})
	req := ALBRequests("main.requests", "app/api/1")
	req.LastWeek = true
	cpu := EC2CPU("main.cpu", "i-1")
	cpu.LastWeek = true
	s := newSource(t, srv, clock, Config{Metrics: []Metric{req, cpu}, Window: 30 * time.Minute})

	var got map[string][]float64
	lastWeekCalls := func() int {
		n := 0
		for _, r := range srv.Requests() {
			if len(r.IDs) > 0 && strings.HasPrefix(r.IDs[0], "lw_") {
				n++
				if !r.End.Before(clock.Now().Add(-weekAgo + time.Hour + time.Minute)) {
					t.Errorf("a week-ago request reaches %s, past a week before now", r.End)
				}
			}
		}
		return n
	}
	samples := 0
	for range 180 { // three hours of 1-minute polls
		res := poll(t, s)
		for _, smp := range res.Samples {
			if strings.HasSuffix(smp.Key, LastWeekSuffix) {
				samples++
				if got == nil {
					got = map[string][]float64{}
				}
				got[smp.Key] = append(got[smp.Key], smp.Point.V)
				if d := smp.Point.Time().Sub(clock.Now()); d > time.Hour {
					t.Errorf("%s point %s is more than a window ahead of now", smp.Key, d)
				}
			}
		}
		clock.Advance(time.Minute)
	}
	// The first poll fetches the visible 30 minutes' windows (two, in one
	// call: 09:00 and 10:00), then one call as each new hour starts.
	if n := lastWeekCalls(); n != 3 {
		t.Errorf("%d week-ago GetMetricData calls in three hours, want 3 (once per window)", n)
	}
	for _, k := range []string{"main.requests.last_week", "main.cpu.last_week"} {
		if len(got[k]) < 180 {
			t.Errorf("%s: %d points, want the three hours' minutes", k, len(got[k]))
		}
	}
	for _, v := range got["main.requests.last_week"] {
		if math.Abs(v-800) > 1e-9 {
			t.Fatalf("last week's requests read %v per minute, want 800", v)
		}
	}
	facts := ""
	for _, f := range s.facts(clock.Now()) {
		facts += f.Key + ": " + f.Value.String() + "\n"
	}
	if !strings.Contains(facts, "183 GetMetricData calls") {
		t.Errorf("the cost fact does not count the week-ago calls (180 polls + 3):\n%s", facts)
	}
}
