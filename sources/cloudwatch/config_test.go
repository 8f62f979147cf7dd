package cloudwatch

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stormwatch/stormwatch/internal/scripted/cwserver"
)

func TestIntervalIsNeverFasterThanTheData(t *testing.T) {
	cpu := EC2CPU("a.cpu", "i-1")
	slow := EC2CPU("b.cpu", "i-2")
	slow.Period = 5 * time.Minute
	cases := []struct {
		name     string
		interval time.Duration
		metrics  []Metric
		want     time.Duration
	}{
		{"zero derives it from the smallest period", 0, []Metric{slow, cpu}, time.Minute},
		{"a faster interval is raised to the smallest period", 10 * time.Second, []Metric{cpu}, time.Minute},
		{"a slower interval is kept", 5 * time.Minute, []Metric{cpu}, 5 * time.Minute},
		{"alarms alone poll at the alarms interval", 0, nil, time.Minute},
	}
	clock := newClock()
	srv := newServer(t, clock)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newSource(t, srv, clock, Config{Interval: tc.interval, Metrics: tc.metrics, AlarmPrefix: "x"})
			if got := s.Interval(); got != tc.want {
				t.Errorf("interval %s, want %s", got, tc.want)
			}
		})
	}
}

func TestBadConfigsFailAtStart(t *testing.T) {
	odd := EC2CPU("a.cpu", "i-1")
	odd.Period = 90 * time.Second
	both := EC2CPU("b.cpu", "i-1")
	both.Expression = "m0*2"
	cases := []struct {
		name    string
		metrics []Metric
		want    string
	}{
		{"a period that is not a multiple of a minute", []Metric{odd}, "must be 1, 5, 10, 20 or 30 s or a multiple of 60 s"},
		{"a series named twice", []Metric{EC2CPU("a.cpu", "i-1"), EC2CPU("a.cpu", "i-2")}, "series named twice"},
		{"an expression and a metric at once", []Metric{both}, "both an expression and a metric name"},
		{"a metric without a series", []Metric{EC2CPU("", "i-1")}, "no series name"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New(context.Background(), Config{Region: "us-east-1", Metrics: tc.metrics})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want %q", err, tc.want)
			}
		})
	}
}

func TestNoRegionFailsAtStart(t *testing.T) {
	t.Setenv("AWS_REGION", "")
	t.Setenv("AWS_DEFAULT_REGION", "")
	t.Setenv("AWS_CONFIG_FILE", "/nonexistent")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
	_, err := New(context.Background(), Config{Metrics: []Metric{EC2CPU("a.cpu", "i-1")}})
	if err == nil || !strings.Contains(err.Error(), "no region") {
		t.Errorf("error %v, want no region", err)
	}
}

func TestMetricMathExpressions(t *testing.T) {
	clock := newClock()
	srv := newServer(t, clock)
	srv.AddExpression("SUM(SEARCH('{AWS/EC2,InstanceId} CPUUtilization', 'Average', 60))",
		cwserver.Metric{Value: func(time.Time) (float64, bool) { return 42, true }})
	s := newSource(t, srv, clock, Config{Metrics: []Metric{{Series: "fleet.cpu", Period: time.Minute,
		Expression: "SUM(SEARCH('{AWS/EC2,InstanceId} CPUUtilization', 'Average', 60))"}}})
	pts := byKey(poll(t, s).Samples)["fleet.cpu"]
	if len(pts) != 180 || pts[0].V != 42 {
		t.Errorf("%d points (first %v), want 180 of 42", len(pts), pts[:min(1, len(pts))])
	}
}
