package demo_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stormwatch/stormwatch/config"
	"github.com/stormwatch/stormwatch/monitor"
	"github.com/stormwatch/stormwatch/monitor/monitortest"
	"github.com/stormwatch/stormwatch/sources/demo"
	"github.com/stormwatch/stormwatch/verdict"
)

// verdictRun is what one loop of a scenario made the engine say.
type verdictRun struct {
	onset      int            // poll at which the verdict first showed (an alert went pending)
	first      map[string]int // poll at which each clause first showed
	lines      []string       // every distinct line, in order
	regression bool           // a regression clause ever showed
}

// playVerdict plays one loop of sc through the production path (the real
// MongoDB and CloudWatch sources against the scripted servers, the engine
// with the built-in rules and the demo's verdict windows) at a fake clock
// moving a second per round of polls.
func playVerdict(t *testing.T, sc *demo.Scenario) verdictRun {
	t.Helper()
	clock := monitortest.NewClock(time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC))
	b, err := demo.StartScenario(sc, clock.Now, clock.After)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Close)
	demand := &monitor.Demand{}
	demand.SetLocal(true)
	polled, closeSources, err := b.Sources(clock.Now, demand.Wanted)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(closeSources)
	var specs []monitor.SourceSpec
	for _, p := range polled {
		specs = append(specs, monitor.SourceSpec{Source: p.Source, Schedule: p.Schedule})
	}
	e := monitor.New(monitor.Config{Sources: specs, Rules: config.DefaultRules(), Clock: clock,
		Verdict: demo.Verdict, RequestsPolled: true})
	demand.Attach(e)
	run := verdictRun{onset: -1, first: map[string]int{}}
	for sec := 0; sec < int(demo.Loop/time.Second); sec++ {
		pollRound(e, polled, clock)
		v := e.Snapshot().Verdict
		if v == nil {
			continue
		}
		if run.onset < 0 {
			run.onset = sec
		}
		if len(run.lines) == 0 || run.lines[len(run.lines)-1] != v.Line {
			run.lines = append(run.lines, v.Line)
			if testing.Verbose() {
				t.Logf("poll %d: %s", sec, v.Line)
			}
		}
		for _, clause := range []string{"LOAD:", "QUERY REGRESSION:"} {
			if _, seen := run.first[clause]; !seen && strings.Contains(v.Line, clause) {
				run.first[clause] = sec - run.onset
			}
		}
		run.regression = run.regression || v.Kind == verdict.Regression || v.Kind == verdict.Both
	}
	return run
}

var beforeShare = regexp.MustCompile(`\(\d+% before\)`)

func TestThePeakScenarioNamesTheTrafficFirstAndServerCAfter(t *testing.T) {
	run := playVerdict(t, demo.Peak)
	load, okL := run.first["LOAD:"]
	reg, okR := run.first["QUERY REGRESSION:"]
	t.Logf("verdict from poll %d of the loop; LOAD at poll %d after the onset, QUERY REGRESSION at poll %d", run.onset, load, reg)
	// Every regression line names server-c's scan: the shape is measured
	// over the same stretch as the work figure it explains, so after
	// server-c is paused the line never blames the shape that is busiest
	// once the scans stop (api-main's indexed find).
	// Its share before is over the baseline before the onset, which does
	// not move once the onset is past: one figure on every line.
	named, before := false, ""
	for _, l := range run.lines {
		if !strings.Contains(l, "QUERY REGRESSION") {
			continue
		}
		if !named {
			t.Logf("first regression line: %s", l)
			named = true
		}
		if !strings.Contains(l, "top shape cctv.events find {camera_id: ?, ts: {$gte: ?}} COLLSCAN by server-c") {
			t.Errorf("a regression line does not name server-c's scan: %s", l)
		}
		if m := beforeShare.FindString(l); before == "" {
			before = m
		} else if m != before {
			t.Errorf("the share before the onset moved from %q to %q: %s", before, m, l)
		}
	}
	if !okL || !okR {
		t.Fatalf("want both clauses; saw %q", run.lines)
	}
	if load >= reg {
		t.Errorf("LOAD at poll %d, QUERY REGRESSION at %d: the ad push's traffic must come first", load, reg)
	}
	both := false
	for _, l := range run.lines {
		both = both || strings.HasPrefix(l, "LOAD:") && strings.Contains(l, "| QUERY REGRESSION:")
	}
	if !both {
		t.Errorf("never both clauses in one line: %q", run.lines)
	}
}

func TestTheTrafficScenarioSaysLoadAndNothingElse(t *testing.T) {
	run := playVerdict(t, demo.TrafficOnly)
	if _, ok := run.first["LOAD:"]; !ok || run.regression {
		t.Fatalf("want LOAD and never a regression; saw %q", run.lines)
	}
	lastWeek := false
	for _, l := range run.lines {
		if strings.Contains(l, "QUERY REGRESSION") {
			t.Errorf("a regression in the traffic scenario: %q", l)
		}
		lastWeek = lastWeek || strings.Contains(l, "x3.0 of last week")
	}
	if !lastWeek {
		t.Errorf("the load is never compared with last week (x3.0): %q", run.lines)
	}
	t.Logf("verdict from poll %d; LOAD at poll %d after the onset; lines %q", run.onset, run.first["LOAD:"], run.lines)
}
