package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/stormwatch/stormwatch/monitor"
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
