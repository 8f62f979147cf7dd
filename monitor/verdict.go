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
	// shapes are the query-shape samples per source, for naming the
	// regression's top shape.
	shapes map[string]*shapeLog
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
	in.Shapes = e.shapesLocked()
	if e.cfg.Recorded {
		in.NoShapes = "the recording has no query shapes"
	}
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

// addShapesLocked merges a source's query-shape samples into the
// engine's memory of them, which keeps the baseline before the onset and
// the recent Baseline+Window (a work figure lags behind now by up to the
// request series' period and delay).
func (e *Engine) addShapesLocked(name string, shs []sources.Shape, now time.Time) {
	l := e.vd.shapes[name]
	if l == nil {
		l = &shapeLog{}
		e.vd.shapes[name] = l
	}
	l.add(shs)
	cfg := e.cfg.Verdict.WithDefaults()
	var baseFrom, baseTo time.Time
	if on := e.vd.onset; !on.IsZero() {
		baseFrom, baseTo = on.Add(-cfg.Baseline), on
	}
	l.prune(baseFrom, baseTo, now.Add(-cfg.Baseline-cfg.Window))
}

// shapesLocked is every database source's sampled query shapes with
// their per-sample counts: the verdict picks the one behind its work
// figure, over the same window.
func (e *Engine) shapesLocked() []verdict.Shape {
	var out []verdict.Shape
	for _, l := range e.vd.shapes {
		out = append(out, l.counts()...)
	}
	return out
}
