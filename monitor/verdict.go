package monitor

import (
	"strings"
	"time"

	"github.com/stormwatch/stormwatch/alert"
	"github.com/stormwatch/stormwatch/series"
	"github.com/stormwatch/stormwatch/sources"
	"github.com/stormwatch/stormwatch/verdict"
)

// verdictSettle is how long a new kind of verdict must hold before the
// timeline records the change.
const verdictSettle = 2 * time.Second

// EventVerdict is a change of the verdict: its Text is the verdict line
// with its numbers, State the kind ("load", "regression",
// "load+regression", "none").
const EventVerdict EventKind = "verdict"

// Verdict is the cause the engine names for the current incident, as the
// viewers show it under the banner.
type Verdict struct {
	Kind  verdict.Kind
	Line  string
	Onset time.Time
	// Asked is true when someone asked for it (v) rather than an alert.
	Asked bool
}

// verdictState is the engine's memory of the current verdict: the onset
// it measures from, and the last kind, so the timeline gets a line only
// when the verdict changes.
type verdictState struct {
	onset     time.Time
	asked     bool
	kind      verdict.Kind
	cand      verdict.Kind // a different kind, judged continuously since candSince
	candSince time.Time
	cur       *Verdict
	// shapes are the latest query shapes per source, for naming the
	// regression's top shape.
	shapes map[string][]sources.Shape
}

// Explain turns the verdict on without an alert (the v key), measuring
// from one Window ago, or off again if it was turned on that way. It
// reports whether the verdict is now asked for.
func (e *Engine) Explain(who string) bool {
	now := e.clock.Now()
	e.mu.Lock()
	defer e.mu.Unlock()
	v := &e.vd
	if v.asked {
		v.asked = false
	} else {
		v.asked = true
		if v.onset.IsZero() {
			v.onset = now.Add(-e.cfg.Verdict.WithDefaults().Window)
		}
	}
	e.updateVerdictLocked(now)
	e.publishLocked()
	return v.asked
}

// updateVerdictLocked latches the onset when an alert first goes pending
// or firing, judges the cause on every poll while one is (or while asked),
// and records each change of kind on the timeline.
func (e *Engine) updateVerdictLocked(now time.Time) {
	v := &e.vd
	first, attention := e.attentionSinceLocked()
	if !attention && !v.asked {
		*v = verdictState{shapes: v.shapes}
		return
	}
	if v.onset.IsZero() {
		v.onset = first
	}
	cfg := e.cfg.Verdict.WithDefaults()
	in := verdict.Input{Onset: v.onset, Now: now, Configured: e.cfg.RequestsPolled}
	if r := e.store[cfg.Requests]; r != nil {
		in.Requests = r.View()
		in.Configured = true
		if lw := e.store[cfg.Requests+verdict.LastWeekSuffix]; lw != nil {
			in.LastWeek = verdict.LastWeekLevel(cfg, lw.View(), in.Requests)
		}
	}
	for k, r := range e.store {
		name, _ := series.SplitKey(k)
		if strings.HasSuffix(name, "."+verdict.DocsExaminedPerRequest) {
			in.Work = append(in.Work, r.View())
		}
	}
	in.Shape = e.topShapeLocked(v.onset, cfg.Baseline)
	j := verdict.Judge(cfg, in)
	v.cur = &Verdict{Kind: j.Kind, Line: j.Line(), Onset: v.onset, Asked: v.asked && !attention}
	// The timeline gets the first judgement, then a change once it has
	// held for verdictSettle: one poll that sees a late CloudWatch point
	// differently is not a change of cause. (The engine judges after
	// every source's poll, so "two judgements" could be one second.)
	switch {
	case j.Kind == v.kind:
		v.cand = ""
	case v.kind == "":
		v.kind = j.Kind
		e.timeline = append(e.timeline, Event{At: now, Kind: EventVerdict, State: string(j.Kind), Text: v.cur.Line})
	case j.Kind != v.cand:
		v.cand, v.candSince = j.Kind, now
	}
	if v.cand != "" && now.Sub(v.candSince) >= verdictSettle {
		v.kind, v.cand = j.Kind, ""
		e.timeline = append(e.timeline, Event{At: now, Kind: EventVerdict, State: string(j.Kind), Text: v.cur.Line})
	}
}

// attentionSinceLocked reports whether an alert is pending or firing, and
// the earliest time one of them entered that state.
func (e *Engine) attentionSinceLocked() (time.Time, bool) {
	var first time.Time
	on := false
	for _, av := range e.statuses {
		if av.State != alert.Pending && av.State != alert.Firing {
			continue
		}
		since := av.Since
		if av.State == alert.Firing && !av.PendingSince.IsZero() {
			since = av.PendingSince
		}
		if !on || since.Before(first) {
			first = since
		}
		on = true
	}
	return first, on
}

// topShapeLocked is the query shape with the largest share of active time
// across the database sources, with its share over the baseline before
// the onset (-1 when nothing was sampled then).
func (e *Engine) topShapeLocked(onset time.Time, baseline time.Duration) *verdict.Shape {
	var best *sources.Shape
	for _, shs := range e.vd.shapes {
		for i := range shs {
			if best == nil || shs[i].Share > best.Share {
				best = &shs[i]
			}
		}
	}
	if best == nil || best.Share <= 0 {
		return nil
	}
	n, total := 0, 0
	for _, c := range best.Samples {
		if !c.At.Before(onset.Add(-baseline)) && c.At.Before(onset) {
			n, total = n+c.N, total+c.Total
		}
	}
	before := -1.0
	if total > 0 {
		before = float64(n) / float64(total)
	}
	return &verdict.Shape{Text: best.Text, App: best.App, Collscan: best.Collscan, Share: best.Share, Before: before}
}
