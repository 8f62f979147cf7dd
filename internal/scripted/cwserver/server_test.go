package cwserver

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cwsdk "github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/smithy-go"
)

var now = time.Date(2026, 11, 27, 10, 0, 30, 0, time.UTC)

func client(s *Server) *cwsdk.Client {
	return cwsdk.New(cwsdk.Options{
		Region:           "us-east-1",
		BaseEndpoint:     aws.String(s.URL),
		Credentials:      credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", ""),
		RetryMaxAttempts: 1,
	})
}

func cpu(id string, period int32, stat string) types.MetricDataQuery {
	return types.MetricDataQuery{Id: aws.String(id), MetricStat: &types.MetricStat{
		Metric: &types.Metric{Namespace: aws.String("AWS/EC2"), MetricName: aws.String("CPUUtilization"),
			Dimensions: []types.Dimension{{Name: aws.String("InstanceId"), Value: aws.String("i-1")}}},
		Period: aws.Int32(period), Stat: aws.String(stat)}}
}

func minute(t time.Time) (float64, bool) { return float64(t.Hour()*60 + t.Minute()), true }

func newServer(t *testing.T, opts ...Option) *Server {
	s := New(t, append([]Option{WithClock(func() time.Time { return now })}, opts...)...)
	s.AddMetric(Metric{Namespace: "AWS/EC2", MetricName: "CPUUtilization",
		Dimensions: map[string]string{"InstanceId": "i-1"}, Value: minute})
	return s
}

func TestServiceRulesAreEnforced(t *testing.T) {
	many := make([]types.MetricDataQuery, MaxQueries+1)
	for i := range many {
		many[i] = cpu(fmt.Sprintf("m%d", i), 60, "Average")
	}
	cases := []struct {
		name    string
		queries []types.MetricDataQuery
		start   time.Time
		want    string // "" = accepted
	}{
		{"500 queries are the limit", many, now.Add(-time.Hour), "greater than 500"},
		{"an Id must start with a lower-case letter", []types.MetricDataQuery{cpu("M0", 60, "Average")}, now.Add(-time.Hour), "member.1.Id is not matching"},
		{"an Id has no dashes", []types.MetricDataQuery{cpu("m0", 60, "Average"), cpu("m-1", 60, "Average")}, now.Add(-time.Hour), "member.2.Id is not matching"},
		{"Ids are unique", []types.MetricDataQuery{cpu("m0", 60, "Average"), cpu("m0", 60, "Sum")}, now.Add(-time.Hour), "not unique"},
		{"a period is a multiple of 60", []types.MetricDataQuery{cpu("m0", 90, "Average")}, now.Add(-time.Hour), "multiple of 60"},
		{"high resolution periods are allowed", []types.MetricDataQuery{cpu("m0", 10, "Average")}, now.Add(-time.Hour), ""},
		{"a statistic must exist", []types.MetricDataQuery{cpu("m0", 60, "Avg")}, now.Add(-time.Hour), "not a valid statistic"},
		{"percentiles exist", []types.MetricDataQuery{cpu("m0", 60, "p99.9")}, now.Add(-time.Hour), ""},
		{"the start is before the end", []types.MetricDataQuery{cpu("m0", 60, "Average")}, now, "must be less than"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newServer(t)
			_, err := client(s).GetMetricData(context.Background(), &cwsdk.GetMetricDataInput{
				MetricDataQueries: tc.queries, StartTime: aws.Time(tc.start), EndTime: aws.Time(now)})
			if tc.want == "" {
				if err != nil {
					t.Fatalf("rejected: %v", err)
				}
				return
			}
			var ae smithy.APIError
			if !errors.As(err, &ae) || ae.ErrorCode() != "InvalidParameterValue" || !strings.Contains(ae.ErrorMessage(), tc.want) {
				t.Fatalf("error %v, want InvalidParameterValue saying %q", err, tc.want)
			}
			if c := s.Counters(); c.Rejected != 1 || c.MetricsRequested != 0 {
				t.Errorf("counters %+v: a rejected call requests no metrics", c)
			}
		})
	}
}

func TestStartRoundsDownAndEndIsExclusive(t *testing.T) {
	s := newServer(t)
	out, err := client(s).GetMetricData(context.Background(), &cwsdk.GetMetricDataInput{
		MetricDataQueries: []types.MetricDataQuery{cpu("m0", 60, "Average")},
		StartTime:         aws.Time(time.Date(2026, 11, 27, 9, 0, 30, 0, time.UTC)),
		EndTime:           aws.Time(time.Date(2026, 11, 27, 9, 5, 0, 0, time.UTC)),
		ScanBy:            types.ScanByTimestampAscending,
	})
	if err != nil {
		t.Fatal(err)
	}
	r := out.MetricDataResults[0]
	if len(r.Timestamps) != 5 || r.Timestamps[0].UTC().Format("15:04:05") != "09:00:00" || r.Values[4] != 9*60+4 {
		t.Errorf("got %v %v, want 09:00..09:04", r.Timestamps, r.Values)
	}
	if r.StatusCode != types.StatusCodeComplete {
		t.Errorf("status %s", r.StatusCode)
	}

	t.Run("newest first without ScanBy", func(t *testing.T) {
		out, err := client(s).GetMetricData(context.Background(), &cwsdk.GetMetricDataInput{
			MetricDataQueries: []types.MetricDataQuery{cpu("m0", 60, "Average")},
			StartTime:         aws.Time(now.Add(-5 * time.Minute)), EndTime: aws.Time(now)})
		if err != nil {
			t.Fatal(err)
		}
		ts := out.MetricDataResults[0].Timestamps
		if len(ts) < 2 || !ts[0].After(ts[1]) {
			t.Errorf("timestamps %v, want newest first", ts)
		}
	})

	t.Run("a start 20 days back rounds to 5 minutes", func(t *testing.T) {
		start := now.Add(-20*24*time.Hour + 2*time.Minute)
		out, err := client(s).GetMetricData(context.Background(), &cwsdk.GetMetricDataInput{
			MetricDataQueries: []types.MetricDataQuery{cpu("m0", 300, "Average")},
			StartTime:         aws.Time(start), EndTime: aws.Time(start.Add(time.Hour)),
			ScanBy: types.ScanByTimestampAscending})
		if err != nil {
			t.Fatal(err)
		}
		if ts := out.MetricDataResults[0].Timestamps; len(ts) == 0 || !ts[0].Equal(start.Truncate(5*time.Minute)) {
			t.Errorf("first timestamp %v, want %s", ts, start.Truncate(5*time.Minute))
		}
	})
}

func TestPagingCutsQueriesAsPartialData(t *testing.T) {
	s := newServer(t)
	in := &cwsdk.GetMetricDataInput{
		MetricDataQueries: []types.MetricDataQuery{cpu("a", 60, "Average"), cpu("b", 60, "Maximum")},
		StartTime:         aws.Time(now.Add(-10 * time.Minute).Truncate(time.Minute)),
		EndTime:           aws.Time(now.Truncate(time.Minute)),
		MaxDatapoints:     aws.Int32(6),
		ScanBy:            types.ScanByTimestampAscending,
	}
	var pages []string
	total := map[string]int{}
	for {
		out, err := client(s).GetMetricData(context.Background(), in)
		if err != nil {
			t.Fatal(err)
		}
		var p []string
		for _, r := range out.MetricDataResults {
			p = append(p, fmt.Sprintf("%s:%d:%s", *r.Id, len(r.Timestamps), r.StatusCode))
			total[*r.Id] += len(r.Values)
		}
		pages = append(pages, strings.Join(p, ","))
		if out.NextToken == nil {
			break
		}
		in.NextToken = out.NextToken
	}
	want := "a:6:PartialData | a:4:Complete,b:2:PartialData | b:6:PartialData | b:2:Complete"
	if got := strings.Join(pages, " | "); got != want {
		t.Errorf("pages\n got %s\nwant %s", got, want)
	}
	if total["a"] != 10 || total["b"] != 10 {
		t.Errorf("totals %v", total)
	}
	if c := s.Counters(); c.GetMetricDataCalls != 4 || c.DatapointsReturned != 20 || c.MetricsRequested != 8 {
		t.Errorf("counters %+v", c)
	}
}

// recorder is a TB that keeps what the server reports.
type recorder struct {
	mu       sync.Mutex
	errs     []string
	cleanups []func()
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}
func (r *recorder) Cleanup(f func()) { r.cleanups = append(r.cleanups, f) }

func TestTheServerFailsTheTestOnSurprises(t *testing.T) {
	rec := &recorder{}
	s := New(rec)
	resp, err := http.Post(s.URL+"/service/GraniteServiceVersion20100801/operation/PutMetricData", "application/cbor", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	s.Inject("DescribeAlarms", Throttling())
	s.Close()
	got := strings.Join(rec.errs, "\n")
	for _, want := range []string{"unexpected request POST /service/GraniteServiceVersion20100801/operation/PutMetricData", "injected fault never used: DescribeAlarms 400 Throttling"} {
		if !strings.Contains(got, want) {
			t.Errorf("reported %q, want it to say %q", got, want)
		}
	}
}
