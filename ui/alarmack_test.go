package ui

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/stormwatch/stormwatch/monitor"
	"github.com/stormwatch/stormwatch/sources/demo"
	"github.com/stormwatch/stormwatch/text"
)

// A CloudWatch alarm in ALARM held the banner and rang, and neither a nor
// s could reach it: the selection walked only our own alerts. Through the
// demo's real sources and engine, the alarm is selected, acked and
// silenced like an alert, and says so on its row, in the banner and on
// the timeline.
func TestACloudWatchAlarmCanBeAckedAndSilenced(t *testing.T) {
	s := newStory(t)
	m := New(Options{NoColor: true, Theme: "dark", Who: text.Clean("ana"), Location: time.UTC, Actions: s.engine})
	m = step(t, m, tea.WindowSizeMsg{Width: 120, Height: 40})
	alarming := func() bool {
		for _, a := range m.snap.Alarms {
			if a.Alarming() {
				return true
			}
		}
		return false
	}
	m = step(t, m, snapshotMsg{s.second()})
	for sec := 0; sec < int(demo.Loop/time.Second) && !alarming(); sec++ {
		m = step(t, m, snapshotMsg{s.second()})
	}
	if !alarming() {
		t.Fatal("the demo's CloudWatch alarm never went to ALARM")
	}
	for p, _ := m.selected(); p.alarm == nil; p, _ = m.selected() {
		before := m.sel
		m = step(t, m, press("down"))
		if m.sel == before {
			t.Fatalf("the alarm cannot be selected:\n%s", screen(m))
		}
	}
	m = s.act(t, m, "a")
	scr := screen(m)
	if row := line(scr, "› ✖"); !strings.Contains(row, "ACKED") || !strings.Contains(row, "acked by ana") {
		t.Errorf("the alarm's row does not say it is acked: %q\n%s", row, scr)
	}
	if !strings.Contains(scr, "ack [CW] mongo-db-cpu-high by ana") {
		t.Errorf("the ack is not on the timeline:\n%s", scr)
	}
	m = s.act(t, m, "s", "2")
	until := s.clock.Now().Add(time.Hour).UTC().Format("15:04") + " UTC"
	scr = screen(m)
	if row := line(scr, "› ✖"); !strings.Contains(row, "SILENCED") || !strings.Contains(row, "silenced to "+until) {
		t.Errorf("the alarm's row does not say until when it is silenced (%s): %q", until, row)
	}
	m = s.act(t, m, "s", "0")
	if row := line(screen(m), "› ✖"); strings.Contains(row, "SILENCED") {
		t.Errorf("0 did not unsilence the alarm: %q", row)
	}
}

// The banner and the bell treat an external alarm as they treat a firing
// alert: an acked one says by whom and gives way to what nobody has taken,
// a silenced one says until when, and neither rings.
func TestAnAckedOrSilencedAlarmNeitherRingsNorHoldsTheBanner(t *testing.T) {
	base := func() *monitor.Snapshot {
		s := incidentSnapshot()
		s.Alerts = nil
		s.Sources = s.Sources[:1] // main ok: no blind source takes the banner
		s.Alarms = append([]monitor.AlarmView(nil), s.Alarms...)
		return s
	}
	acked := base()
	acked.Alarms[0].AckedBy = "ana"
	bannerOf := func(s *monitor.Snapshot) string {
		m := sizedWith(t, Options{NoColor: true, Location: time.UTC}, 120, 40, s)
		return strings.Split(screen(m), "\n")[1]
	}
	if b := bannerOf(acked); !strings.Contains(b, "ALARM [CW] api-5xx-rate") || !strings.Contains(b, "acked by ana") {
		t.Errorf("acked alarm banner = %q", b)
	}
	silenced := base()
	silenced.Alarms[0].SilencedUntil = silenced.At.Add(time.Hour)
	if b := bannerOf(silenced); !strings.Contains(b, "✖ ALARM, silenced to 11:01 UTC  [CW] api-5xx-rate") {
		t.Errorf("silenced alarm banner = %q", b)
	}
	for name, s := range map[string]*monitor.Snapshot{"acked": acked, "silenced": silenced} {
		m := step(t, New(Options{}), snapshotMsg{base()})
		s.Timeline = append(s.Timeline, monitor.Event{At: s.At, Kind: monitor.EventAlarm, State: "ALARM", Subject: "api-5xx-rate", Source: "main"})
		if _, cmd := m.Update(snapshotMsg{s}); isBell(cmd) {
			t.Errorf("an %s alarm rang the bell", name)
		}
	}
}

// QA: a [CW] alarm in OK was listed but could not be selected, so at 80x24
// below four resolved alerts it was never on screen, and a flapping alarm
// could not be silenced before its next ALARM.
func TestAnAlarmInOKIsReachableAndCanBeSilencedAhead(t *testing.T) {
	s := afterThePeak()
	s.Alarms[0].State = "OK"
	f := &fakeActions{}
	m := sizedWith(t, Options{NoColor: true, Actions: f, Location: time.UTC}, 80, 24, &s)
	for range 4 {
		m = step(t, m, press("down"))
	}
	if p, ok := m.selected(); !ok || p.alarm == nil {
		t.Fatalf("the alarm in OK cannot be selected: %+v", p)
	}
	if !strings.Contains(line(screen(m), "› "), "[CW] api-5xx-rate") {
		t.Errorf("the selected alarm is not on screen at 80x24:\n%s", screen(m))
	}
	m = run(t, m, "a")
	if len(f.acks) != 0 || !strings.Contains(screen(m), "[CW] api-5xx-rate is OK: nothing to ack") {
		t.Errorf("acks %q; an alarm in OK was acked or the footer does not say why:\n%s", f.acks, screen(m))
	}
	m = run(t, m, "s", "2")
	if len(f.silences) != 1 || f.silences[0] != "[CW] api-5xx-rate|main by someone" {
		t.Errorf("silences = %q", f.silences)
	}
}
