package bench

import (
	"math"
	"runtime"
	"testing"

	"github.com/stormwatch/stormwatch/series"
)

// TestStoreBytesPerSeriesOldAndTiered fills 100 rings of each store with a
// day of 1 s points, one after the other in the same run, and logs the
// heap each holds per series: the 12 h ring the engine had before
// (series.NewRing(43200)) and the tiered one it has now
// (series.DefaultLayout). Figures only; nothing asserted.
func TestStoreBytesPerSeriesOldAndTiered(t *testing.T) {
	const n, day = 100, 24 * 3600
	measure := func(newRing func() *series.Ring) float64 {
		before := heapInuse()
		rs := rings(newRing, n)
		for sec := int64(1); sec <= day; sec++ {
			for i, r := range rs {
				r.Append(series.Point{T: sec * 1000, V: 40 + 30*math.Sin(float64(sec)/600+float64(i))})
			}
		}
		after := heapInuse()
		runtime.KeepAlive(rs)
		return float64(after-before) / n
	}
	old := measure(func() *series.Ring { return series.NewRing(12 * 3600) })
	tiered := measure(func() *series.Ring { return series.NewTiered(series.DefaultLayout) })
	t.Logf("a day of 1 s points, heap per series: 12 h ring %.1f KB, tiered %.1f KB (%.1fx less); x2,193 fleet series: %.0f MB and %.1f MB",
		old/1024, tiered/1024, old/tiered, old*2193/(1<<20), tiered*2193/(1<<20))
}

func rings(newRing func() *series.Ring, n int) []*series.Ring {
	out := []*series.Ring{}
	for range n {
		out = append(out, newRing())
	}
	return out
}

func heapInuse() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapInuse
}
