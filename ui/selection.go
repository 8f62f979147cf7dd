package ui

import (
	"slices"

	"github.com/stormwatch/stormwatch/alert"
	"github.com/stormwatch/stormwatch/monitor"
)

// pick is one selectable row of the alerts list: one of our alerts, or an
// external (CloudWatch) alarm in ALARM. Ack and silence act on either.
type pick struct {
	alert *monitor.AlertView
	alarm *monitor.AlarmView
}

// pickID is a pick's identity, kept across snapshots whose order changes.
type pickID struct {
	alert alert.ID
	alarm monitor.AlarmID
}

func (p pick) id() pickID {
	if p.alarm != nil {
		return pickID{alarm: p.alarm.ID()}
	}
	return pickID{alert: p.alert.ID()}
}

// subject is how the pick reads in the footer and the timeline.
func (p pick) subject() string {
	if p.alarm != nil {
		return p.alarm.ID().Subject()
	}
	return p.alert.ID().Subject()
}

// picks are the rows of the alerts list in the order it shows them: our
// active alerts, the alarms in ALARM, the rest of our alerts, then the
// other alarms (see alertRows). Every row can be selected: a row that
// cannot be reached is, on a short screen, a row never seen.
func picks(snap *monitor.Snapshot) []pick {
	if snap == nil {
		return nil
	}
	var active, alarming, rest, quiet []pick
	for i := range snap.Alerts {
		a := &snap.Alerts[i]
		if listedActive(*a) {
			active = append(active, pick{alert: a})
		} else {
			rest = append(rest, pick{alert: a})
		}
	}
	for i := range snap.Alarms {
		if snap.Alarms[i].Alarming() {
			alarming = append(alarming, pick{alarm: &snap.Alarms[i]})
		} else {
			quiet = append(quiet, pick{alarm: &snap.Alarms[i]})
		}
	}
	return slices.Concat(active, alarming, rest, quiet)
}

// listedActive: the alerts listed above the alarms in ALARM.
func listedActive(a monitor.AlertView) bool {
	return a.State == alert.Firing || a.State == alert.Pending || a.State == alert.Missing
}

func (m *Model) moveSelection(d int) {
	ps := picks(m.snap) // the alerts list is live, even under a frozen picture
	if len(ps) == 0 {
		return
	}
	m.sel = clamp(m.sel+d, 0, len(ps)-1)
	m.selID = ps[m.sel].id()
}

// selectedIndex finds the selected row again in a new snapshot, whose
// order may have changed.
func (m Model) selectedIndex() int {
	ps := picks(m.snap)
	if len(ps) == 0 {
		return 0
	}
	for i, p := range ps {
		if p.id() == m.selID {
			return i
		}
	}
	return clamp(m.sel, 0, len(ps)-1)
}

func (m Model) selected() (pick, bool) {
	ps := picks(m.snap)
	if m.sel < 0 || m.sel >= len(ps) {
		return pick{}, false
	}
	return ps[m.sel], true
}
