package ui

import (
	"path"

	"github.com/stormwatch/stormwatch/alert"
	"github.com/stormwatch/stormwatch/monitor"
)

// newFirings counts the timeline events after the cursor that are FIRING
// transitions (or external alarms going to ALARM) worth a bell under
// policy, and moves the cursor past them. Only alerts still firing,
// unacknowledged and not silenced ring: a viewer that missed frames does
// not ring for an alert already dealt with. An external alarm counts as
// critical; alarms, when set, names the glob patterns of the alarms that
// ring (nil: every one).
func newFirings(snap *monitor.Snapshot, seen *monitor.Cursor, policy string, alarms []string) int {
	events := seen.Next(snap)
	seen.Advance(len(events))
	n := 0
	for _, e := range events {
		if policy == BellOff {
			break
		}
		switch {
		case e.Kind == monitor.EventAlarm && e.State == "ALARM":
			if alarmRings(e.Subject, alarms) && stillInAlarm(snap, e.Subject, e.Source) {
				n++
			}
		case e.Kind == monitor.EventAlert && e.State == string(alert.Firing):
			if policy == BellCritical && e.Severity != alert.Critical {
				continue
			}
			for _, a := range snap.Alerts {
				if a.ID() == e.AlertID() && a.State == alert.Firing &&
					a.AckedBy == "" && !a.Silenced(snap.At) {
					n++
					break
				}
			}
		}
	}
	return n
}

// alarmRings reports whether the external alarm name matches one of the
// patterns; nil patterns ring for every alarm.
func alarmRings(name string, patterns []string) bool {
	if patterns == nil {
		return true
	}
	for _, p := range patterns {
		if ok, _ := path.Match(p, name); ok {
			return true
		}
	}
	return false
}

// stillInAlarm: the alarm is in ALARM, and nobody has acked or silenced
// it since.
func stillInAlarm(snap *monitor.Snapshot, name, source string) bool {
	for _, a := range snap.Alarms {
		if a.Name.String() == name && a.Source == source {
			return a.Alarming() && a.AckedBy == "" && !a.Silenced(snap.At)
		}
	}
	return false
}
