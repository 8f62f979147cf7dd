package cloudwatch

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cwsdk "github.com/aws/aws-sdk-go-v2/service/cloudwatch"

	"github.com/stormwatch/stormwatch/internal/scripted/cwserver"
	"github.com/stormwatch/stormwatch/series"
)

// TestCostTwelveHours compares what a 12-hour session costs with this source
// and with a naive client that re-reads the whole 3-hour window every 10 s,
// for two EC2 CPU metrics and one ALB request count at 60 s periods. Both
// talk to cwserver servers through the real SDK on one fake clock.
func TestCostTwelveHours(t *testing.T) {
	const session = 12 * time.Hour
	clock := newClock()
	ours, naive := newServer(t, clock), newServer(t, clock)
	metrics := []Metric{EC2CPU("web1.cpu", "i-1"), EC2CPU("web2.cpu", "i-2"), ALBRequests("alb.requests", "app/api/1")}
	for _, srv := range []*cwserver.Server{ours, naive} {
		srv.AddMetric(ec2("i-1", time.Minute))
		srv.AddMetric(ec2("i-2", time.Minute))
		srv.AddMetric(cwserver.Metric{Namespace: "AWS/ApplicationELB", MetricName: "RequestCount",
			Dimensions: map[string]string{"LoadBalancer": "app/api/1"}, Value: ramp})
	}
	s := newSource(t, ours, clock, Config{Metrics: metrics})
	client := naiveClient(t, naive)

	start := clock.Now()
	next := start
	var all []series.Sample
	for now := start; now.Before(start.Add(session)); now = clock.Now() {
		if !now.Before(next) {
			all = append(all, poll(t, s).Samples...)
			next = now.Add(s.Interval())
		}
		naivePoll(t, client, metrics, now)
		clock.Advance(10 * time.Second)
	}

	got := byKey(all)
	for _, m := range metrics {
		checkContiguous(t, got[m.Series], time.Minute, 180+719)
	}
	o, n := ours.Counters(), naive.Counters()
	t.Logf("12 h session, 3 metrics at 60 s periods:")
	t.Logf("%-34s %8s %10s %12s %9s", "client", "calls", "metrics", "datapoints", "cost")
	for _, row := range []struct {
		name string
		c    cwserver.Counters
	}{{"stormwatch (incremental, 60 s)", o}, {"naive (3 h window every 10 s)", n}} {
		t.Logf("%-34s %8d %10d %12d %9s", row.name, row.c.GetMetricDataCalls, row.c.MetricsRequested,
			row.c.DatapointsReturned, fmt.Sprintf("$%.4f", row.c.Cost()))
	}
	if o.GetMetricDataCalls != 720 || o.MetricsRequested != 2160 {
		t.Errorf("stormwatch: %d calls, %d metrics, want 720 and 2160", o.GetMetricDataCalls, o.MetricsRequested)
	}
	if n.GetMetricDataCalls != 4320 || n.MetricsRequested != 12960 {
		t.Errorf("naive: %d calls, %d metrics, want 4320 and 12960", n.GetMetricDataCalls, n.MetricsRequested)
	}
	if o.Cost()*6 > n.Cost()+1e-9 {
		t.Errorf("stormwatch costs $%.4f, not a sixth of the naive $%.4f", o.Cost(), n.Cost())
	}
}

func naiveClient(t *testing.T, srv *cwserver.Server) *cwsdk.Client {
	return cwsdk.New(cwsdk.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(srv.URL),
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", ""),
		HTTPClient:   ownBodyClient{awshttp.NewBuildableClient()},
	})
}

func naivePoll(t *testing.T, client *cwsdk.Client, metrics []Metric, now time.Time) {
	t.Helper()
	in := &cwsdk.GetMetricDataInput{StartTime: aws.Time(now.Add(-3 * time.Hour)), EndTime: aws.Time(now)}
	for i, m := range metrics {
		in.MetricDataQueries = append(in.MetricDataQueries, query{id: fmt.Sprintf("q%d", i), metric: m}.sdkQuery())
	}
	if _, err := client.GetMetricData(context.Background(), in); err != nil {
		t.Fatalf("naive client: %v", err)
	}
}
