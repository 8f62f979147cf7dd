package serve_test

import (
	"fmt"
	"os"
	"testing"
	"time"
)

// TestMeasure prints the figures for the serve issue; it takes about three
// minutes of wall time, so it runs only when asked:
//
//	STORMWATCH_MEASURE=1 go test -run TestMeasure -v ./serve/
func TestMeasure(t *testing.T) {
	if os.Getenv("STORMWATCH_MEASURE") == "" {
		t.Skip("set STORMWATCH_MEASURE=1 to measure")
	}
	const period = 10 * time.Second
	t.Run("poller load with 1 and with 5 viewers", func(t *testing.T) {
		// The production interval, over a minute.
		const period = time.Minute
		for _, n := range []int{1, 5} {
			f := startWith(t, 0, time.Second, 5*time.Minute)
			var vs []*viewer
			for i := range n {
				key := f.viewer
				if i%2 == 1 {
					key = f.operator
				}
				vs = append(vs, f.open(t, key, 160, 48, false))
			}
			for _, v := range vs {
				eventually(t, "a first frame", func() bool { return v.n.Load() > 0 })
			}
			p0, b0 := f.src.polls.Load(), vs[0].n.Load()
			time.Sleep(period)
			p1, b1 := f.src.polls.Load(), vs[0].n.Load()
			t.Logf("%d viewer(s): %d polls in %s = %.1f polls/min (1 s interval); viewer 1 got %.1f KB/s",
				n, p1-p0, period, float64(p1-p0)/period.Minutes(), float64(b1-b0)/1024/period.Seconds())
		}
	})
	t.Run("a healthy viewer while another is stalled", func(t *testing.T) {
		f := start(t, 0)
		healthy := f.open(t, f.viewer, 120, 40, false)
		eventually(t, "a first frame", func() bool { return healthy.n.Load() > 0 })
		rate := func(label string) {
			st0, b0, p0 := stats(f.server, "vera"), healthy.n.Load(), f.src.polls.Load()
			time.Sleep(period)
			st1, b1, p1 := stats(f.server, "vera"), healthy.n.Load(), f.src.polls.Load()
			fmt.Printf("%s: healthy viewer %.1f frames/s, %.1f KB/s; %.1f polls/s (10 ms interval)\n", label,
				float64(st1.Writes-st0.Writes)/period.Seconds(), float64(b1-b0)/1024/period.Seconds(), float64(p1-p0)/period.Seconds())
		}
		rate("alone")
		f.open(t, f.operator, 300, 100, true)
		var last int64
		var since int64
		eventually(t, "the stalled viewer's window to fill", func() bool {
			st, polls := stats(f.server, "olga"), f.src.polls.Load()
			if st.Written != last || !st.Writing || st.Written < 1<<20 {
				last, since = st.Written, polls
				return false
			}
			return polls-since >= 50
		})
		rate(fmt.Sprintf("other viewer stalled at %d bytes", last))
		if st := stats(f.server, "olga"); st.Written != last {
			t.Errorf("the stalled viewer moved: %+v", st)
		}
	})
}
