package verdict

import (
	"fmt"
	"time"
)

// topShape names the query shape behind a work figure: the one with the
// largest share of the sampled active operations within the same
// stretch of time as the figure's now median (work.From to work.To), so
// a figure that still holds one client's scans never names the shape
// that is busiest after they stopped. Its Before is its share over the
// baseline before the onset (-1 when nothing was sampled then). When no
// shape can be named it says why.
func topShape(in Input, work Ratio, cfg Config) (*Shape, string) {
	if len(in.Shapes) == 0 {
		if in.NoShapes != "" {
			return nil, in.NoShapes
		}
		return nil, "no query shape sampled yet"
	}
	var best *Shape
	for _, sh := range in.Shapes {
		share, ok := shareIn(sh.Counts, work.From, work.To)
		if !ok || share <= 0 || best != nil && share <= best.Share {
			continue
		}
		c := sh
		c.Share, c.Counts = share, nil
		c.Before = -1
		if b, ok := shareIn(sh.Counts, in.Onset.Add(-cfg.Baseline), in.Onset); ok {
			c.Before = b
		}
		best = &c
	}
	if best == nil {
		return nil, fmt.Sprintf("no query shape sampled between %s and %s", clock(work.From), clock(work.To))
	}
	return best, ""
}

// shareIn is the shape's share of the operations sampled in [from, to);
// false when no sample falls there.
func shareIn(counts []Count, from, to time.Time) (float64, bool) {
	n, total := 0, 0
	for _, c := range counts {
		if !c.At.Before(from) && c.At.Before(to) {
			n, total = n+c.N, total+c.Total
		}
	}
	if total == 0 {
		return 0, false
	}
	return float64(n) / float64(total), true
}
