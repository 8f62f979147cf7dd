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
	out := make([]float64, n)
	for i := range out {
		out[i] = math.NaN()
	}
	if n <= 0 || to <= from {
		return out
	}
	width := float64(to-from) / float64(n)
	has := make([]bool, n)
	lastT := make([]int64, n) // newest point per column: what an empty column after it carries
	lastV := make([]float64, n)
	lastS := make([]int64, n) // and the span of the bucket it came from
	prevT, prevV, prevS, have := int64(0), 0.0, int64(0), false
	spans := false
	v.EachBucket(from-max(hold, v.widest()), to, func(b Bucket) bool {
		spans = spans || b.Span > 0
		if b.T < from {
			prevT, prevV, prevS, have = b.T, b.Max, b.Span, true
			return true
		}
		i := int(float64(b.T-from) / width)
		if i >= n {
			i = n - 1
		}
		if !has[i] || b.Max > out[i] {
			out[i] = b.Max
		}
		has[i], lastT[i], lastV[i], lastS[i] = true, b.T, b.Max, b.Span
		return true
	})
	if hold <= 0 && !spans {
		return out
	}
	for i := 0; i < n; i++ {
		if has[i] {
			prevT, prevV, prevS, have = lastT[i], lastV[i], lastS[i], true
			continue
		}
		// A raw point holds for hold; a bucket for the span it covers.
		if d := from + int64(float64(i)*width) - prevT; have && (hold > 0 && d <= hold || d < prevS) {
			out[i] = prevV
		}
	}
	return out
}
