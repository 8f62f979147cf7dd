package demo_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stormwatch/stormwatch/alert"
	"github.com/stormwatch/stormwatch/monitor"
	"github.com/stormwatch/stormwatch/monitor/monitortest"
	"github.com/stormwatch/stormwatch/sources/demo"
)

var start = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)

// drive plays the scenario through the production path: the real MongoDB
// and CloudWatch sources polling the demo's scripted servers over loopback,
// the real engine and the built-in rules, with a fake clock that moves one
// second per round of polls.
func drive(t *testing.T, seconds int) *monitor.Engine {
	t.Helper()
	e, _, play := playedDemo(t, start)
	play(seconds)
	return e
}

// pollRound polls every source once, feeds the engine, then moves the
// fake clock a second and lets the rules tick: one second of the demo.
func pollRound(e *monitor.Engine, polled []demo.Polled, clock *monitortest.Clock) {
	for i, p := range polled {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		res, err := p.Source.Poll(ctx)
		cancel()
		e.Ingest(i, res, err)
	}
	clock.Advance(time.Second)
	e.Tick()
}

type transition struct {
	at    time.Duration
	state string
}

func alertTransitions(s *monitor.Snapshot, rule string) []transition {
	var out []transition
	for _, ev := range s.Timeline {
		if ev.Kind == monitor.EventAlert && ev.Rule == rule {
			out = append(out, transition{ev.At.Sub(start), ev.State})
		}
	}
	return out
}

func states(ts []transition) string {
	var s []string
	for _, t := range ts {
		s = append(s, t.state)
	}
	return strings.Join(s, ",")
}

func TestDemoThroughTheRealSourcesFiresAndResolvesWithinOneLoop(t *testing.T) {
	e := drive(t, int(demo.Loop/time.Second))
	s := e.Snapshot()
	for _, h := range s.Sources {
		if h.State != monitor.Healthy {
			t.Errorf("source %s is %s: %s", h.Name, h.State, h.Err)
		}
	}
	got := alertTransitions(s, "db-cpu-high")
	if states(got) != "PENDING,FIRING,RESOLVED" {
		t.Fatalf("db-cpu-high transitions %v", got)
	}
	if fired := got[1].at; fired < 55*time.Second || fired > 80*time.Second {
		t.Errorf("fired at %s; the scenario's overload peaks around 1:10", fired)
	}
	if resolved := got[2].at; resolved < 110*time.Second || resolved > 140*time.Second {
		t.Errorf("resolved at %s; want soon after server-c is paused at 1:50", resolved)
	}
	if st := states(alertTransitions(s, "main-cpu-elevated")); !strings.Contains(st, "FIRING,RESOLVED") {
		t.Errorf("main-cpu-elevated (CloudWatch main.cpu) transitions %s", st)
	}
	if st := states(alertTransitions(s, "db-missing-index")); !strings.Contains(st, "FIRING") {
		t.Errorf("db-missing-index transitions %s", st)
	}
	// Both members are graphed, from the real source's member labels.
	members := 0
	for k := range s.Series {
		if strings.HasPrefix(k, "db.cpu@") {
			members++
		}
	}
	if members != 2 {
		t.Errorf("%d db.cpu member series, want primary and secondary", members)
	}
}

func TestDemoMarksThePauseAndRaisesTheCloudWatchAlarmLate(t *testing.T) {
	s := drive(t, int(demo.Loop/time.Second)).Snapshot()
	if len(s.Marks) != 1 || s.Marks[0].Label.String() != "paused server-c" {
		t.Fatalf("marks %+v", s.Marks)
	}
	var alarmAt time.Duration
	for _, ev := range s.Timeline {
		if ev.Kind == monitor.EventAlarm && ev.State == "ALARM" {
			alarmAt = ev.At.Sub(start)
		}
	}
	fired := alertTransitions(s, "db-cpu-high")
	if len(fired) < 2 || fired[1].state != string(alert.Firing) {
		t.Fatalf("db-cpu-high transitions %v", fired)
	}
	if alarmAt < fired[1].at+45*time.Second {
		t.Errorf("CloudWatch alarm at %s, stormwatch fired at %s: the alarm should be the slow path", alarmAt, fired[1].at)
	}
}
