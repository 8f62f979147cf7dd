package timeline

import (
	"strings"
	"testing"
	"time"

	"github.com/stormwatch/stormwatch/alert"
	"github.com/stormwatch/stormwatch/monitor"
)

func TestAnAlertOnLowValuesReportsItsMinimumAsThePeak(t *testing.T) {
	low := func(at time.Time, state alert.State, v float64) monitor.Event {
		return monitor.Event{At: at, Kind: monitor.EventAlert, Severity: alert.Warning, State: string(state),
			Subject: "free disk low mem.free@a", Text: "something a person wrote", Value: v,
			Rule: "free disk low", Key: "mem.free@a", Op: alert.Below}
	}
	s := &monitor.Snapshot{At: at(10, 0), Timeline: []monitor.Event{
		low(at(1, 0), alert.Pending, 5), low(at(2, 0), alert.Firing, 3), low(at(3, 0), alert.Resolved, 9),
	}}
	got := Markdown(s, Options{Now: at(10, 0)})
	if !strings.Contains(got, "| free disk low | mem.free@a | warning |") || !strings.Contains(got, "| 3 |") {
		t.Errorf("want the rule, its key and the minimum 3:\n%s", got)
	}
}

func TestAnOldRecordWithoutOpReadsItsComparisonFromTheDescription(t *testing.T) {
	r := Record{Kind: monitor.EventAlert, Text: "mem.free < 5 (2 of 3)", Rule: "x", Key: "mem.free"}
	if got := r.Event().Op; got != alert.Below {
		t.Errorf("op = %q, want <", got)
	}
	r.Op = alert.Above
	if got := r.Event().Op; got != alert.Above {
		t.Errorf("op = %q, want the recorded >", got)
	}
}
