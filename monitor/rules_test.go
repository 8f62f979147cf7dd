package monitor

import (
	"testing"

	"github.com/stormwatch/stormwatch/alert"
)

func TestSetRulesKeepsTheStateOfRulesThatStayAndDropsTheRest(t *testing.T) {
	src := &scripted{name: "s", vals: []float64{90, 90, 90, 90}}
	e, c := newTest(t, src, rule("hot", 80), rule("warm", 60))
	step(e, c, src, 2)
	if got := alertState(e.Snapshot(), "hot"); got != alert.Firing {
		t.Fatalf("hot = %q before the reload, want FIRING", got)
	}
	if !e.Ack(alert.ID{Rule: "hot", Key: "main.cpu"}, "ana") {
		t.Fatal("ack failed")
	}
	events := len(e.Snapshot().Timeline)

	changed := rule("hot", 85)
	changed.Runbook = "new runbook"
	e.SetRules([]alert.Rule{changed})

	s := e.Snapshot()
	if len(s.Timeline) != events {
		t.Errorf("the reload added timeline events: %v", s.Timeline[events:])
	}
	var hot *AlertView
	for i := range s.Alerts {
		switch s.Alerts[i].Rule {
		case "hot":
			hot = &s.Alerts[i]
		case "warm":
			t.Errorf("the removed rule's alert is still listed: %+v", s.Alerts[i])
		}
	}
	if hot == nil || hot.State != alert.Firing || hot.AckedBy != "ana" || hot.Runbook != "new runbook" {
		t.Errorf("hot after the reload = %+v, want still FIRING, acked by ana, with the new runbook", hot)
	}
}

func alertState(s *Snapshot, rule string) alert.State {
	for _, a := range s.Alerts {
		if a.Rule == rule {
			return a.State
		}
	}
	return ""
}
