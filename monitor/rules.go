package monitor

import (
	"github.com/stormwatch/stormwatch/alert"
	"github.com/stormwatch/stormwatch/series"
)

// SetRules replaces the alert rules of a running engine (a config
// reload). An alert whose rule name is still there keeps its state, ack
// and silence, so a reload in the middle of an incident does not re-fire
// or re-ring what is already known; alerts of removed rules go.
func (e *Engine) SetRules(rules []alert.Rule) {
	now := e.clock.Now()
	e.mu.Lock()
	defer e.mu.Unlock()
	byName := make(map[string]alert.Rule, len(rules))
	for _, r := range rules {
		byName[r.Name] = r
	}
	for id, av := range e.statuses {
		r, ok := byName[av.Rule]
		if !ok || (av.Key != r.Series && !series.Matches(r.Series, av.Key)) {
			delete(e.statuses, id)
			continue
		}
		av.Condition, av.Runbook = r.Describe(), r.Runbook
		av.Severity = r.Severity
	}
	e.cfg.Rules = append([]alert.Rule(nil), rules...)
	e.evaluateLocked(now)
	e.publishLocked()
}
