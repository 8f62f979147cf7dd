package main

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stormwatch/stormwatch/internal/scripted/cwserver"
)

// TestTwoInstancesAndAnALBMetricFromCloudWatch is the CloudWatch issue's
// "done when": a config naming two EC2 instances and one ALB RequestCount
// metric, at 60 s periods, shows both CPUs side by side, the request rate
// on the same time axis (the overlay), and the alarm list — through the
// real binary and the real SDK against the in-repo CloudWatch server.
func TestTwoInstancesAndAnALBMetricFromCloudWatch(t *testing.T) {
	bin := buildBinary(t)
	cw := cwserver.New(t)
	wave := func(base, amp float64) func(time.Time) (float64, bool) {
		return func(ts time.Time) (float64, bool) {
			return base + amp*math.Sin(float64(ts.Unix())/600), true
		}
	}
	cpu := func(id string, base float64) {
		cw.AddMetric(cwserver.Metric{Namespace: "AWS/EC2", MetricName: "CPUUtilization",
			Dimensions: map[string]string{"InstanceId": id}, Resolution: time.Minute, Value: wave(base, 10)})
	}
	cpu("i-0aaaaaaaaaaaaaaa1", 40)
	cpu("i-0bbbbbbbbbbbbbbb2", 70)
	cw.AddMetric(cwserver.Metric{Namespace: "AWS/ApplicationELB", MetricName: "RequestCount",
		Dimensions: map[string]string{"LoadBalancer": "app/api-main/0123456789abcdef"}, Resolution: time.Minute, Value: wave(2400, 600)})
	cw.SetAlarms(cwserver.Alarm{Name: "prod-db-cpu-high", State: "ALARM", Reason: "Threshold Crossed", Updated: time.Now().Add(-5 * time.Minute)})

	dir := t.TempDir()
	cfg := `sources:
  cloudwatch:
    - region: us-east-1
      endpoint: ` + cw.URL + `
      main: {instance: i-0aaaaaaaaaaaaaaa1}
      db: {instance: i-0bbbbbbbbbbbbbbb2}
      alarm_prefix: prod-
      metrics:
        - series: main.requests
          namespace: AWS/ApplicationELB
          metric: RequestCount
          dimensions: {LoadBalancer: app/api-main/0123456789abcdef}
          stat: Sum
          period: 60s
`
	path := filepath.Join(dir, "stormwatch.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	env := "AWS_ACCESS_KEY_ID=AKIATESTTESTTESTTEST AWS_SECRET_ACCESS_KEY=test-secret AWS_EC2_METADATA_DISABLED=true "
	s := startTmux(t, 120, 40, env+bin+" --config "+path+" --range 1h")
	scr := s.waitFor("API server CPU", "DB server CPU", "[CW] prod-db-cpu-high", "● aws ok")
	for _, line := range strings.Split(scr, "\n") {
		if strings.Contains(line, "API server CPU") {
			if !strings.Contains(line, "DB server CPU") {
				t.Fatalf("the two CPU graphs are not side by side:\n%s", scr)
			}
			if strings.Contains(line, "–") {
				t.Fatalf("a CPU graph has no current value:\n%s", scr)
			}
		}
	}
	if !strings.Contains(scr, "resolution") {
		t.Errorf("the status line does not say how old and how fine the data is:\n%s", scr)
	}
	s.tmux("send-keys", "-t", s.name, "o")
	s.waitFor("requests", "DB CPU")
	s.tmux("send-keys", "-t", s.name, "q")
	s.waitFor("EXITED:0")
}
