package cloudwatch

import (
	"context"
	"math"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/stormwatch/stormwatch/alert"
	"github.com/stormwatch/stormwatch/bench/uiloop"
	"github.com/stormwatch/stormwatch/internal/scripted/cwserver"
	"github.com/stormwatch/stormwatch/monitor"
	"github.com/stormwatch/stormwatch/sources"
)

// TestChaosDashboardSurvivesAMisbehavingCloudWatch runs the real source,
// through the real SDK, against the CBOR test server on the wall clock,
// with the real engine feeding a dashboard model. The service throttles,
// fails with 5xx, hangs and rejects expired credentials in turn. The
// dashboard must keep drawing (no Update+View blocked: see uiloop.CheckBlocking), say what is
// wrong on the aws source's status line, recover by itself, and keep the
// alert's transitions: FIRING before the faults, RESOLVED after.
func TestChaosDashboardSurvivesAMisbehavingCloudWatch(t *testing.T) {
	t.Setenv("AWS_CONFIG_FILE", "/nonexistent")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
	var level atomic.Uint64
	level.Store(math.Float64bits(95))
	cw := cwserver.New(t)
	cw.AddMetric(cwserver.Metric{Namespace: "Demo/API", MetricName: "CPU", Dimensions: map[string]string{"InstanceId": "i-1"},
		Resolution: time.Second, Value: func(time.Time) (float64, bool) { return math.Float64frombits(level.Load()), true }})
	src, err := New(context.Background(), Config{Name: "aws", Region: "us-east-1", Endpoint: cw.URL,
		Credentials:      credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", ""),
		RetryMaxAttempts: 1, RetryMaxBackoff: time.Millisecond, Window: time.Minute,
		Metrics: []Metric{{Series: "main.cpu", Namespace: "Demo/API", MetricName: "CPU",
			Dimensions: map[string]string{"InstanceId": "i-1"}, Period: time.Second, Delay: time.Second}}})
	if err != nil {
		t.Fatal(err)
	}
	e := monitor.New(monitor.Config{
		Sources: []monitor.SourceSpec{{Source: src, Schedule: sources.Schedule{Interval: src.Interval(),
			Timeout: 700 * time.Millisecond, MaxBackoff: 2 * time.Second}}},
		Rules: []alert.Rule{{Name: "api-cpu", Series: "main.cpu", Op: alert.Above, Threshold: 80,
			Severity: alert.Critical, NoData: alert.NoDataState, NoDataAfter: 10 * time.Second}},
	})
	view := uiloop.Dashboard(t, e, 140, 40)

	view.Await(t, "the alert firing", func(s string) bool { return strings.Contains(s, "FIRING") && strings.Contains(s, "api-cpu") })
	for _, fault := range []struct {
		name  string
		fault cwserver.Fault
		want  string
	}{
		{"throttling", cwserver.Throttling(), "throttled"},
		{"5xx", cwserver.ServerError(), "InternalServiceError"},
		{"hang", cwserver.Hang(), "timeout"},
		{"expired token", cwserver.ExpiredToken(), "expired"},
	} {
		cw.Inject("GetMetricData", fault.fault, fault.fault)
		scr := view.Await(t, "the aws source failing with "+fault.name, func(s string) bool {
			l := strings.ToLower(uiloop.StatusLine(s))
			return strings.Contains(l, "aws error: ") && strings.Contains(l, strings.ToLower(fault.want))
		})
		t.Logf("%-13s -> %s", fault.name, strings.TrimSpace(uiloop.StatusLine(scr)))
		view.Await(t, "recovery after "+fault.name, func(s string) bool { return strings.Contains(uiloop.StatusLine(s), "aws ok") })
		if strings.Contains(scr, "EXAMPLEKEY") {
			t.Errorf("the secret key is on the screen:\n%s", scr)
		}
	}
	level.Store(math.Float64bits(10))
	view.Await(t, "the alert resolved", func(s string) bool {
		return strings.Contains(uiloop.StatusLine(s), "aws ok") && strings.Contains(s, "no alerts firing")
	})

	frames, got, maxBlock, slowest, _ := view.Stats()
	t.Logf("%d frames, %d snapshots, longest Update+View %s (%s); %+v", frames, got, maxBlock, slowest, cw.Counters())
	view.CheckBlocking(t)
	uiloop.CheckTransitions(t, e.Snapshot(), "api-cpu")
}
