package monitor

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stormwatch/stormwatch/alert"
	"github.com/stormwatch/stormwatch/monitor/monitortest"
	"github.com/stormwatch/stormwatch/series"
	"github.com/stormwatch/stormwatch/sources"
	"github.com/stormwatch/stormwatch/text"
)

var t0 = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)

type scripted struct {
	name  string
	clock Clock
	vals  []float64
	errs  []error
	// alarms is the state of the external alarm "db-high" at each poll
	// ("" reports no alarm).
	alarms []string
	i      int
}

func (s *scripted) Name() string { return s.name }
func (s *scripted) Poll(ctx context.Context) (sources.Result, error) {
	i := s.i
	s.i++
	var res sources.Result
	if i < len(s.vals) {
		res.Samples = []series.Sample{{Key: "main.cpu", Point: series.At(s.clock.Now(), s.vals[i])}}
	}
	if i < len(s.alarms) && s.alarms[i] != "" {
		res.Alarms = []sources.Alarm{{Name: text.Clean("db-high"), State: s.alarms[i], Since: s.clock.Now()}}
	}
	if i < len(s.errs) && s.errs[i] != nil {
		return sources.Result{}, s.errs[i]
	}
	return res, nil
}

func newTest(t *testing.T, src *scripted, rules ...alert.Rule) (*Engine, *monitortest.Clock) {
	t.Helper()
	c := monitortest.NewClock(t0)
	src.clock = c
	return New(Config{Sources: []SourceSpec{{Source: src, Schedule: sources.Schedule{Interval: time.Second}}}, Rules: rules, Clock: c}), c
}

func step(e *Engine, c *monitortest.Clock, src *scripted, n int) {
	for range n {
		res, err := src.Poll(context.Background())
		e.Ingest(0, res, err)
		c.Advance(time.Second)
		e.Tick()
	}
}

func rule(name string, th float64) alert.Rule {
	return alert.Rule{Name: name, Series: "main.cpu", Op: alert.Above, Threshold: th, Severity: alert.Warning, NoData: alert.NoDataState}
}

func TestTwoRulesOnOneUnlabelledSeriesEachRecordOneTransition(t *testing.T) {
	src := &scripted{name: "s", vals: []float64{50, 90, 90, 90}}
	e, c := newTest(t, src, rule("high", 80), rule("elevated", 65))
	step(e, c, src, 4)
	n := 0
	for _, ev := range e.Snapshot().Timeline {
		if ev.Kind == EventAlert {
			n++
		}
	}
	if n != 2 {
		t.Fatalf("%d alert events, want 2 (one FIRING per rule): %+v", n, e.Snapshot().Timeline)
	}
}

func TestAFailingSourceShowsTheReasonBacksOffAndRecovers(t *testing.T) {
	boom := errors.Join(sources.ErrUnreachable, errors.New("dial mongodb://u:hunter2@db:27017: refused"))
	src := &scripted{name: "db", vals: []float64{1, 1, 1, 1, 1}, errs: []error{nil, boom, boom, boom, nil}}
	e, c := newTest(t, src)
	var waits []time.Duration
	for range 5 {
		res, err := src.Poll(context.Background())
		waits = append(waits, e.Ingest(0, res, err))
		if len(waits) == 4 {
			h := e.Snapshot().Sources[0]
			if h.State != Failing || h.Failures != 3 || strings.Contains(h.Err, "hunter2") || h.Hint == "" {
				t.Fatalf("health while failing: %+v", h)
			}
			if d := h.Describe(c.Now()); !strings.HasPrefix(d, "error: ") || !strings.Contains(d, "retry in") {
				t.Fatalf("describe %q", d)
			}
		}
		c.Advance(time.Second)
	}
	if !(waits[3] > waits[1]) {
		t.Errorf("no backoff: waits %v", waits)
	}
	if h := e.Snapshot().Sources[0]; h.State != Healthy || h.Failures != 0 {
		t.Fatalf("did not recover: %+v", h)
	}
	var kinds []string
	for _, ev := range e.Snapshot().Timeline {
		if ev.Kind == EventSource {
			kinds = append(kinds, ev.State)
		}
	}
	if strings.Join(kinds, ",") != "error,ok" {
		t.Fatalf("source events %v", kinds)
	}
}

func TestStaleIsAFunctionOfTime(t *testing.T) {
	h := SourceHealth{Interval: time.Second, State: Healthy, LastOK: t0}
	if got := h.Describe(t0.Add(2 * time.Second)); got != "ok" {
		t.Fatal(got)
	}
	if got := h.Describe(t0.Add(12 * time.Second)); got != "stale 12s" {
		t.Fatal(got)
	}
}

func TestASlowSubscriberNeverBlocksTheEngine(t *testing.T) {
	src := &scripted{name: "s", vals: make([]float64, 100)}
	e, c := newTest(t, src)
	ch, cancel := e.Subscribe()
	defer cancel()
	step(e, c, src, 100) // nobody reads ch meanwhile
	s := <-ch
	if s.Seq != e.Snapshot().Seq {
		t.Fatalf("subscriber got seq %d, newest is %d", s.Seq, e.Snapshot().Seq)
	}
}

func TestAckIsClearedWhenTheAlertFiresAgain(t *testing.T) {
	src := &scripted{name: "s", vals: []float64{90, 50, 90}}
	e, c := newTest(t, src, rule("high", 80))
	step(e, c, src, 1)
	id := e.Snapshot().Alerts[0].ID()
	if !e.Ack(id, "alice") || e.Snapshot().Alerts[0].AckedBy != "alice" {
		t.Fatal("ack not recorded")
	}
	step(e, c, src, 2)
	if a := e.Snapshot().Alerts[0]; a.State != alert.Firing || a.AckedBy != "" {
		t.Fatalf("after re-firing: %+v", a)
	}
}

func TestRunStopsAllGoroutinesOnCancel(t *testing.T) {
	src := &scripted{name: "s", vals: make([]float64, 1000)}
	src.clock = RealClock{}
	e := New(Config{Sources: []SourceSpec{{Source: src, Schedule: sources.Schedule{Interval: time.Millisecond * 10}}}})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { e.Run(ctx); close(done) }()
	cancel()
	<-done
}

func TestJoinAndLeaveAreOnTheTimelineAndInViewers(t *testing.T) {
	clock := monitortest.NewClock(time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC))
	e := New(Config{Clock: clock})
	e.Join("bob")
	e.Join("alice")
	e.Join("bob")
	before := e.Snapshot()
	e.Leave("bob")
	e.Leave("nobody")
	after := e.Snapshot()
	if got := strings.Join(before.Viewers, ","); got != "alice,bob,bob" {
		t.Errorf("viewers before leave = %q", got)
	}
	if got := strings.Join(after.Viewers, ","); got != "alice,bob" {
		t.Errorf("viewers after leave = %q (an earlier snapshot must not change: %v)", got, before.Viewers)
	}
	var kinds []string
	for _, ev := range after.Timeline {
		if ev.Kind == EventViewer {
			kinds = append(kinds, ev.Subject+" "+ev.State)
		}
	}
	if got := strings.Join(kinds, ","); got != "bob joined,alice joined,bob joined,bob left" {
		t.Errorf("viewer events = %q", got)
	}
}

func TestLatePublishedPointsDoNotFlipToNoData(t *testing.T) {
	// Points that arrive 3 s old (a 1 s CloudWatch period published a
	// couple of seconds late) at a 1 s poll must not look like missing data.
	c := monitortest.NewClock(t0)
	src := &lagging{clock: c, lag: 3 * time.Second}
	e := New(Config{Sources: []SourceSpec{{Source: src, Schedule: sources.Schedule{Interval: time.Second}}},
		Rules: []alert.Rule{rule("high", 80)}, Clock: c})
	for range 20 {
		res, err := src.Poll(context.Background())
		e.Ingest(0, res, err)
		c.Advance(700 * time.Millisecond)
		e.Tick()
		c.Advance(300 * time.Millisecond)
		e.Tick()
	}
	for _, ev := range e.Snapshot().Timeline {
		if ev.State == string(alert.Missing) {
			t.Fatalf("NO DATA at %s for a series that never stopped", ev.At)
		}
	}
}

type lagging struct {
	clock Clock
	lag   time.Duration
}

func (l *lagging) Name() string { return "aws" }
func (l *lagging) Poll(context.Context) (sources.Result, error) {
	return sources.Result{Samples: []series.Sample{{Key: "main.cpu", Point: series.At(l.clock.Now().Add(-l.lag).Truncate(time.Second), 50)}}}, nil
}

// batch delivers several points per poll, as CloudWatch does when it
// publishes late.
type batch struct {
	clock Clock
	polls [][]float64
	i     int
}

func (b *batch) Name() string { return "aws" }
func (b *batch) Poll(context.Context) (sources.Result, error) {
	var res sources.Result
	if b.i < len(b.polls) {
		vals := b.polls[b.i]
		end := b.clock.Now()
		for j, v := range vals {
			at := end.Add(-time.Duration(len(vals)-1-j) * 20 * time.Second)
			res.Samples = append(res.Samples, series.Sample{Key: "main.cpu", Point: series.At(at, v)})
		}
	}
	b.i++
	return res, nil
}

func TestAnMofNWindowInsideABatchOfPointsStillFires(t *testing.T) {
	c := monitortest.NewClock(t0)
	src := &batch{clock: c, polls: [][]float64{{10, 90, 90}, {90, 10, 10}}}
	r := alert.Rule{Name: "high", Series: "main.cpu", Op: alert.Above, Threshold: 80, M: 3, N: 3,
		Severity: alert.Critical, NoData: alert.NoDataState, NoDataAfter: 5 * time.Minute}
	e := New(Config{Sources: []SourceSpec{{Source: src, Schedule: sources.Schedule{Interval: time.Minute}}}, Rules: []alert.Rule{r}, Clock: c})
	for range 2 {
		res, err := src.Poll(context.Background())
		e.Ingest(0, res, err)
		c.Advance(time.Minute)
	}
	var states []string
	for _, ev := range e.Snapshot().Timeline {
		if ev.Kind == EventAlert {
			states = append(states, ev.State)
		}
	}
	if strings.Join(states, ",") != "PENDING,FIRING,RESOLVED" {
		t.Fatalf("transitions %v: the 90,90,90 window across two polls must fire", states)
	}
}

func TestABackfilledHistoryIsNotReplayedAsTransitions(t *testing.T) {
	c := monitortest.NewClock(t0)
	// The first poll brings an hour of history with an old spike in it.
	var hist []float64
	for i := range 180 {
		v := 10.0
		if i > 20 && i < 30 {
			v = 95
		}
		hist = append(hist, v)
	}
	src := &batch{clock: c, polls: [][]float64{hist}}
	e := New(Config{Sources: []SourceSpec{{Source: src, Schedule: sources.Schedule{Interval: time.Minute}}},
		Rules: []alert.Rule{rule("high", 80)}, Clock: c})
	res, err := src.Poll(context.Background())
	e.Ingest(0, res, err)
	for _, ev := range e.Snapshot().Timeline {
		if ev.Kind == EventAlert {
			t.Fatalf("history replayed as a transition: %+v", ev)
		}
	}
}

// An ack is about a firing alert: acking one that is over would record
// "acknowledged" in the timeline for something nobody was paged about.
func TestOnlyAFiringAlertCanBeAcked(t *testing.T) {
	src := &scripted{name: "s", vals: []float64{90, 50}}
	e, c := newTest(t, src, rule("high", 80))
	step(e, c, src, 2)
	a := e.Snapshot().Alerts[0]
	if a.State != alert.Resolved {
		t.Fatalf("state = %s, want RESOLVED", a.State)
	}
	events := len(e.Snapshot().Timeline)
	if e.Ack(a.ID(), "alice") {
		t.Error("a resolved alert was acked")
	}
	s := e.Snapshot()
	if s.Alerts[0].AckedBy != "" || len(s.Timeline) != events {
		t.Errorf("acking a resolved alert changed it: %+v, %d new events", s.Alerts[0], len(s.Timeline)-events)
	}
}

// "I'm on it" said while the alert is pending holds when it fires: the
// bell does not ring for what somebody already took.
func TestAnAckWhilePendingHoldsWhenItFires(t *testing.T) {
	src := &scripted{name: "s", vals: []float64{90, 90, 90}}
	r := rule("high", 80)
	r.For = 2 * time.Second
	e, c := newTest(t, src, r)
	step(e, c, src, 1)
	a := e.Snapshot().Alerts[0]
	if a.State != alert.Pending {
		t.Fatalf("state = %s, want PENDING", a.State)
	}
	if !e.Ack(a.ID(), "alice") {
		t.Fatal("a pending alert could not be acked")
	}
	step(e, c, src, 2)
	if a := e.Snapshot().Alerts[0]; a.State != alert.Firing || a.AckedBy != "alice" {
		t.Errorf("after firing: %s acked by %q, want FIRING acked by alice", a.State, a.AckedBy)
	}
}

func TestTablesSayWhichSourceSentThem(t *testing.T) {
	e := New(Config{Sources: []SourceSpec{{Source: &scripted{name: "db2"}}}})
	e.Ingest(0, sources.Result{Tables: []sources.Table{{Name: "top clients"}}}, nil)
	if tb := e.Snapshot().Tables; len(tb) != 1 || tb[0].Source != "db2" {
		t.Errorf("tables = %+v, want one from db2", tb)
	}
}
