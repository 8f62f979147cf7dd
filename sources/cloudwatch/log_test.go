package cloudwatch

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
	"time"
)

// At debug level every CloudWatch call is a log line with its operation
// and timing.
func TestEveryAWSRequestIsLoggedAtDebugLevel(t *testing.T) {
	clock := newClock()
	srv := newServer(t, clock)
	srv.AddMetric(ec2("i-1", time.Minute))
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	s := newSource(t, srv, clock, Config{Name: "aws", Metrics: []Metric{EC2CPU("main.cpu", "i-1")}, Log: log})
	poll(t, s)
	got := buf.String()
	if !strings.Contains(got, `msg="aws request" source=aws service=CloudWatch op=GetMetricData took=`) {
		t.Errorf("no GetMetricData line:\n%s", got)
	}
	if strings.Contains(got, "wJalrXUtnFEMI") {
		t.Errorf("the secret key reached the log:\n%s", got)
	}
}
