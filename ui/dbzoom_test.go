package ui

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/stormwatch/stormwatch/monitor"
	"github.com/stormwatch/stormwatch/series"
)

// zoomedDBSnapshot is the incident with DB detail series that move over
// the 5 minutes shown: the read queue climbs with the CPU, read latency
// has a minute with no point (the member did not answer), and deletes
// stop at zero.
func zoomedDBSnapshot() *monitor.Snapshot {
	s := *incidentSnapshot()
	s.Series = make(map[string]series.View, len(incidentSnapshot().Series))
	for k, v := range incidentSnapshot().Series {
		s.Series[k] = v
	}
	s.Series["db.queue.readers@mongo-1:27017"] = ramp(6*time.Minute, 2*time.Second, func(age time.Duration) float64 {
		return math.Max(0, 44-44*age.Seconds()/150)
	})
	var pts []series.Point
	for age := 6 * time.Minute; age >= 0; age -= 2 * time.Second {
		if age > 90*time.Second && age < 150*time.Second {
			continue // a minute with no answer: a gap, not a zero
		}
		pts = append(pts, series.At(fixedNow.Add(-age), 4+400*math.Max(0, 1-age.Seconds()/200)))
	}
	s.Series["db.latency.reads@mongo-1:27017"] = series.ViewOf(pts...)
	s.Series["db.ops.delete@mongo-1:27017"] = ramp(6*time.Minute, 2*time.Second, func(time.Duration) float64 { return 0 })
	return &s
}

// The DB detail zoomed was the two strip lines and an empty screen. It
// now has a row per series: newest value, peak over the range, and a
// sparkline where a gap stays blank.
func TestZoomedDBDetailShowsEachSeriesOverTheRange(t *testing.T) {
	for _, c := range []struct {
		w, h  int
		ascii bool
	}{{80, 24, false}, {120, 40, false}, {120, 40, true}} {
		t.Run(fmt.Sprintf("%dx%d ascii=%v", c.w, c.h, c.ascii), func(t *testing.T) {
			m := sized(t, Options{NoColor: true, ASCII: c.ascii}, c.w, c.h)
			m = step(t, m, snapshotMsg{zoomedDBSnapshot()})
			for _, k := range []string{"tab", "tab", "enter"} {
				m = step(t, m, press(k))
			}
			got := screen(m)
			checkFills(t, got, c.w, c.h)
			for _, want := range []string{"DB detail  zoomed", "queued r", "44", "latency r (ms)", "max per column"} {
				if !strings.Contains(got, want) {
					t.Errorf("lacks %q:\n%s", want, got)
				}
			}
			for _, l := range strings.Split(got, "\n") {
				if strings.Contains(l, "latency r (ms)") {
					spark := strings.TrimRight(ansi.Strip(l), " ")
					if !strings.Contains(spark[strings.Index(spark, "   ")+3:], " ") && c.w >= 120 {
						t.Errorf("read latency's minute with no point is not a gap: %q", l)
					}
				}
			}
			golden(t, got)
		})
	}
}
