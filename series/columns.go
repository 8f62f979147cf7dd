package series

import "math"

// Columns reduces the points in [from, to) to n columns of equal time width,
// each the maximum of the points that fall in it. Taking the maximum (rather
// than letting the plotter interpolate) is what keeps a one-sample spike
// visible when an hour is squeezed into 60 columns.
//
// A column with no point of its own carries the previous point's value if
// that point is at most hold milliseconds older than the column's start (a
// 60 s CloudWatch series drawn at 2 s per column is not a row of gaps).
// Otherwise it is NaN: a gap, which the renderer draws as a gap, never as
// zero. A bucket from the store's coarser tiers stands for its whole span
// (the columns it covers carry its maximum), and a stretch with no bucket
// stays a gap.
func Columns(v View, from, to int64, n int, hold int64) []float64 {
	out := gaps(n)
	if n <= 0 || to <= from {
		return out
	}
	width := float64(to-from) / float64(n)
	// One pass in time order: a bucket's column never precedes the last
	// one's, so the first bucket of a column starts it and the empty
	// columns before it are filled from the bucket before them as it goes
	// (no per-column bookkeeping: at 51 members x 3,600 points it was half
	// of what a fleet frame allocated).
	prevT, prevV, prevS, have := int64(0), 0.0, int64(0), false
	cur := -1
	fill := func(upto int) { // columns cur+1 .. upto-1 have no bucket of their own
		for i := cur + 1; i < upto && have; i++ {
			// A raw point holds for hold; a bucket for the span it covers.
			if d := from + int64(float64(i)*width) - prevT; hold > 0 && d <= hold || d < prevS {
				out[i] = prevV
			}
		}
	}
	add := func(t int64, val float64, span int64) {
		if t >= from {
			i := min(int(float64(t-from)/width), n-1)
			if i != cur {
				fill(i)
				out[i], cur = val, i
			} else if val > out[i] {
				out[i] = val
			}
		}
		prevT, prevV, prevS, have = t, val, span, true
	}
	v.eachSplit(from-max(hold, v.widest()), to,
		func(b Bucket) bool { add(b.T, b.Max, b.Span); return true },
		func(p Point) bool { add(p.T, p.V, 0); return true })
	fill(n)
	return out
}

// gaps is n columns without data.
func gaps(n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = math.NaN()
	}
	return out
}
