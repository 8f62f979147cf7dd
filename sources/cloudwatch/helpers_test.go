package cloudwatch

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/stormwatch/stormwatch/internal/scripted/cwserver"
	"github.com/stormwatch/stormwatch/monitor/monitortest"
	"github.com/stormwatch/stormwatch/series"
	"github.com/stormwatch/stormwatch/sources"
)

// fakeClock is the time for both the source and the server.
type fakeClock = monitortest.Clock

func newClock() *fakeClock {
	return monitortest.NewClock(time.Date(2026, 11, 27, 10, 0, 30, 0, time.UTC))
}

// newServer starts a cwserver server on the test's clock.
func newServer(t *testing.T, clock *fakeClock, opts ...cwserver.Option) *cwserver.Server {
	t.Helper()
	return cwserver.New(t, append([]cwserver.Option{cwserver.WithClock(clock.Now)}, opts...)...)
}

// newSource points a real SDK client at srv with static credentials.
func newSource(t *testing.T, srv *cwserver.Server, clock *fakeClock, cfg Config) *Source {
	t.Helper()
	return newSourceAt(t, srv.URL, clock, cfg)
}

func newSourceAt(t *testing.T, endpoint string, clock *fakeClock, cfg Config) *Source {
	t.Helper()
	cfg.Region = "us-east-1"
	cfg.Endpoint = endpoint
	cfg.Credentials = credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "")
	cfg.Now = clock.Now
	if cfg.RetryMaxAttempts == 0 {
		cfg.RetryMaxAttempts = 1
	}
	cfg.RetryMaxBackoff = time.Millisecond
	t.Setenv("AWS_CONFIG_FILE", "/nonexistent")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
	s, err := New(context.Background(), cfg)
	if err != nil {
		t.Fatalf("new source: %v", err)
	}
	return s
}

func poll(t *testing.T, s *Source) sources.Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	res, err := s.Poll(ctx)
	if err != nil {
		t.Fatalf("poll: %v", err)
	}
	return res
}

// byKey groups samples by series key.
func byKey(samples []series.Sample) map[string][]series.Point {
	out := map[string][]series.Point{}
	for _, s := range samples {
		out[s.Key] = append(out[s.Key], s.Point)
	}
	return out
}

// ramp is a metric whose value at t is its minute of the day: every
// datapoint says when it is from.
func ramp(t time.Time) (float64, bool) {
	return float64(t.Hour()*60 + t.Minute()), true
}

func ec2(instance string, resolution time.Duration) cwserver.Metric {
	return cwserver.Metric{Namespace: "AWS/EC2", MetricName: "CPUUtilization",
		Dimensions: map[string]string{"InstanceId": instance}, Resolution: resolution, Value: ramp}
}

func fact(res sources.Result, key string) string {
	for _, f := range res.Facts {
		if f.Key == key {
			return f.Value.String()
		}
	}
	return ""
}
