package timeline

import (
	"strings"
	"testing"

	"github.com/stormwatch/stormwatch/monitor"
	"github.com/stormwatch/stormwatch/verdict"
)

// withVerdicts is the DB CPU incident with the verdicts the engine would
// have recorded: load first, then the regression on top, then no cause
// once server-c was paused.
func withVerdicts() *monitor.Snapshot {
	s := incidentSnapshot()
	v := func(min, sec int, kind verdict.Kind, text string) monitor.Event {
		return monitor.Event{At: at(min, sec), Kind: monitor.EventVerdict, State: string(kind), Text: text}
	}
	s.Timeline = append(s.Timeline,
		v(1, 1, verdict.Load, "LOAD: API requests x3.1 since 08:01:00 (x2.9 of last week); DB work per request steady -> scale or shed load"),
		v(1, 40, verdict.Both, "LOAD: API requests x3.1 since 08:01:00 (x2.9 of last week) -> scale or shed load | QUERY REGRESSION: DB docs examined per request x12 since 08:01:00; top shape cctv.events find {camera_id: ?, ts: {$gte: ?}} COLLSCAN by server-c, 71% of active time (4% before)"),
		v(7, 30, verdict.Load, "LOAD: API requests x3.0 since 08:01:00; DB work per request steady -> scale or shed load"),
	)
	return s
}

func TestMarkdownOpensWithWhatHappened(t *testing.T) {
	got := Markdown(withVerdicts(), Options{Title: "DB CPU on server-c", Now: at(20, 0)})
	golden(t, got)
	if first := strings.Index(got, "\n## "); first < 0 || !strings.HasPrefix(got[first:], "\n## What happened") {
		t.Fatalf("the document does not open with What happened:\n%s", got)
	}
	for _, want := range []string{
		"At 08:01:01 stormwatch judged: LOAD: API requests x3.1",
		"At 08:01:40 that changed to: LOAD: API requests x3.1 since 08:01:00 (x2.9 of last week) -> scale or shed load | QUERY REGRESSION",
		"At 08:07:00: paused server-c (ana).",
		"The alerts had resolved by 08:12:00.",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("What happened lacks %q", want)
		}
	}
}

func TestNoVerdictNoWhatHappened(t *testing.T) {
	if got := Markdown(incidentSnapshot(), Options{Now: at(20, 0)}); strings.Contains(got, "What happened") {
		t.Errorf("a story without a verdict:\n%s", got)
	}
}
