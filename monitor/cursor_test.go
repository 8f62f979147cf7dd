package monitor

import "testing"

func TestACursorHandsOutEachEventOnce(t *testing.T) {
	snap := func(n int) *Snapshot { return &Snapshot{Timeline: make([]Event, n)} }
	var c Cursor
	steps := []struct {
		name     string
		timeline int
		handle   int
		want     int
	}{
		{"a first snapshot gives every event", 3, 3, 3},
		{"a later one gives only what is new", 5, 5, 2},
		{"events not handled come again", 7, 1, 2},
		{"after a shorter timeline only what follows is new", 4, 0, 0},
		{"and the timeline growing again gives the new ones", 6, 2, 2},
	}
	for _, st := range steps {
		got := len(c.Next(snap(st.timeline)))
		if got != st.want {
			t.Errorf("%s: %d events, want %d", st.name, got, st.want)
		}
		c.Advance(min(st.handle, got))
	}
}
