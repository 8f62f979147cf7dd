package monitor

// Cursor is a subscriber's place in the timeline: how many events of the
// run it has handled, counting those the engine has since dropped
// (Snapshot.Dropped). Snapshot timelines only grow, so the events after the
// cursor are new, and a skipped snapshot loses nothing. A timeline shorter
// than the cursor (a replay sought back) moves the cursor to its end: what
// came before has been handled, and nothing is handled twice (no second
// webhook, no second line in a file). The bell, the hooks, the timeline
// file and the recorder each keep one.
type Cursor struct{ seen int }

// Next is the events of s not handled yet, oldest first. A subscriber more
// than the engine's cap behind gets what is still kept.
func (c *Cursor) Next(s *Snapshot) []Event {
	i := min(max(c.seen-s.Dropped.Events, 0), len(s.Timeline))
	c.seen = s.Dropped.Events + i
	return s.Timeline[i:]
}

// Advance marks the next n events handled.
func (c *Cursor) Advance(n int) { c.seen += n }
