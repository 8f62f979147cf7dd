package cloudwatch

import (
	"fmt"
	"testing"
	"time"

	"github.com/stormwatch/stormwatch/internal/scripted/cwserver"
)

func TestAlarmsMetricAndCompositePaginated(t *testing.T) {
	clock := newClock()
	srv := newServer(t, clock)
	changed := time.Date(2026, 11, 27, 9, 41, 0, 0, time.UTC)
	var alarms []cwserver.Alarm
	for i := range 110 {
		alarms = append(alarms, cwserver.Alarm{Name: fmt.Sprintf("api-%03d", i), State: "OK", Reason: "Threshold Crossed", Updated: changed})
	}
	alarms = append(alarms,
		cwserver.Alarm{Name: "api-zz-composite", Composite: true, State: "ALARM", Reason: "api-001 in ALARM",
			Updated: changed.Add(5 * time.Minute), Transitioned: changed},
		cwserver.Alarm{Name: "billing", State: "ALARM"},
		cwserver.Alarm{Name: "db-replication", State: "INSUFFICIENT_DATA", Updated: changed},
	)
	srv.SetAlarms(alarms...)
	srv.AddMetric(ec2("i-1", time.Minute))
	s := newSource(t, srv, clock, Config{
		AlarmPrefix: "api-", AlarmNames: []string{"db-replication", "api-001"},
		Metrics: []Metric{EC2CPU("main.cpu", "i-1")},
	})

	res := poll(t, s)
	if len(res.Alarms) != 112 {
		t.Fatalf("%d alarms, want 110 metric + 1 composite + 1 by name", len(res.Alarms))
	}
	// 111 by prefix at 50 a page, then one page for the names.
	if got := srv.Counters().DescribeAlarmsCalls; got != 4 {
		t.Errorf("%d DescribeAlarms calls, want 4", got)
	}
	byName := map[string]int{}
	for i, a := range res.Alarms {
		byName[a.Name.String()] = i
	}
	comp := res.Alarms[byName["api-zz-composite"]]
	if comp.State != "ALARM" || comp.Reason.String() != "api-001 in ALARM" || !comp.Since.Equal(changed) || comp.Since.Location() != time.UTC {
		t.Errorf("composite alarm %+v: want ALARM since its state changed at %s UTC", comp, changed)
	}
	if a := res.Alarms[byName["db-replication"]]; a.State != "INSUFFICIENT_DATA" {
		t.Errorf("named alarm %+v", a)
	}
	if _, ok := byName["billing"]; ok {
		t.Error("an alarm neither named nor prefixed was listed")
	}

	t.Run("alarms are not polled again before AlarmsInterval", func(t *testing.T) {
		clock.Advance(30 * time.Second)
		if res := poll(t, s); res.Alarms != nil {
			t.Errorf("got %d alarms 30 s later, want nil (not polled)", len(res.Alarms))
		}
		clock.Advance(30 * time.Second)
		if res := poll(t, s); len(res.Alarms) != 112 {
			t.Errorf("got %d alarms 60 s later, want 112", len(res.Alarms))
		}
	})

	t.Run("no matching alarms is an empty list, not nil", func(t *testing.T) {
		srv.SetAlarms()
		clock.Advance(time.Minute)
		res := poll(t, s)
		if res.Alarms == nil || len(res.Alarms) != 0 {
			t.Errorf("alarms %v, want empty non-nil", res.Alarms)
		}
	})
}
