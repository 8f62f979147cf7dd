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

// "What happened" of a live demo ended "The alerts had resolved by
// 14:01:36." and said nothing of the CloudWatch alarm that was in ALARM
// from 14:01:43 to 14:02:23, after every alert of ours had resolved.
func TestWhatHappenedTellsTheExternalAlarms(t *testing.T) {
	got := Markdown(withVerdicts(), Options{Now: at(20, 0)})
	for _, want := range []string{
		"At 08:02:30 the external alarm api-5xx-rate went to ALARM.",
		"The alerts had resolved by 08:12:00. At 08:13:00 api-5xx-rate left ALARM (OK).",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("What happened lacks %q:\n%s", want, got[:strings.Index(got, "## Alerts")])
		}
	}
}
