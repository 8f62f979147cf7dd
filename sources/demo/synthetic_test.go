package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/stormwatch/stormwatch/config"
	"github.com/stormwatch/stormwatch/monitor"
	"github.com/stormwatch/stormwatch/monitor/monitortest"
	"github.com/stormwatch/stormwatch/sources"
	"github.com/stormwatch/stormwatch/sources/demo"
)

func TestTheSyntheticStoryMatchesTheRealOne(t *testing.T) {
	clock := monitortest.NewClock(start)
	src := demo.New(clock.Now, 1)
	e := monitor.New(monitor.Config{
		Sources: []monitor.SourceSpec{{Source: src, Schedule: sources.Schedule{Interval: time.Second}}},
		Rules:   config.DefaultRules(),
		Clock:   clock,
	})
	for range int(demo.Loop / time.Second) {
		res, err := src.Poll(context.Background())
		e.Ingest(0, res, err)
		clock.Advance(time.Second)
		e.Tick()
	}
	got := alertTransitions(e.Snapshot(), "db-cpu-high")
	if states(got) != "PENDING,FIRING,RESOLVED" {
		t.Fatalf("db-cpu-high transitions %v", got)
	}
	real := alertTransitions(drive(t, int(demo.Loop/time.Second)).Snapshot(), "db-cpu-high")
	for i := range got {
		if d := got[i].at - real[i].at; d < -5*time.Second || d > 5*time.Second {
			t.Errorf("transition %d: synthetic at %s, real sources at %s", i, got[i].at, real[i].at)
		}
	}
}
