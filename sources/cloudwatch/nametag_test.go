package cloudwatch

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stormwatch/stormwatch/internal/scripted/cwserver"
	"github.com/stormwatch/stormwatch/internal/scripted/ec2server"
	"github.com/stormwatch/stormwatch/sources"
)

// newTagSource points real CloudWatch and EC2 clients at srv and ec2srv.
func newTagSource(t *testing.T, srv *cwserver.Server, ec2srv *ec2server.Server, clock *fakeClock, cfg Config) *Source {
	t.Helper()
	cfg.EC2Endpoint = ec2srv.URL
	return newSource(t, srv, clock, cfg)
}

func pollErr(t *testing.T, s *Source) (sources.Result, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return s.Poll(ctx)
}

func TestANameTagIsResolvedOnceAndItsInstanceIsRead(t *testing.T) {
	clock := newClock()
	srv := newServer(t, clock)
	srv.AddMetric(ec2("i-0abc", time.Minute))
	srv.AddMetric(ec2("i-0old", time.Minute))
	ec2srv := ec2server.New(t)
	ec2srv.Add(ec2server.Tagged("i-0abc", "api-main"),
		ec2server.Instance{ID: "i-0old", State: "terminated", Tags: map[string]string{"Name": "api-main"}},
		ec2server.Tagged("i-0web", "web"))
	s := newTagSource(t, srv, ec2srv, clock, Config{Metrics: []Metric{EC2CPUByName("main.cpu", "api-main")}})

	res := poll(t, s)

	if n := len(byKey(res.Samples)["main.cpu"]); n != 180 {
		t.Errorf("got %d points of i-0abc, want 180", n)
	}
	if got, want := fact(res, "main.cpu"), "api-main (i-0abc): data as of 09:59 UTC, 1-min resolution"; got != want {
		t.Errorf("fact %q, want %q", got, want)
	}
	if got := fact(res, "name tag api-main"); got != "i-0abc" {
		t.Errorf("name tag fact %q, want i-0abc", got)
	}
	f := ec2srv.Filters()
	if len(f) != 1 || !slices.Equal(f[0]["tag:Name"], []string{"api-main"}) || !slices.Equal(f[0]["instance-state-name"], []string{"running"}) {
		t.Errorf("filters %v, want tag:Name=api-main and instance-state-name=running", f)
	}

	clock.Advance(time.Minute)
	poll(t, s)
	if n := ec2srv.Calls(); n != 1 {
		t.Errorf("%d DescribeInstances calls after two polls, want 1", n)
	}
}

func TestANameTagThatDoesNotNameOneRunningInstance(t *testing.T) {
	cases := []struct {
		name      string
		instances []ec2server.Instance
		fault     *ec2server.Fault
		class     error
		want      string
	}{
		{"no running instance has the tag", []ec2server.Instance{
			{ID: "i-0stop", State: "stopped", Tags: map[string]string{"Name": "api-main"}}, ec2server.Tagged("i-0web", "web")},
			nil, sources.ErrNotFound,
			"name tag api-main: not found: no running instance has it (aws ec2 describe-instances --filters Name=tag:Name,Values=api-main)"},
		{"three running instances have it", []ec2server.Instance{
			ec2server.Tagged("i-0c", "api-main"), ec2server.Tagged("i-0a", "api-main"), ec2server.Tagged("i-0b", "api-main")},
			nil, errAmbiguous,
			"name tag api-main: ambiguous name tag: 3 running instances are tagged api-main: i-0a, i-0b, i-0c; use instance: with the one meant"},
		{"the credentials may not describe instances", []ec2server.Instance{ec2server.Tagged("i-0abc", "api-main")},
			ptr(ec2server.Unauthorized()), sources.ErrPermission,
			"name tag api-main: describe instances aws: not authorized: needs ec2:DescribeInstances (docs/iam-policy-name-tags.json; or name the instance by id)"},
	}
	for _, c := range cases {
		t.Run(strings.ReplaceAll(c.name, " ", "_"), func(t *testing.T) {
			clock := newClock()
			srv := newServer(t, clock)
			srv.AddMetric(ec2("i-0db", time.Minute))
			ec2srv := ec2server.New(t)
			ec2srv.Add(c.instances...)
			if c.fault != nil {
				ec2srv.Inject(*c.fault)
			}
			s := newTagSource(t, srv, ec2srv, clock, Config{Metrics: []Metric{
				EC2CPUByName("main.cpu", "api-main"), EC2CPU("db.host.cpu", "i-0db")}})

			res, err := pollErr(t, s)

			if !errors.Is(err, c.class) || err.Error() != c.want {
				t.Errorf("error %q (class %v), want %q", err, errors.Is(err, c.class), c.want)
			}
			pts := byKey(res.Samples)
			if len(pts["main.cpu"]) != 0 || len(pts["db.host.cpu"]) != 180 {
				t.Errorf("got %d main.cpu and %d db.host.cpu points, want 0 and 180: the other metric must not wait",
					len(pts["main.cpu"]), len(pts["db.host.cpu"]))
			}
			if got := fact(res, "main.cpu"); got != "waiting for the instance tagged api-main" {
				t.Errorf("main.cpu fact %q", got)
			}
			if got := fact(res, "name tag api-main"); got != "not resolved: "+strings.TrimPrefix(c.want, "name tag api-main: ") {
				t.Errorf("name tag fact %q", got)
			}
			if got := srv.Counters().MetricsRequested; got != 1 {
				t.Errorf("%d metrics requested, want only db.host.cpu's", got)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

func TestNameTagsAreResolvedInOneCallAcrossPages(t *testing.T) {
	clock := newClock()
	srv := newServer(t, clock)
	srv.AddMetric(ec2("i-0main", time.Minute))
	srv.AddMetric(ec2("i-0db", time.Minute))
	ec2srv := ec2server.New(t, ec2server.WithPageSize(1))
	ec2srv.Add(ec2server.Tagged("i-0main", "api-main"), ec2server.Tagged("i-0web", "web"), ec2server.Tagged("i-0db", "mongo-db"))
	s := newTagSource(t, srv, ec2srv, clock, Config{Metrics: []Metric{
		EC2CPUByName("main.cpu", "api-main"), EC2CPUByName("db.host.cpu", "mongo-db")}})

	res := poll(t, s)

	if n := ec2srv.Calls(); n != 2 {
		t.Errorf("%d DescribeInstances calls, want 2 (one page per matching instance)", n)
	}
	if f := ec2srv.Filters(); !slices.Equal(f[0]["tag:Name"], []string{"api-main", "mongo-db"}) {
		t.Errorf("filters %v, want both tags in one filter", f)
	}
	pts := byKey(res.Samples)
	if len(pts["main.cpu"]) != 180 || len(pts["db.host.cpu"]) != 180 {
		t.Errorf("got %d and %d points, want 180 each", len(pts["main.cpu"]), len(pts["db.host.cpu"]))
	}
	if got := fact(res, "db.host.cpu"); !strings.HasPrefix(got, "mongo-db (i-0db): data as of") {
		t.Errorf("db.host.cpu fact %q", got)
	}
}

func TestASecondTaggedInstanceOnTheNextPageIsStillAmbiguous(t *testing.T) {
	clock := newClock()
	srv := newServer(t, clock)
	ec2srv := ec2server.New(t, ec2server.WithPageSize(1))
	ec2srv.Add(ec2server.Tagged("i-0a", "api-main"), ec2server.Tagged("i-0b", "api-main"))
	s := newTagSource(t, srv, ec2srv, clock, Config{Metrics: []Metric{EC2CPUByName("main.cpu", "api-main")}})

	_, err := pollErr(t, s)

	if !errors.Is(err, errAmbiguous) || !strings.Contains(err.Error(), "i-0a, i-0b") {
		t.Errorf("error %v, want both ids named", err)
	}
}

func TestALookupThatFailsIsRetriedAndRecovers(t *testing.T) {
	cases := []struct {
		name  string
		fault ec2server.Fault
		class error
		wait  time.Duration // how long until the source calls again
	}{
		{"throttled", ec2server.RequestLimitExceeded(), sources.ErrThrottled, 2 * time.Minute},
		{"a server error", ec2server.InternalError(), errService, time.Minute},
	}
	for _, c := range cases {
		t.Run(strings.ReplaceAll(c.name, " ", "_"), func(t *testing.T) {
			clock := newClock()
			srv := newServer(t, clock)
			srv.AddMetric(ec2("i-0abc", time.Minute))
			ec2srv := ec2server.New(t)
			ec2srv.Add(ec2server.Tagged("i-0abc", "api-main"))
			ec2srv.Inject(c.fault)
			s := newTagSource(t, srv, ec2srv, clock, Config{Metrics: []Metric{EC2CPUByName("main.cpu", "api-main")}})

			_, err := pollErr(t, s)
			if !errors.Is(err, c.class) || !strings.HasPrefix(err.Error(), "name tag api-main: describe instances aws:") {
				t.Fatalf("first poll: %v, want class %v", err, c.class)
			}
			clock.Advance(c.wait)
			res := poll(t, s)
			if n := len(byKey(res.Samples)["main.cpu"]); n == 0 {
				t.Error("no points after the lookup recovered")
			}
			if got := fact(res, "name tag api-main"); got != "i-0abc" {
				t.Errorf("name tag fact %q after recovery", got)
			}
		})
	}
}

func TestTheSDKRetriesALookupWithinOnePoll(t *testing.T) {
	clock := newClock()
	srv := newServer(t, clock)
	srv.AddMetric(ec2("i-0abc", time.Minute))
	ec2srv := ec2server.New(t)
	ec2srv.Add(ec2server.Tagged("i-0abc", "api-main"))
	ec2srv.Inject(ec2server.InternalError(), ec2server.RequestLimitExceeded())
	s := newTagSource(t, srv, ec2srv, clock, Config{RetryMaxAttempts: 3, Metrics: []Metric{EC2CPUByName("main.cpu", "api-main")}})

	res := poll(t, s)

	if n := ec2srv.Calls(); n != 3 {
		t.Errorf("%d DescribeInstances calls, want 3 (two retried failures, one answer)", n)
	}
	if n := len(byKey(res.Samples)["main.cpu"]); n != 180 {
		t.Errorf("got %d points, want 180", n)
	}
}

func TestANameTagCannotNameTheInstanceOfAnExpression(t *testing.T) {
	m := EC2CPUByName("main.cpu", "api-main")
	m.Namespace, m.MetricName, m.Expression = "", "", "SUM(METRICS())"
	if _, err := (Config{Metrics: []Metric{m}}).withDefaults(); err == nil {
		t.Error("no error")
	}
}
