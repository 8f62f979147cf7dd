package monitor

import (
	"time"

	"github.com/stormwatch/stormwatch/sources"
	"github.com/stormwatch/stormwatch/text"
)

// AlarmID identifies an external alarm: the source that reported it and
// its name there. It is how an ack or a silence of a CloudWatch alarm
// finds the alarm again.
type AlarmID struct {
	Source string
	Name   text.Safe
}

// Subject is the alarm as it reads in the timeline: "[CW] mongo-db-cpu-high".
func (id AlarmID) Subject() string { return "[CW] " + id.Name.String() }

// AlarmView is an external alarm, the source that reported it, and what
// the people watching did about it. An ack lasts until the alarm goes to
// ALARM again after it was out of it; a silence until its time.
type AlarmView struct {
	Source string
	sources.Alarm
	AckedBy       string // "" when not acknowledged since it last went to ALARM
	AckedAt       time.Time
	SilencedUntil time.Time
}

// ID is the alarm's identity.
func (a AlarmView) ID() AlarmID { return AlarmID{Source: a.Source, Name: a.Name} }

// Silenced reports whether the alarm is silenced at now.
func (a AlarmView) Silenced(now time.Time) bool { return now.Before(a.SilencedUntil) }

// Alarming reports whether the alarm is in ALARM.
func (a AlarmView) Alarming() bool { return a.State == "ALARM" }

// alarmMark is what was done about one alarm.
type alarmMark struct {
	ackedBy       string
	ackedAt       time.Time
	silencedUntil time.Time
}

// AckAlarm acknowledges an external alarm in ALARM: its bell stops and the
// banner prefers what nobody has taken yet.
func (e *Engine) AckAlarm(id AlarmID, who string) bool {
	return e.actAlarm(id, func(a AlarmView) bool { return a.Alarming() }, func(m *alarmMark, now time.Time) Event {
		m.ackedBy, m.ackedAt = who, now
		return Event{At: now, Kind: EventAck, Subject: id.Subject(), Source: id.Source, Who: who, Text: "acknowledged"}
	})
}

// SilenceAlarm mutes an external alarm's bell and banner for d; d <= 0
// unsilences it.
func (e *Engine) SilenceAlarm(id AlarmID, d time.Duration, who string) bool {
	return e.actAlarm(id, nil, func(m *alarmMark, now time.Time) Event {
		ev := Event{At: now, Kind: EventSilence, Subject: id.Subject(), Source: id.Source, Who: who}
		if d <= 0 {
			m.silencedUntil, ev.Text = time.Time{}, "unsilenced"
			return ev
		}
		m.silencedUntil, ev.Text = now.Add(d), silencedFor(d)
		return ev
	})
}

func (e *Engine) actAlarm(id AlarmID, allowed func(AlarmView) bool, f func(*alarmMark, time.Time) Event) bool {
	now := e.clock.Now()
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, a := range e.alarms[id.Source] {
		if a.Name != id.Name {
			continue
		}
		if allowed != nil && !allowed(e.alarmViewLocked(id.Source, a)) {
			return false
		}
		m := e.alarmMarks[id]
		if m == nil {
			m = &alarmMark{}
			e.alarmMarks[id] = m
		}
		e.timeline = append(e.timeline, f(m, now))
		e.publishLocked()
		return true
	}
	return false
}

// alarmViewLocked is an alarm as a snapshot shows it.
func (e *Engine) alarmViewLocked(src string, a sources.Alarm) AlarmView {
	v := AlarmView{Source: src, Alarm: a}
	if m := e.alarmMarks[v.ID()]; m != nil {
		v.AckedBy, v.AckedAt, v.SilencedUntil = m.ackedBy, m.ackedAt, m.silencedUntil
	}
	return v
}

// updateAlarmsLocked takes a source's alarms: each change of state goes
// on the timeline, an alarm going to ALARM again starts unacked, and the
// marks of alarms the source no longer reports are dropped.
func (e *Engine) updateAlarmsLocked(src string, now []sources.Alarm, at time.Time) {
	old := map[text.Safe]string{}
	for _, a := range e.alarms[src] {
		old[a.Name] = a.State
	}
	kept := map[text.Safe]bool{}
	for _, a := range now {
		kept[a.Name] = true
		prev, ok := old[a.Name]
		if (ok && prev != a.State) || (!ok && a.State == "ALARM") {
			e.timeline = append(e.timeline, Event{At: at, Kind: EventAlarm, State: a.State, Subject: a.Name.String(), Text: a.Reason.String(), Source: src})
		}
		if m := e.alarmMarks[AlarmID{src, a.Name}]; m != nil && a.State == "ALARM" && prev != "ALARM" {
			m.ackedBy, m.ackedAt = "", time.Time{}
		}
	}
	for id := range e.alarmMarks {
		if id.Source == src && !kept[id.Name] {
			delete(e.alarmMarks, id)
		}
	}
	e.alarms[src] = now
}
