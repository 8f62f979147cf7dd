package series

import "slices"

// Spacing is the usual gap between consecutive points (ms): the median gap,
// the lower one of two middles. A median, not a mean or the newest gap, so
// one long gap (an outage that just ended) does not pass for the series'
// resolution; the lower middle, so with only two gaps, one of them long,
// the short one wins. Zero with fewer than two points. The one place the engine
// (no-data window), the verdict (request period), the graphs and the
// export's sparklines (how long a point holds) learn a series' spacing.
func Spacing(pts []Point) int64 {
	if len(pts) < 2 {
		return 0
	}
	gaps := make([]int64, len(pts)-1)
	for i := range gaps {
		gaps[i] = pts[i+1].T - pts[i].T
	}
	slices.Sort(gaps)
	return gaps[(len(gaps)-1)/2]
}
