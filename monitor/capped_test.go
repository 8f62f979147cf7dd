package monitor

import (
	"fmt"
	"testing"
	"time"

	"github.com/stormwatch/stormwatch/monitor/monitortest"
	"github.com/stormwatch/stormwatch/text"
)

func TestTheTimelineAndMarksAreCappedOldestFirstAndCounted(t *testing.T) {
	c := monitortest.NewClock(time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC))
	e := New(Config{Clock: c, MaxEvents: 5, MaxMarks: 3})
	snaps, cancel := e.Subscribe()
	defer cancel()
	<-snaps
	var cur Cursor
	var handled []string
	for i := range 12 {
		c.Advance(time.Second)
		e.Mark(text.Clean(fmt.Sprintf("m%d", i)), text.Clean("ana")) // one mark and one event each
		for _, ev := range cur.Next(<-snaps) {
			handled = append(handled, ev.Text)
			cur.Advance(1)
		}
	}
	s := e.Snapshot()
	if len(s.Timeline) != 5 || s.Timeline[0].Text != "m7" || s.Timeline[4].Text != "m11" {
		t.Errorf("timeline kept %d events from %q, want the newest 5 (m7..m11)", len(s.Timeline), s.Timeline[0].Text)
	}
	if len(s.Marks) != 3 || s.Marks[0].Label.String() != "m9" {
		t.Errorf("marks kept %d from %q, want the newest 3 (m9..m11)", len(s.Marks), s.Marks[0].Label)
	}
	if s.Dropped != (Dropped{Events: 7, Marks: 9}) {
		t.Errorf("dropped %+v, want 7 events and 9 marks", s.Dropped)
	}
	if len(handled) != 12 {
		t.Errorf("a subscriber that kept up handled %d events, want all 12 exactly once: %v", len(handled), handled)
	}
}

func TestACursorCountsDroppedEvents(t *testing.T) {
	ev := func(n int) []Event { return make([]Event, n) }
	var c Cursor
	c.Advance(len(c.Next(&Snapshot{Timeline: ev(4)})))
	if got := len(c.Next(&Snapshot{Timeline: ev(4), Dropped: Dropped{Events: 2}})); got != 2 {
		t.Errorf("after 2 of 6 events were dropped, %d are new, want 2", got)
	}
	c.Advance(2)
	if got := len(c.Next(&Snapshot{Timeline: ev(3), Dropped: Dropped{Events: 20}})); got != 3 {
		t.Errorf("a cursor behind the cap gets %d of what is kept, want all 3", got)
	}
}
