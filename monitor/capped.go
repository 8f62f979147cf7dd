package monitor

// Default caps on what the engine keeps in memory besides the series (which
// the retention bounds). A day of the looping demo writes ~7,500 timeline
// events; a real incident far fewer. An event is ~200-300 bytes with its
// strings, so the cap is ~3 MB; marks are drawn on graphs that show 12 h
// at most.
const (
	DefaultMaxEvents = 20_000
	DefaultMaxMarks  = 2_000
)

// Dropped counts what the engine let go of to stay within its caps: the
// oldest timeline events and marks. It travels in every snapshot, so the
// status line and the export can say so instead of losing them silently.
type Dropped struct {
	Events int // events before Snapshot.Timeline[0]
	Marks  int // marks before Snapshot.Marks[0]
}

// Any reports whether anything was dropped.
func (d Dropped) Any() bool { return d.Events > 0 || d.Marks > 0 }

// capLocked drops the oldest events and marks beyond the caps. Published
// snapshots keep their own slice headers over the same arrays and never see
// a change: dropping only moves this engine's start forward, and the next
// append past the array's end copies just the kept part.
func (e *Engine) capLocked() {
	if n := len(e.timeline) - e.cfg.MaxEvents; n > 0 {
		e.timeline = e.timeline[n:]
		e.dropped.Events += n
	}
	if n := len(e.marks) - e.cfg.MaxMarks; n > 0 {
		e.marks = e.marks[n:]
		e.dropped.Marks += n
	}
}
