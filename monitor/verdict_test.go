package monitor

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stormwatch/stormwatch/alert"
	"github.com/stormwatch/stormwatch/monitor/monitortest"
	"github.com/stormwatch/stormwatch/series"
	"github.com/stormwatch/stormwatch/sources"
	"github.com/stormwatch/stormwatch/verdict"
)

// incident is an engine fed by a request count and a documents-examined
// rate that the test steers, with a rule on the request count.
type incident struct {
	e         *Engine
	c         *monitortest.Clock
	reqs      float64 // requests per second
	work      float64 // docs examined per request
	aws, db   *emitter
	polls     int
	verdictAt map[verdict.Kind]int // first poll each kind appeared at
}

func newIncident(t *testing.T) *incident {
	t.Helper()
	in := &incident{c: monitortest.NewClock(t0), reqs: 40, work: 5, verdictAt: map[verdict.Kind]int{}}
	in.aws = &emitter{name: "aws", clock: in.c, f: func(now time.Time) []series.Sample {
		return []series.Sample{{Key: "main.requests", Point: series.At(now.Add(-time.Second), in.reqs)}}
	}}
	in.db = &emitter{name: "db", clock: in.c, f: func(now time.Time) []series.Sample {
		return []series.Sample{{Key: "db.docs_examined@m1", Point: series.At(now, in.reqs*in.work)}}
	}}
	r := alert.Rule{Name: "traffic", Series: "main.requests", Op: alert.Above, Threshold: 60, M: 2, N: 2,
		Severity: alert.Warning, NoData: alert.NoDataKeep}
	in.e = New(Config{Clock: in.c, Rules: []alert.Rule{r}, RequestsPolled: true,
		Verdict: verdict.Config{Baseline: 30 * time.Second, Window: 5 * time.Second},
		Sources: []SourceSpec{
			{Source: in.aws, Schedule: sources.Schedule{Interval: time.Second}},
			{Source: in.db, Schedule: sources.Schedule{Interval: time.Second}},
		}})
	return in
}

func (in *incident) poll(n int) {
	for range n {
		for i, s := range []sources.Source{in.aws, in.db} {
			res, err := s.Poll(context.Background())
			in.e.Ingest(i, res, err)
		}
		in.c.Advance(time.Second)
		in.e.Tick()
		in.polls++
		if v := in.e.Snapshot().Verdict; v != nil {
			if _, ok := in.verdictAt[v.Kind]; !ok {
				in.verdictAt[v.Kind] = in.polls
			}
		}
	}
}

func verdictEvents(s *Snapshot) []Event {
	var out []Event
	for _, ev := range s.Timeline {
		if ev.Kind == EventVerdict {
			out = append(out, ev)
		}
	}
	return out
}

func TestTheVerdictFollowsTheIncidentAndGoesIntoTheTimelineOnChange(t *testing.T) {
	in := newIncident(t)
	in.poll(40)
	if v := in.e.Snapshot().Verdict; v != nil {
		t.Fatalf("a verdict with no alert: %+v", v)
	}
	in.reqs = 120
	in.poll(10)
	v := in.e.Snapshot().Verdict
	if v == nil || v.Kind != verdict.Load || !strings.HasPrefix(v.Line, "LOAD: API requests x3.0 since 10:00:4") {
		t.Fatalf("after traffic tripled: %+v", v)
	}
	in.work = 60
	in.db.shapes = []sources.Shape{
		{Text: "cctv.events find {camera_id: ?, ts: {$gte: ?}}", App: "server-c", Plan: "COLLSCAN", Collscan: true, Share: 0.75, Before: 0.5,
			// Before the onset (10:00:41) one op in 25; the source's own
			// "before" (0.5) is of another stretch and is not used.
			Samples: []sources.ShapeCount{{At: t0.Add(20 * time.Second), N: 1, Total: 25}, {At: t0.Add(30 * time.Second), N: 1, Total: 25},
				{At: t0.Add(55 * time.Second), N: 30, Total: 40}}},
		{Text: "app.orders find {user_id: ?}", App: "api-main", Share: 0.25, Before: 1},
	}
	in.poll(10)
	v = in.e.Snapshot().Verdict
	if v == nil || v.Kind != verdict.Both || !strings.Contains(v.Line, "| QUERY REGRESSION: DB docs examined per request x12") ||
		!strings.HasSuffix(v.Line, "; top shape cctv.events find {camera_id: ?, ts: {$gte: ?}} COLLSCAN by server-c, 75% of active time (4% before)") {
		t.Fatalf("after work per request rose: %+v", v)
	}
	evs := verdictEvents(in.e.Snapshot())
	var kinds []string
	for _, ev := range evs {
		kinds = append(kinds, ev.State)
	}
	// The first judgement, a poll after the onset, may see too little of
	// the rise; what matters is that LOAD comes before the regression and
	// each change is one line.
	got := strings.Join(kinds, " ")
	if !strings.HasSuffix(got, "load load+regression") || strings.Count(got, "load+regression") != 1 {
		t.Errorf("verdict events %q, want the kinds in order, one line per change", got)
	}
	in.reqs, in.work = 40, 5
	in.poll(10)
	if v := in.e.Snapshot().Verdict; v != nil {
		t.Errorf("verdict after the alert resolved: %+v", v)
	}
}

func TestExplainShowsAVerdictWithoutAnAlertAndHidesItAgain(t *testing.T) {
	in := newIncident(t)
	in.poll(40)
	if !in.e.Explain("alice") {
		t.Fatal("Explain did not turn the verdict on")
	}
	v := in.e.Snapshot().Verdict
	if v == nil || !v.Asked || v.Kind != verdict.None || !strings.HasPrefix(v.Line, "no clear cause yet: API requests x1.0") {
		t.Fatalf("asked verdict on a calm system: %+v", v)
	}
	if in.e.Explain("alice") {
		t.Fatal("second Explain did not turn it off")
	}
	in.poll(1)
	if v := in.e.Snapshot().Verdict; v != nil {
		t.Errorf("verdict still shown: %+v", v)
	}
}

func TestAOnePollFlipOfTheVerdictIsNotATimelineChange(t *testing.T) {
	in := newIncident(t)
	in.e.cfg.Verdict.Window = time.Second // "now" is the newest request point alone
	clear := 10.0
	in.e.cfg.Rules[0].Clear = &clear // the alert holds through the dip
	in.poll(40)
	in.reqs = 120
	in.poll(10)
	before := len(verdictEvents(in.e.Snapshot()))
	in.reqs = 40 // one low point
	in.poll(1)
	in.reqs = 120
	in.poll(5)
	evs := verdictEvents(in.e.Snapshot())
	if len(evs) != before || in.verdictAt[verdict.None] == 0 {
		var got []string
		for _, ev := range evs {
			got = append(got, ev.State)
		}
		t.Errorf("verdict events %q after a one-poll flip (shown: %v), want no new event", got, in.verdictAt)
	}
}
