package ui

import (
	"fmt"

	"github.com/stormwatch/stormwatch/monitor"
	"github.com/stormwatch/stormwatch/sources"
)

// The status-line facts about stormwatch's own footprint (issue 17): kept
// apart from the health summary so either can change without the other.

// costFacts is what a source says about its own load on the system it
// watches, for the status line: the widened intervals first.
func costFacts(fs []sources.Fact) []string {
	var out []string
	for _, key := range []string{sources.FactSlowed, sources.FactOwnCost} {
		for _, f := range fs {
			if f.Key == key {
				out = append(out, f.Key+" "+f.Value.String())
			}
		}
	}
	return out
}

// droppedNote says that the engine dropped its oldest events or marks to
// stay within its memory cap; "" when it dropped none.
func droppedNote(d monitor.Dropped) string {
	switch {
	case !d.Any():
		return ""
	case d.Marks == 0:
		return fmt.Sprintf("%d oldest events dropped", d.Events)
	case d.Events == 0:
		return fmt.Sprintf("%d oldest marks dropped", d.Marks)
	}
	return fmt.Sprintf("%d oldest events, %d marks dropped", d.Events, d.Marks)
}
