package timeline

import (
	"strings"
	"testing"
	"time"

	"github.com/stormwatch/stormwatch/alert"
	"github.com/stormwatch/stormwatch/monitor"
)

// The export printed "14:00:25 | 14:01:24 | 58s" (a live demo): each clock
// is cut to the second, the duration was rounded from the exact times. A
// reader subtracts the clocks; the duration is the difference of what is
// shown.
func TestDurationsAreTheDifferenceOfTheClocksShown(t *testing.T) {
	ms := func(min, sec, milli int) time.Time { return at(min, sec).Add(time.Duration(milli) * time.Millisecond) }
	ev := func(at time.Time, state alert.State) monitor.Event {
		return monitor.Event{At: at, Kind: monitor.EventAlert, Severity: alert.Warning, State: string(state),
			Subject: "db-missing-index k", Text: "x > 100 (3 of 3)", Value: 200, Rule: "db-missing-index", Key: "k", Op: alert.Above}
	}
	s := &monitor.Snapshot{Timeline: []monitor.Event{
		ev(ms(0, 25, 900), alert.Firing),
		{At: ms(0, 30, 800), Kind: monitor.EventAlarm, State: "ALARM", Subject: "db-high", Source: "aws"},
		ev(ms(1, 24, 300), alert.Resolved),
		{At: ms(1, 40, 100), Kind: monitor.EventAlarm, State: "OK", Subject: "db-high", Source: "aws"},
	}}
	got := Markdown(s, Options{Now: at(5, 0)})
	for _, want := range []string{
		"| 08:00:25 | 08:01:24 | 59s |",
		"| 08:00:30 | 08:01:40 (OK) | 1m10s |",
		"**2026-11-27 08:00:25 – 08:01:40 UTC** (1m15s)",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in:\n%s", want, got)
		}
	}
}
