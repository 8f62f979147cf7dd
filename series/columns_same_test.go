package series

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

// columnsByColumn is Columns as it was before the one-pass version: each
// column's newest point noted, then the holds filled in a second pass.
// TestColumnsIsTheSameInOnePass checks the two agree.
func columnsByColumn(v View, from, to int64, n int, hold int64) []float64 {
	out := gaps(n)
	if n <= 0 || to <= from {
		return out
	}
	width := float64(to-from) / float64(n)
	has, lastT, lastV, lastS := make([]bool, n), make([]int64, n), make([]float64, n), make([]int64, n)
	prevT, prevV, prevS, have := int64(0), 0.0, int64(0), false
	spans := false
	v.EachBucket(from-max(hold, v.widest()), to, func(b Bucket) bool {
		spans = spans || b.Span > 0
		if b.T < from {
			prevT, prevV, prevS, have = b.T, b.Max, b.Span, true
			return true
		}
		i := min(int(float64(b.T-from)/width), n-1)
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
		if d := from + int64(float64(i)*width) - prevT; have && (hold > 0 && d <= hold || d < prevS) {
			out[i] = prevV
		}
	}
	return out
}

func TestColumnsIsTheSameInOnePass(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for trial := 0; trial < 2000; trial++ {
		ring := NewRing(2000)
		if trial%2 == 1 { // the store's tiers: buckets of max, min and median
			ring = NewTiered(Layout{Raw: 10 * time.Second, RawMax: 64, Tiers: []Tier{
				{Width: 10 * time.Second, Age: time.Minute}, {Width: time.Minute, Age: time.Hour}}})
		}
		ts := int64(r.IntN(5000))
		for k := r.IntN(1500); k > 0; k-- {
			ts += 1 + int64(r.IntN(4))*int64(r.IntN(3000)+1) // runs of 1 ms and gaps of seconds
			ring.Append(Point{T: ts, V: r.Float64()*100 - 5})
		}
		v := ring.View()
		from := int64(r.IntN(20000))
		to := from + int64(r.IntN(2_000_000))
		n := r.IntN(300)
		hold := int64(r.IntN(3)) * int64(r.IntN(20000))
		got, want := Columns(v, from, to, n, hold), columnsByColumn(v, from, to, n, hold)
		for i := range want {
			if got[i] != want[i] && !(math.IsNaN(got[i]) && math.IsNaN(want[i])) {
				t.Fatalf("trial %d (from %d to %d n %d hold %d): column %d is %v, want %v", trial, from, to, n, hold, i, got[i], want[i])
			}
		}
	}
}

// BenchmarkColumnsHour is one series' share of a fleet frame: an hour of
// 1 s points into 124 columns.
func BenchmarkColumnsHour(b *testing.B) {
	r := NewRing(4000)
	for i := 0; i < 3600; i++ {
		r.Append(Point{T: int64(i) * 1000, V: 50 + 30*math.Sin(float64(i)/300)})
	}
	v := r.View()
	b.ReportAllocs()
	for b.Loop() {
		_ = Columns(v, 0, 3600*1000+1, 124, 2000)
	}
}
