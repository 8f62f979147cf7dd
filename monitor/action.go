package monitor

import (
	"github.com/stormwatch/stormwatch/sources"
	"github.com/stormwatch/stormwatch/text"
)

// EventAction is an operator's action on a watched system (an explain, a
// killOp) or its result or undo; Subject is what it was about, Who who
// did it.
const EventAction EventKind = "action"

// Action records an action on the timeline, and the export with it. A
// non-empty mark also marks the instant on every graph ("stopped
// server-c"), so the effect on the CPU shows next to its cause.
// Subject and msg may quote the server (a namespace, an error), so every
// string is cleaned here.
func (e *Engine) Action(subject, msg, who, mark string) {
	now := e.clock.Now()
	e.mu.Lock()
	defer e.mu.Unlock()
	if mark != "" {
		e.marks = append(e.marks, sources.Mark{At: now, Label: text.Clean(mark)})
	}
	e.timeline = append(e.timeline, Event{At: now, Kind: EventAction, Subject: text.Clean(subject).String(),
		Text: text.Clean(msg).String(), Who: text.Clean(who).String()})
	e.publishLocked()
}

// Sources are the sources the engine polls, for the actions layer to find
// the one it acts through. The list is fixed at New.
func (e *Engine) Sources() []sources.Source {
	out := make([]sources.Source, 0, len(e.cfg.Sources))
	for _, s := range e.cfg.Sources {
		out = append(out, s.Source)
	}
	return out
}
