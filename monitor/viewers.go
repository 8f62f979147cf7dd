package monitor

import (
	"slices"
	"sort"
)

// Join records that who started watching (an SSH session): the timeline
// says so and Snapshot.Viewers lists them until Leave.
func (e *Engine) Join(who string) {
	now := e.clock.Now()
	e.mu.Lock()
	defer e.mu.Unlock()
	// A new slice every time: published snapshots keep the old one.
	v := append(slices.Clip(e.viewers), who)
	sort.Strings(v)
	e.viewers = v
	e.timeline = append(e.timeline, Event{At: now, Kind: EventViewer, State: "joined", Subject: who, Who: who, Text: "joined"})
	e.publishLocked()
}

// Leave records that one of who's sessions ended.
func (e *Engine) Leave(who string) {
	now := e.clock.Now()
	e.mu.Lock()
	defer e.mu.Unlock()
	i := slices.Index(e.viewers, who)
	if i < 0 {
		return
	}
	e.viewers = slices.Delete(slices.Clone(e.viewers), i, i+1)
	if len(e.viewers) == 0 {
		e.viewers = nil
	}
	e.timeline = append(e.timeline, Event{At: now, Kind: EventViewer, State: "left", Subject: who, Who: who, Text: "left"})
	e.publishLocked()
}
