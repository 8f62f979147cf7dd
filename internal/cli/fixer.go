package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/stormwatch/stormwatch/internal/human"
	"github.com/stormwatch/stormwatch/monitor"
	"github.com/stormwatch/stormwatch/sources/mongo"
	"github.com/stormwatch/stormwatch/sources/mongo/indexadvice"
	"github.com/stormwatch/stormwatch/text"
	"github.com/stormwatch/stormwatch/ui"
)

// fixer is the dashboard's x and k: the MongoDB source's actions, with
// every action and its result recorded on the engine's timeline (and so
// in the export) with who and when. Viewers of one engine share it, so
// its one-action-at-a-time rule holds across SSH sessions too.
type fixer struct {
	acts   map[string]*mongo.Actions // by source name: one per MongoDB source
	engine *monitor.Engine

	mu       sync.Mutex
	rejected *rejected // the query-shape reject u undoes
}

type rejected struct {
	subject string
	plan    mongo.RejectPlan
	acts    *mongo.Actions // where it was set
}

// newFixer takes every MongoDB source of the engine, each acted on by its
// own name; nil when there is none (the actions are then simply not
// offered).
func newFixer(e *monitor.Engine) (*fixer, func()) {
	f := &fixer{acts: map[string]*mongo.Actions{}, engine: e}
	for _, s := range e.Sources() {
		if ms, ok := s.(*mongo.Source); ok {
			f.acts[ms.Name()] = ms.Actions()
		}
	}
	if len(f.acts) == 0 {
		return nil, func() {}
	}
	return f, func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		for _, a := range f.acts {
			a.Close(ctx)
		}
	}
}

// on is the actions of the source a row came from: never another one.
func (f *fixer) on(source string) (*mongo.Actions, error) {
	if a := f.acts[source]; a != nil {
		return a, nil
	}
	return nil, fmt.Errorf("x and k act on MongoDB sources; %q is not one", clean(source))
}

func clean(s string) string { return text.Clean(s).String() }

func subject(app, ns string) string {
	if ns == "" {
		return clean(app)
	}
	return clean(app) + " on " + clean(ns)
}

// Explain runs the explain and records it once (a repeat shown from the
// cache is not a new action).
func (f *fixer) Explain(ctx context.Context, t ui.FixTarget, who string) (ui.ExplainView, error) {
	app, ns := t.App, t.NS
	acts, err := f.on(t.Source)
	if err != nil {
		return ui.ExplainView{}, err
	}
	e, err := acts.Explain(ctx, mongo.Selection{App: app, NS: ns})
	if err != nil {
		if !errors.Is(err, mongo.ErrBusy) {
			f.engine.Action(subject(app, ns), clean("explain failed: "+err.Error()), clean(who), "")
		}
		return ui.ExplainView{}, err
	}
	v := explainView(e)
	if !e.Cached {
		line := fmt.Sprintf("explained %s on %s: %s", e.Op.Cmd, e.Target.Label, e.Winning)
		if len(e.Proposals) > 0 {
			line += "; proposed index " + indexadvice.Pattern(e.Proposals[0].Keys) + " (" + e.Proposals[0].Why() + ")"
		}
		f.engine.Action(subject(app, ns), clean(line), clean(who), "")
	}
	return v, nil
}

func explainView(e mongo.Explain) ui.ExplainView {
	db, coll, _ := strings.Cut(e.Op.NS, ".")
	v := ui.ExplainView{
		Member:   text.Clean(e.Target.Label),
		Op:       text.Clean(fmt.Sprintf("%s by %s, running %.0fs, opid %s, plan %s", e.Op.Cmd, e.Op.App, e.Op.Secs, e.Op.ID, e.Op.Plan)),
		Winning:  text.Clean(e.Winning),
		Collscan: e.Collscan,
		Cached:   e.Cached,
	}
	for _, r := range e.Rejected {
		v.Rejected = append(v.Rejected, text.Clean(r))
	}
	if len(e.Proposals) > 0 {
		p := e.Proposals[0]
		v.Shape = text.Clean(shape(p.Shape))
		v.Proposal = text.Clean(indexadvice.Pattern(p.Keys))
		why := p.Why()
		if len(e.Proposals) > 1 {
			why += fmt.Sprintf(" (and %d more for the other $or branches)", len(e.Proposals)-1)
		}
		v.Why = text.Clean(why)
		if p.Verdict == indexadvice.New || p.Verdict == indexadvice.Extends {
			v.Command = text.Clean(indexadvice.Command(db, coll, p.Keys))
			// What a build reads is said only where there is one to run.
			v.Cost = text.Clean(buildCost(e.Docs, e.Bytes))
		}
		for _, ig := range p.Shape.Ignored {
			v.Notes = append(v.Notes, text.Clean(ig))
		}
	}
	for _, ix := range e.Indexes {
		uses := "use count unknown"
		if ix.Uses >= 0 {
			uses = fmt.Sprintf("used %d times since the server started", ix.Uses)
		}
		v.Indexes = append(v.Indexes, text.Clean(ix.Name+" "+indexadvice.Pattern(ix.Keys)+"  "+uses))
	}
	for _, n := range e.Notes {
		v.Notes = append(v.Notes, text.Clean(n))
	}
	return v
}

func shape(s indexadvice.Shape) string {
	var parts []string
	if len(s.Equality) > 0 {
		parts = append(parts, "equality "+strings.Join(s.Equality, ", "))
	}
	if len(s.Sort) > 0 {
		parts = append(parts, "sort "+indexadvice.Pattern(s.Sort))
	}
	if len(s.Range) > 0 {
		parts = append(parts, "range "+strings.Join(s.Range, ", "))
	}
	if len(parts) == 0 {
		return "no filter or sort"
	}
	return strings.Join(parts, " · ")
}

// buildCost says what a build reads; it does not guess a duration.
func buildCost(docs, bytes float64) string {
	if docs < 0 {
		return "unknown (see the note)"
	}
	return fmt.Sprintf("the build reads all %s documents (%s) once; not built from here (run the command above when you choose)",
		human.CountInText(docs), human.BytesInText(bytes))
}

// stopState is what Candidates found, handed back to Stop through the UI
// so that exactly the operations shown are the ones stopped.
type stopState struct {
	sel  mongo.Selection
	ops  []mongo.Op
	t    mongo.Target
	acts *mongo.Actions // the source they were listed on
}

// Candidates lists what k would stop, grouped as the panel shows it.
func (f *fixer) Candidates(ctx context.Context, target ui.FixTarget) (ui.StopPlan, error) {
	app, ns := target.App, target.NS
	acts, err := f.on(target.Source)
	if err != nil {
		return ui.StopPlan{}, err
	}
	sel := mongo.Selection{App: app, NS: ns}
	ops, t, err := acts.Operations(ctx, sel)
	if err != nil {
		return ui.StopPlan{}, err
	}
	p := ui.StopPlan{App: text.Clean(app), NS: text.Clean(ns), Member: text.Clean(t.Label), Internal: stopState{sel, ops, t, acts},
		Warning: text.Clean("killOp only asks; there is no undo. " + app + " may reconnect and start again: pause it at its source too.")}
	idx := map[string]int{}
	for _, o := range ops {
		if o.Refuse == "" {
			p.Stop++
		}
		k := strings.Join([]string{o.App, o.Client, o.NS, o.Plan, o.Refuse}, "\x00")
		i, ok := idx[k]
		if !ok {
			i = len(p.Rows)
			idx[k] = i
			p.Rows = append(p.Rows, ui.StopRow{App: text.Clean(o.App), Client: text.Clean(o.Client), NS: text.Clean(o.NS),
				Plan: text.Clean(o.Plan), Refuse: text.Clean(o.Refuse)})
		}
		p.Rows[i].Count++
		p.Rows[i].Secs = max(p.Rows[i].Secs, o.Secs)
	}
	for _, o := range ops {
		if o.Refuse != "" || o.Cmd == "" {
			continue
		}
		if rp, err := mongo.PlanReject(t, o); err == nil {
			p.Reject, p.Undo = text.Clean(rp.SetShell), text.Clean(rp.UndoShell)
		}
		break
	}
	return p, nil
}

// Stop kills the operations shown, records the result with who and when,
// and marks the instant on the graphs so the effect shows beside it.
func (f *fixer) Stop(ctx context.Context, plan ui.StopPlan, typed, who string) (text.Safe, error) {
	st, ok := plan.Internal.(stopState)
	if !ok {
		return text.Safe{}, errors.New("stop: no list of operations; press k again")
	}
	subj := subject(st.sel.App, st.sel.NS)
	r, err := st.acts.Stop(ctx, st.sel, st.ops, typed, who)
	switch {
	case errors.Is(err, mongo.ErrNotConfirmed), errors.Is(err, mongo.ErrBusy):
		return text.Safe{}, err
	case err != nil:
		f.engine.Action(subj, clean("stop failed: "+err.Error()), clean(who), "")
		return text.Safe{}, err
	}
	summary := r.Summary(st.sel.App)
	mark := ""
	if len(r.Asked) > 0 {
		mark = "stopped " + clean(st.sel.App)
	}
	f.engine.Action(subj, clean(summary+"; undo: none (killOp cannot be undone); server log comment: "+r.Comment), clean(who), mark)
	return text.Clean(summary), nil
}

// Reject makes the server refuse the plan's query shape (MongoDB 8.0+),
// after the same typed confirmation as a stop, and records it with its
// undo.
func (f *fixer) Reject(ctx context.Context, plan ui.StopPlan, typed, who string) (text.Safe, error) {
	st, ok := plan.Internal.(stopState)
	if !ok {
		return text.Safe{}, errors.New("reject: no list of operations; press k again")
	}
	if strings.TrimSpace(typed) != st.sel.App {
		return text.Safe{}, mongo.ErrNotConfirmed
	}
	var rp mongo.RejectPlan
	var err error = &mongo.ActionError{Step: "setQuerySettings", Reason: "no find or aggregate among the operations"}
	for _, o := range st.ops {
		if o.Refuse == "" && o.Cmd != "" {
			rp, err = mongo.PlanReject(st.t, o)
			break
		}
	}
	if err != nil {
		return text.Safe{}, err
	}
	subj := subject(st.sel.App, st.sel.NS)
	if err := st.acts.Reject(ctx, rp); err != nil {
		f.engine.Action(subj, clean("reject failed: "+err.Error()), clean(who), "")
		return text.Safe{}, err
	}
	f.mu.Lock()
	f.rejected = &rejected{subject: subj, plan: rp, acts: st.acts}
	f.mu.Unlock()
	f.engine.Action(subj, clean("rejected the query shape: new queries of it fail until undone; undo: "+rp.UndoShell), clean(who), "rejected "+clean(st.sel.App))
	return text.Clean("rejected " + st.sel.App + "'s query shape; u undoes it"), nil
}

// Undo removes the last query-shape reject and records that.
func (f *fixer) Undo(ctx context.Context, who string) (text.Safe, error) {
	f.mu.Lock()
	r := f.rejected
	f.mu.Unlock()
	if r == nil {
		return text.Safe{}, errors.New("no query-shape reject to undo")
	}
	if err := r.acts.Undo(ctx, r.plan); err != nil {
		f.engine.Action(r.subject, clean("undo of the reject failed: "+err.Error()+"; run: "+r.plan.UndoShell), clean(who), "")
		return text.Safe{}, err
	}
	f.mu.Lock()
	f.rejected = nil
	f.mu.Unlock()
	f.engine.Action(r.subject, "removed the query-shape reject", clean(who), "")
	return text.Clean("removed the query-shape reject"), nil
}
