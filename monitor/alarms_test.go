package monitor

import (
	"testing"
	"time"

	"github.com/stormwatch/stormwatch/text"
)

// A CloudWatch alarm in ALARM could be neither acked nor silenced: it held
// the banner and rang whatever the people on the call had done.
func TestACloudWatchAlarmIsAckedAndSilencedUntilItAlarmsAgain(t *testing.T) {
	src := &scripted{name: "aws", vals: make([]float64, 6), alarms: []string{"ALARM", "ALARM", "OK", "ALARM", "ALARM", "ALARM"}}
	e, c := newTest(t, src)
	id := AlarmID{Source: "aws", Name: text.Clean("db-high")}
	alarm := func() AlarmView {
		t.Helper()
		s := e.Snapshot()
		if len(s.Alarms) != 1 {
			t.Fatalf("alarms = %v", s.Alarms)
		}
		return s.Alarms[0]
	}
	step(e, c, src, 1)
	if !e.AckAlarm(id, "ana") || alarm().AckedBy != "ana" {
		t.Fatalf("ack of an alarm in ALARM: %+v", alarm())
	}
	if last := e.Snapshot().Timeline; last[len(last)-1].Kind != EventAck || last[len(last)-1].Subject != "[CW] db-high" || last[len(last)-1].Who != "ana" {
		t.Errorf("the ack is not on the timeline: %+v", last[len(last)-1])
	}
	step(e, c, src, 1) // still ALARM: the ack holds
	if alarm().AckedBy != "ana" {
		t.Error("the ack was lost while the alarm stayed in ALARM")
	}
	step(e, c, src, 1) // OK
	if e.AckAlarm(id, "bo") {
		t.Error("an alarm in OK was acked")
	}
	step(e, c, src, 1) // ALARM again: a new incident starts unacked
	if a := alarm(); a.AckedBy != "" {
		t.Errorf("the old ack holds over a new ALARM: %+v", a)
	}
	if !e.SilenceAlarm(id, time.Hour, "ana") || !alarm().Silenced(c.Now()) {
		t.Errorf("silence: %+v", alarm())
	}
	if !e.SilenceAlarm(id, 0, "ana") || alarm().Silenced(c.Now()) {
		t.Errorf("unsilence: %+v", alarm())
	}
	if e.AckAlarm(AlarmID{Source: "aws", Name: text.Clean("other")}, "ana") {
		t.Error("an alarm nobody reported was acked")
	}
}
