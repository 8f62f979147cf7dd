package cloudwatch

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stormwatch/stormwatch/internal/scripted/cwserver"
	"github.com/stormwatch/stormwatch/internal/testnet"
	"github.com/stormwatch/stormwatch/sources"
)

func TestErrorsAreClassifiedAndThePollRecovers(t *testing.T) {
	cases := []struct {
		name  string
		fault cwserver.Fault
		class error // nil: no class fits, the message must still say what failed
		want  string
	}{
		{"throttling is ErrThrottled", cwserver.Throttling(), sources.ErrThrottled, "Throttling"},
		{"expired session keys are ErrExpired", cwserver.ExpiredToken(), sources.ErrExpired, "ExpiredToken"},
		{"an unknown access key is ErrAuth", cwserver.InvalidClientTokenID(), sources.ErrAuth, "InvalidClientTokenId"},
		{"a missing permission names the IAM action", cwserver.AccessDenied("GetMetricData"), sources.ErrPermission, "needs cloudwatch:GetMetricData"},
		{"a failing service says so", cwserver.ServerError(), nil, "service error: InternalServiceError: Internal service error"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			clock := newClock()
			srv := newServer(t, clock)
			srv.AddMetric(ec2("i-1", time.Minute))
			srv.Inject("GetMetricData", tc.fault)
			s := newSource(t, srv, clock, Config{Metrics: []Metric{EC2CPU("main.cpu", "i-1")}})

			res, err := s.Poll(context.Background())
			if err == nil {
				t.Fatal("poll succeeded, want an error")
			}
			if tc.class != nil && !errors.Is(err, tc.class) {
				t.Errorf("error %q is not %v", err, tc.class)
			}
			checkMessage(t, err, tc.want)
			if len(res.Samples) != 0 {
				t.Errorf("failed poll returned %d samples", len(res.Samples))
			}

			clock.Advance(20 * time.Minute) // past any throttling hold
			res = poll(t, s)
			if n := len(byKey(res.Samples)["main.cpu"]); n != 180 {
				t.Errorf("after recovery: %d points, want the whole window (180)", n)
			}
		})
	}
}

func TestThrottlingHoldsOffTheNextCalls(t *testing.T) {
	clock := newClock()
	srv := newServer(t, clock)
	srv.AddMetric(ec2("i-1", time.Minute))
	s := newSource(t, srv, clock, Config{Metrics: []Metric{EC2CPU("main.cpu", "i-1")}})
	poll(t, s)

	srv.Inject("GetMetricData", cwserver.Throttling(), cwserver.Throttling())
	clock.Advance(time.Minute)
	if _, err := s.Poll(context.Background()); !errors.Is(err, sources.ErrThrottled) {
		t.Fatalf("poll: %v, want throttled", err)
	}
	calls := srv.Counters().GetMetricDataCalls
	clock.Advance(time.Second)
	if _, err := s.Poll(context.Background()); !errors.Is(err, sources.ErrThrottled) || !strings.Contains(err.Error(), "backing off") {
		t.Errorf("poll during hold: %v, want backing off", err)
	}
	if got := srv.Counters().GetMetricDataCalls; got != calls {
		t.Errorf("a poll during the hold called the API (%d calls, want %d)", got, calls)
	}
	// Throttled twice in a row: the hold doubles (0.5-1 interval, then 1-2).
	clock.Advance(2 * time.Minute)
	if _, err := s.Poll(context.Background()); !errors.Is(err, sources.ErrThrottled) {
		t.Fatalf("second throttled poll: %v", err)
	}
	if hold := s.holdUntil.Sub(clock.Now()); hold < time.Minute || hold > 2*time.Minute {
		t.Errorf("second hold is %s, want 1-2 min", hold)
	}
	clock.Advance(4 * time.Minute)
	res := poll(t, s)
	checkContiguous(t, byKey(res.Samples)["main.cpu"], time.Minute, 7)
}

func TestTheSDKRetriesTransientFailuresWithinAPoll(t *testing.T) {
	clock := newClock()
	srv := newServer(t, clock)
	srv.AddMetric(ec2("i-1", time.Minute))
	srv.Inject("GetMetricData", cwserver.ServerError(), cwserver.Throttling())
	s := newSource(t, srv, clock, Config{Metrics: []Metric{EC2CPU("main.cpu", "i-1")}, RetryMaxAttempts: 3})

	if res := poll(t, s); len(res.Samples) != 180 {
		t.Errorf("%d samples, want 180", len(res.Samples))
	}
	if got := srv.Counters().GetMetricDataCalls; got != 3 {
		t.Errorf("%d calls, want 3 (two retried)", got)
	}
}

func TestABadQueryNamesItsSeries(t *testing.T) {
	clock := newClock()
	srv := newServer(t, clock)
	bad := EC2CPU("main.cpu", "i-1")
	bad.Stat = "Avg"
	s := newSource(t, srv, clock, Config{Metrics: []Metric{EC2CPU("other.cpu", "i-2"), bad}})

	_, err := s.Poll(context.Background())
	if !errors.Is(err, sources.ErrBadRequest) {
		t.Fatalf("poll: %v, want a bad request", err)
	}
	checkMessage(t, err, "series main.cpu: ")

	t.Run("the other series go on without it", func(t *testing.T) {
		srv.AddMetric(ec2("i-2", time.Minute))
		clock.Advance(time.Minute)
		res := poll(t, s)
		if n := len(byKey(res.Samples)["other.cpu"]); n != 180 {
			t.Errorf("other.cpu: %d points, want 180", n)
		}
		if got := fact(res, "main.cpu"); !strings.HasPrefix(got, "rejected by CloudWatch: ") {
			t.Errorf("main.cpu fact %q, want it to say it was rejected", got)
		}
	})
}

func TestTimeoutsAndSlowReplies(t *testing.T) {
	clock := newClock()
	srv := newServer(t, clock)
	srv.AddMetric(ec2("i-1", time.Minute))
	srv.Inject("GetMetricData", cwserver.Hang(), cwserver.Slow(50*time.Millisecond))
	s := newSource(t, srv, clock, Config{Metrics: []Metric{EC2CPU("main.cpu", "i-1")}})

	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	_, err := s.Poll(ctx)
	if !errors.Is(err, sources.ErrTimeout) {
		t.Fatalf("poll of a hanging server: %v, want a timeout", err)
	}
	checkMessage(t, err, "timeout")

	t.Run("a slow reply within the deadline is fine", func(t *testing.T) {
		if res := poll(t, s); len(res.Samples) != 180 {
			t.Errorf("%d samples, want 180", len(res.Samples))
		}
	})
}

func TestAnUnreachableEndpoint(t *testing.T) {
	s := newSourceAt(t, "http://"+testnet.ClosedAddr(t), newClock(), Config{Metrics: []Metric{EC2CPU("main.cpu", "i-1")}})

	_, err := s.Poll(context.Background())
	if !errors.Is(err, sources.ErrUnreachable) {
		t.Fatalf("poll: %v, want unreachable", err)
	}
	checkMessage(t, err, "cannot connect")
}

func TestAlarmErrorsDoNotBlankTheMetrics(t *testing.T) {
	clock := newClock()
	srv := newServer(t, clock)
	srv.AddMetric(ec2("i-1", time.Minute))
	srv.SetAlarms(cwserver.Alarm{Name: "api-5xx", State: "ALARM"})
	srv.Inject("DescribeAlarms", cwserver.AccessDenied("DescribeAlarms"))
	s := newSource(t, srv, clock, Config{AlarmPrefix: "api-", Metrics: []Metric{EC2CPU("main.cpu", "i-1")}})

	res, err := s.Poll(context.Background())
	if !errors.Is(err, sources.ErrPermission) {
		t.Fatalf("poll: %v, want a permission error", err)
	}
	checkMessage(t, err, "needs cloudwatch:DescribeAlarms")
	if len(res.Samples) != 180 || res.Alarms != nil {
		t.Errorf("got %d samples and alarms %v, want 180 samples and nil alarms", len(res.Samples), res.Alarms)
	}
	clock.Advance(time.Minute)
	if res := poll(t, s); len(res.Alarms) != 1 {
		t.Errorf("after recovery: alarms %v", res.Alarms)
	}

	t.Run("both failing is still one line naming both", func(t *testing.T) {
		srv.Inject("GetMetricData", cwserver.ExpiredToken())
		srv.Inject("DescribeAlarms", cwserver.ExpiredToken())
		clock.Advance(time.Minute)
		_, err := s.Poll(context.Background())
		if !errors.Is(err, sources.ErrExpired) {
			t.Fatalf("poll: %v, want expired", err)
		}
		checkMessage(t, err, "get metric data aws: credentials expired: ExpiredToken; describe alarms aws: credentials expired")
	})
}

// checkMessage fails unless err says want and gives away no credentials.
func checkMessage(t *testing.T, err error, want string) {
	t.Helper()
	msg := err.Error()
	if !strings.Contains(msg, want) {
		t.Errorf("error %q does not say %q", msg, want)
	}
	if strings.Contains(msg, "AKIDEXAMPLE") || strings.Contains(msg, "EXAMPLEKEY") {
		t.Errorf("error %q shows credentials", msg)
	}
	if strings.Contains(msg, "\n") {
		t.Errorf("error %q is more than one line", msg)
	}
}
