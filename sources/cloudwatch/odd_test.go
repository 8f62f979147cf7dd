package cloudwatch

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stormwatch/stormwatch/internal/scripted/cwserver"
	"github.com/stormwatch/stormwatch/monitor"
	"github.com/stormwatch/stormwatch/monitor/monitortest"
	"github.com/stormwatch/stormwatch/sources"
)

// Issue 13 case 9: a GetMetricData reply that parses but is not the answer
// asked for is the source's error, through the real SDK against cwserver and
// into the engine: never dropped while the source reads ok. The series
// that were answered properly keep their points, and the odd ones are
// asked again on the next poll.
func TestAnOddMetricDataReplyIsTheSourcesError(t *testing.T) {
	upper := func(id string) string { return strings.ToUpper(id[:1]) + id[1:] }
	tests := []struct {
		name  string
		fault cwserver.Fault
		want  string
		keeps bool // the results themselves are sound
	}{
		{"results under Ids that were not asked", cwserver.OddIDs(upper), `unexpected reply: a result for Id "M0", which was not asked`, false},
		{"a status other than Complete or PartialData", cwserver.OddStatus("InternalError"), `unexpected reply: series main.cpu: status "InternalError"`, false},
		{"messages with the reply", cwserver.OddMessages(cwserver.Message{Code: "MaxQueryTimeRangeExceed", Value: "too long"}),
			"unexpected reply: message MaxQueryTimeRangeExceed: too long", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			clock := newClock()
			srv := newServer(t, clock)
			srv.AddMetric(ec2("i-1", time.Minute))
			srv.Inject("GetMetricData", tc.fault)
			s := newSource(t, srv, clock, Config{Name: "aws", Metrics: []Metric{EC2CPU("main.cpu", "i-1")}})
			e := monitor.New(monitor.Config{Sources: []monitor.SourceSpec{{Source: s, Schedule: sources.Schedule{Interval: time.Minute}}},
				Clock: monitortest.NewClock(clock.Now())})
			res, err := s.Poll(context.Background())
			e.Ingest(0, res, err)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to say %q", err, tc.want)
			}
			h := e.Snapshot().Sources[0]
			if h.State != monitor.Failing || !strings.Contains(h.Err, "unexpected reply") {
				t.Errorf("the engine shows the source as %s %q", h.State, h.Err)
			}
			if !tc.keeps && len(res.Samples) != 0 {
				t.Errorf("an odd result became %d samples", len(res.Samples))
			}
			// The next, plain reply brings the window the odd one did not.
			clock.Advance(time.Minute)
			if res := poll(t, s); !tc.keeps && len(res.Samples) == 0 {
				t.Error("the series was not asked again after the odd reply")
			}
		})
	}
}
