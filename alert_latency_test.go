package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stormwatch/stormwatch/alert"
	"github.com/stormwatch/stormwatch/bench/uiloop"
	"github.com/stormwatch/stormwatch/config"
	"github.com/stormwatch/stormwatch/monitor"
	"github.com/stormwatch/stormwatch/monitor/monitortest"
	"github.com/stormwatch/stormwatch/sources"
	"github.com/stormwatch/stormwatch/sources/demo"
	"github.com/stormwatch/stormwatch/ui"
)

// TestTheBannerShowsInTheSamePollThatCompletesTheRule plays the demo story
// with a fake clock, one poll at a time, into the real engine and a real
// dashboard model, and checks that the poll whose sample completes
// db-cpu-high's 3 of 3 is the poll after which the banner is on the screen:
// zero extra polls between the crossing and the picture.
func TestTheBannerShowsInTheSamePollThatCompletesTheRule(t *testing.T) {
	start := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	clock := monitortest.NewClock(start)
	src := demo.New(clock.Now, 7)
	e := monitor.New(monitor.Config{
		Sources: []monitor.SourceSpec{{Source: src, Schedule: sources.Schedule{Interval: time.Second}}},
		Rules:   config.DefaultRules(),
		Clock:   clock,
	})
	snaps, cancel := e.Subscribe()
	defer cancel()
	loop := uiloop.Start(ui.Options{Snapshots: snaps, Now: clock.Now}, 120, 40)
	defer loop.Stop()

	var above int // consecutive primary samples over 80%
	for poll := 1; poll <= int(demo.Loop/time.Second); poll++ {
		res, err := src.Poll(context.Background())
		for _, s := range res.Samples {
			if s.Key == "db.cpu@"+demo.Primary {
				if s.Point.V > 80 {
					above++
				} else {
					above = 0
				}
			}
		}
		e.Ingest(0, res, err)
		firing := false
		for _, a := range e.Snapshot().Alerts {
			firing = firing || a.Rule == "db-cpu-high" && a.State == alert.Firing
		}
		if above == 3 != firing {
			t.Fatalf("poll %d: %d consecutive samples over 80%% but firing=%v", poll, above, firing)
		}
		if firing {
			seq := e.Snapshot().Seq
			loop.Await(t, "the db-cpu-high banner", func(scr string) bool {
				return strings.Contains(scr, "CRITICAL FIRING  db-cpu-high")
			})
			if e.Snapshot().Seq != seq {
				t.Fatal("the engine moved on while waiting for the screen")
			}
			t.Logf("db-cpu-high fired at poll %d (scenario %s), banner drawn before poll %d", poll, clock.Now().Sub(start), poll+1)
			return
		}
		clock.Advance(time.Second)
		e.Tick()
	}
	t.Fatal("db-cpu-high never fired")
}
