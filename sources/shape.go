package sources

import "time"

// Shape is one query shape's share of a database's sampled active time,
// as the verdict reads it (the panel shows the same as a Table). Text and
// App have passed the sanitiser.
type Shape struct {
	Text     string // "cctv.events find {camera_id: ?, ts: {$gte: ?}}"
	App      string
	Plan     string
	Collscan bool
	// Share is of the sampled active time in the recent window, 0..1;
	// Before the same over the baseline before it, or -1 when nothing was
	// sampled then.
	Share, Before float64
	Ops           int
	Longest       float64 // seconds
	// Samples is the shape's count in each sample the source kept (the
	// window and the baseline), oldest first, so a viewer can take its
	// share over any stretch, such as the minutes before an alert.
	Samples []ShapeCount
}

// ShapeCount is one sample of the profiler: N of the Total active
// operations had the shape.
type ShapeCount struct {
	At       time.Time
	N, Total int
}
