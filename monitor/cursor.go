package monitor

// Cursor is a subscriber's place in the timeline: how many events it has
// handled. Snapshot timelines only grow, so the events after the cursor are
// new, and a skipped snapshot loses nothing. A timeline shorter than the
// cursor (a replay sought back) moves the cursor to its end: what came
// before has been handled, and nothing is handled twice (no second webhook,
// no second line in a file). The bell, the hooks, the timeline file and the
// recorder each keep one.
type Cursor struct{ seen int }

// Next is the events of s not handled yet, oldest first.
func (c *Cursor) Next(s *Snapshot) []Event {
	c.seen = min(c.seen, len(s.Timeline))
	return s.Timeline[c.seen:]
}

// Advance marks the next n events handled.
func (c *Cursor) Advance(n int) { c.seen += n }
