package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/stormwatch/stormwatch/monitor"
	"github.com/stormwatch/stormwatch/sources"
)

func TestTheTimelinePanelIsNewestFirstByTime(t *testing.T) {
	at := func(sec int, text string) monitor.Event {
		return monitor.Event{At: fixedNow.Add(time.Duration(sec) * time.Second), Kind: monitor.EventNote, Text: text, Who: "ana"}
	}
	tests := []struct {
		name string
		tl   []monitor.Event
		n    int
		want []string
	}{
		{"in order", []monitor.Event{at(1, "a"), at(2, "b"), at(3, "c")}, 2, []string{"c", "b"}},
		{"an alert transition learned late sorts by its own time",
			[]monitor.Event{at(1, "a"), at(5, "e"), at(3, "c"), at(4, "d")}, 3, []string{"e", "d", "c"}},
		{"events at one instant: the later appended first", []monitor.Event{at(1, "x"), at(1, "y")}, 2, []string{"y", "x"}},
		{"fewer events than room", []monitor.Event{at(2, "b"), at(1, "a")}, 5, []string{"b", "a"}},
		{"no room", []monitor.Event{at(1, "a")}, 0, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lines := recentEvents(&monitor.Snapshot{Timeline: tc.tl}, tc.n, 80, time.UTC)
			var got []string
			for _, l := range lines {
				got = append(got, l[strings.LastIndex(l, " ")+1:])
			}
			if strings.Join(got, ",") != strings.Join(tc.want, ",") {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// Issue 13 case 9: a standalone server is not a secondary.
func TestTheStatusLineTellsAStandaloneFromASecondary(t *testing.T) {
	snap := &monitor.Snapshot{At: fixedNow, Sources: []monitor.SourceHealth{
		{Name: "db", Interval: time.Second, State: monitor.Healthy, LastOK: fixedNow, Members: []sources.Member{{ID: "solo:27017", Role: "STANDALONE", OK: true}}},
		{Name: "rs", Interval: time.Second, State: monitor.Healthy, LastOK: fixedNow, Members: []sources.Member{{ID: "b:27017", Role: "SECONDARY", OK: true}}},
		{Name: "router", Interval: time.Second, State: monitor.Healthy, LastOK: fixedNow, Members: []sources.Member{{ID: "r:27017", Role: "MONGOS", OK: true}}},
	}}
	m := step(t, sized(t, Options{NoColor: true}, 160, 40), snapshotMsg{snap})
	status := line(screen(m), "● db")
	for _, want := range []string{"solo:27017 standalone ✔", "b:27017 S ✔", "r:27017 mongos ✔"} {
		if !strings.Contains(status, want) {
			t.Errorf("status line lacks %q: %q", want, status)
		}
	}
}

// Issue 13 case 8: t moves every time on screen to the local zone, and
// each says its zone: the header, the timeline panel (its title) and a
// silence's end.
func TestTheClockKeyMovesEveryTimestamp(t *testing.T) {
	cet := time.FixedZone("CET", 3600)
	snap := incidentSnapshot()
	snap.Alerts[0].SilencedUntil = fixedNow.Add(time.Hour)
	m := step(t, sized(t, Options{NoColor: true, Location: cet}, 120, 40), snapshotMsg{snap})
	utc := screen(m)
	m = step(t, m, press("t"))
	local := screen(m)
	for _, tc := range []struct{ utc, local string }{
		{"10:01:10 UTC", "11:01:10 CET"},                                     // header
		{"newest first · UTC", "newest first · CET"},                         // timeline title
		{"09:59:00  ✖ FIRING db-cpu-high", "10:59:00  ✖ FIRING db-cpu-high"}, // timeline row
		{"silenced to 11:01 UTC", "silenced to 12:01 CET"},                   // alert row
	} {
		if !strings.Contains(utc, tc.utc) {
			t.Errorf("in UTC the screen lacks %q:\n%s", tc.utc, utc)
		}
		if !strings.Contains(local, tc.local) {
			t.Errorf("after t the screen lacks %q:\n%s", tc.local, local)
		}
	}
}
