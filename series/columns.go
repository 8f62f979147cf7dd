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
// zero.
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
	prevT, prevV, have := int64(0), 0.0, false
	v.Each(from-hold, to, func(p Point) bool {
		if p.T < from {
			prevT, prevV, have = p.T, p.V, true
			return true
		}
		i := int(float64(p.T-from) / width)
		if i >= n {
			i = n - 1
		}
		if !has[i] || p.V > out[i] {
			out[i] = p.V
		}
		has[i], lastT[i], lastV[i] = true, p.T, p.V
		return true
	})
	if hold <= 0 {
		return out
	}
	for i := 0; i < n; i++ {
		if has[i] {
			prevT, prevV, have = lastT[i], lastV[i], true
			continue
		}
		if have && from+int64(float64(i)*width)-prevT <= hold {
			out[i] = prevV
		}
	}
	return out
}
