package demo_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stormwatch/stormwatch/alert"
	"github.com/stormwatch/stormwatch/config"
	"github.com/stormwatch/stormwatch/monitor"
	"github.com/stormwatch/stormwatch/sources"
	"github.com/stormwatch/stormwatch/sources/demo"
)

var start = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)

// drive plays the scenario through the real engine with a fake clock, one
// poll per second, and returns the engine.
func drive(t *testing.T, seconds int) *monitor.Engine {
	t.Helper()
	clock := monitor.NewFakeClock(start)
	src := demo.New(clock.Now, 1)
	e := monitor.New(monitor.Config{
		Sources: []monitor.SourceSpec{{Source: src, Schedule: sources.Schedule{Interval: time.Second}}},
		Rules:   config.DefaultRules(),
		Clock:   clock,
	})
	for i := 0; i < seconds; i++ {
		res, err := src.Poll(context.Background())
		e.Ingest(0, res, err)
		clock.Advance(time.Second)
		e.Tick()
	}
	return e
}

type transition struct{ at, state string }

func alertTransitions(s *monitor.Snapshot, rule string) []transition {
	var out []transition
	for _, ev := range s.Timeline {
		if ev.Kind == monitor.EventAlert && strings.HasPrefix(ev.Subject, rule+" ") {
			out = append(out, transition{ev.At.Sub(start).String(), ev.State})
		}
	}
	return out
}

func TestDemoFiresTheDBCPUAlertAndResolvesItWithinOneLoop(t *testing.T) {
	e := drive(t, int(demo.Loop/time.Second))
	got := alertTransitions(e.Snapshot(), "db-cpu-high")
	want := []string{string(alert.Pending), string(alert.Firing), string(alert.Resolved)}
	if len(got) != len(want) {
		t.Fatalf("db-cpu-high transitions %v, want states %v", got, want)
	}
	for i := range want {
		if got[i].state != want[i] {
			t.Fatalf("db-cpu-high transitions %v, want states %v", got, want)
		}
	}
	fired, _ := time.ParseDuration(got[1].at)
	resolved, _ := time.ParseDuration(got[2].at)
	if fired < 55*time.Second || fired > 80*time.Second {
		t.Errorf("fired at %s, the scenario's overload peaks around 1:10", fired)
	}
	if resolved < 110*time.Second || resolved > 140*time.Second {
		t.Errorf("resolved at %s, want after server-c is paused at 1:50", resolved)
	}
}

func TestDemoMarksThePauseAndRaisesTheCloudWatchAlarmLate(t *testing.T) {
	s := drive(t, int(demo.Loop/time.Second)).Snapshot()
	if len(s.Marks) != 1 || s.Marks[0].Label != "paused server-c" {
		t.Fatalf("marks %+v", s.Marks)
	}
	var alarmAt time.Duration
	for _, ev := range s.Timeline {
		if ev.Kind == monitor.EventAlarm && ev.State == "ALARM" {
			alarmAt = ev.At.Sub(start)
		}
	}
	fired := alertTransitions(s, "db-cpu-high")[1].at
	f, _ := time.ParseDuration(fired)
	if alarmAt < f+45*time.Second {
		t.Errorf("CloudWatch alarm at %s, stormwatch fired at %s: the alarm should be the slow path", alarmAt, f)
	}
}

func TestDemoLoops(t *testing.T) {
	e := drive(t, 2*int(demo.Loop/time.Second))
	got := alertTransitions(e.Snapshot(), "db-cpu-high")
	firing := 0
	for _, tr := range got {
		if tr.state == string(alert.Firing) {
			firing++
		}
	}
	if firing != 2 {
		t.Fatalf("fired %d times in two loops: %v", firing, got)
	}
}
