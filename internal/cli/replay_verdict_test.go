package cli

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stormwatch/stormwatch/config"
	"github.com/stormwatch/stormwatch/monitor"
	"github.com/stormwatch/stormwatch/monitor/monitortest"
	"github.com/stormwatch/stormwatch/record"
)

// TestReplayOfTheDemoNamesTheCausesTheLiveDemoNamed plays the built-in
// demo recording through the engine replay --demo builds, polling once a
// second on a fake clock, and reads the verdict at moments of the story.
// The live demo (sources/demo TestThePeakScenario...) says both clauses
// from a few polls after server-c starts (0:50) until it is paused (1:50),
// and LOAD with steady work per request after it until the alerts resolve.
func TestReplayOfTheDemoNamesTheCausesTheLiveDemoNamed(t *testing.T) {
	rec, err := record.Demo()
	if err != nil {
		t.Fatal(err)
	}
	start := rec.Start().Truncate(time.Minute) // the story's 0:00
	clock := monitortest.NewClock(rec.Start())
	rp := record.NewReplay(rec, clock.Now, time.Time{}, time.Time{})
	ended := false
	rp.End = func() { ended = true }
	mc := replayConfig(rp, config.DefaultRules(), nil, true)
	mc.Clock = clock
	e := monitor.New(mc)
	at := map[time.Duration]string{}
	var lines []string
	for !ended {
		res, err := rp.Poll(context.Background())
		e.Ingest(0, res, err)
		clock.Advance(time.Second)
		e.Tick()
		if v := e.Snapshot().Verdict; v != nil {
			at[clock.Now().Sub(start)] = v.Line
			if len(lines) == 0 || lines[len(lines)-1] != v.Line {
				lines = append(lines, v.Line)
			}
		}
	}
	if len(lines) == 0 {
		t.Fatal("the replay of the demo never showed a verdict")
	}
	for _, tc := range []struct {
		t    time.Duration
		want []string
	}{
		{69 * time.Second, []string{"LOAD: API requests x", " -> scale or shed load | QUERY REGRESSION: DB docs examined per request x", "; the recording has no query shapes"}},
		{100 * time.Second, []string{"LOAD: API requests x", "| QUERY REGRESSION: DB docs examined per request x", "; the recording has no query shapes"}},
	} {
		got := at[tc.t]
		for _, w := range tc.want {
			if !strings.Contains(got, w) {
				t.Errorf("at %s the replay says %q; want %q in it", tc.t, got, w)
			}
		}
	}
	// After the pause, until the alerts resolve: the load alone.
	if last := lines[len(lines)-1]; !strings.HasPrefix(last, "LOAD: API requests x") || !strings.HasSuffix(last, "; DB work per request steady -> scale or shed load") {
		t.Errorf("the replay's last verdict is %q; want the load with work per request steady", last)
	}
	for _, l := range lines {
		if strings.Contains(l, "sampled yet") {
			t.Errorf("a recording has no query shapes, so not \"yet\": %s", l)
		}
	}
	if t.Failed() {
		t.Logf("the replay's lines: %q", lines)
	}
}
