package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/stormwatch/stormwatch/monitor"
	"github.com/stormwatch/stormwatch/sources"
	"github.com/stormwatch/stormwatch/text"
)

// fakeFixer stands in for the MongoDB actions above the source (their
// own tests go through the real driver); it records what the UI asked.
type fakeFixer struct {
	targets   []FixTarget // every Explain and Candidates, in order
	explained []string
	listed    []string
	stopped   []string // typed + " by " + who
	rejected  []string
	undone    int
	explain   ExplainView
	plan      StopPlan
	err       error
}

func (f *fakeFixer) Explain(_ context.Context, t FixTarget, who string) (ExplainView, error) {
	f.targets = append(f.targets, t)
	f.explained = append(f.explained, t.App+" "+t.NS+" by "+who)
	return f.explain, f.err
}

func (f *fakeFixer) Candidates(_ context.Context, t FixTarget) (StopPlan, error) {
	f.targets = append(f.targets, t)
	f.listed = append(f.listed, t.App+" "+t.NS)
	return f.plan, f.err
}

func (f *fakeFixer) Stop(_ context.Context, p StopPlan, typed, who string) (text.Safe, error) {
	f.stopped = append(f.stopped, typed+" by "+who)
	return text.Clean(fmt.Sprintf("killOp sent for %d operation(s) of %s; all gone", p.Stop, p.App.String())), nil
}

func (f *fakeFixer) Reject(_ context.Context, p StopPlan, typed, who string) (text.Safe, error) {
	f.rejected = append(f.rejected, typed+" by "+who)
	return text.Clean("rejected the query shape of " + p.App.String()), nil
}

func (f *fakeFixer) Undo(_ context.Context, who string) (text.Safe, error) {
	f.undone++
	return text.Clean("removed the query-shape reject"), nil
}

// culpritSnapshot is the incident with the MongoDB source's real tables:
// server-c's collection scan highlighted.
func culpritSnapshot() *monitor.Snapshot {
	s := incidentSnapshot()
	str, num := sources.Str, sources.Num
	s.Tables = []sources.Table{
		{Name: "top clients", Columns: []sources.Column{{Title: "app", Kind: sources.Name}, {Title: "conns", Kind: sources.Count},
			{Title: "active", Kind: sources.Count}, {Title: "longest", Kind: sources.Seconds}, {Title: "share", Kind: sources.Percent}},
			Highlight: 0, Rows: []sources.Row{
				sources.R(str("server-c"), num(212), num(31), num(28), num(71)), sources.R(str("api-main"), num(240), num(9), num(0.4), num(21))}},
		{Name: "slow ops", Columns: []sources.Column{{Title: "ns", Kind: sources.Name}, {Title: "op", Kind: sources.Label},
			{Title: "plan", Kind: sources.Label}, {Title: "secs", Kind: sources.Seconds}, {Title: "app", Kind: sources.Name}},
			Highlight: 0, Rows: []sources.Row{
				sources.R(str("cctv.events"), str("query"), str("COLLSCAN"), num(28), str("server-c")),
				sources.R(str("shop.orders"), str("query"), str("IXSCAN { a: 1 }"), num(2), str("api-main"))}},
	}
	return s
}

func demoFixer() *fakeFixer {
	return &fakeFixer{
		explain: ExplainView{
			Member: text.Clean("mongo-1:27017"), Op: text.Clean("find by server-c, running 28s, opid 901, plan COLLSCAN"),
			Winning: text.Clean("SORT <- COLLSCAN"), Collscan: true,
			Shape:    text.Clean("equality camera_id · sort {ts: -1} · range ts"),
			Rejected: []text.Safe{text.Clean("SORT <- FETCH <- IXSCAN camera_id_1")},
			Proposal: text.Clean("{camera_id: 1, ts: -1}"), Why: text.Clean("extends index camera_id_1"),
			Command: text.Clean(`db.getSiblingDB("cctv").events.createIndex({camera_id: 1, ts: -1})`),
			Indexes: []text.Safe{text.Clean("_id_ {_id: 1}  used 3 times since the server started")},
			Cost:    text.Clean("the build reads all 3.7 M documents (2.1 GB) once"),
		},
		plan: StopPlan{App: text.Clean("server-c"), NS: text.Clean("cctv.events"), Member: text.Clean("mongo-1:27017"), Stop: 12,
			Rows: []StopRow{
				{App: text.Clean("server-c"), Client: text.Clean("10.0.3.7"), NS: text.Clean("cctv.events"), Plan: text.Clean("COLLSCAN"), Secs: 28, Count: 12},
				{App: text.Clean("server-c"), Client: text.Clean("10.0.3.7"), NS: text.Clean("cctv.events"), Plan: text.Clean("index build 40%"), Count: 1,
					Refuse: text.Clean("an index build: drop the index being built instead")},
			},
			Warning: text.Clean("killOp only asks; there is no undo.")},
	}
}

// drive presses a key and runs the command it returns once, feeding the
// answer back, as the runtime would (the fixer's answers are immediate).
func drive(t *testing.T, m Model, k string) Model {
	t.Helper()
	next, cmd := m.Update(press(k))
	m = next.(Model)
	if cmd == nil {
		return m
	}
	switch msg := cmd().(type) {
	case fixExplainMsg, fixPlanMsg, fixStoppedMsg, fixRejectedMsg:
		m = step(t, m, msg)
	case tea.BatchMsg:
	}
	return m
}

func TestExplainPanelShowsThePlanAndTheProposal(t *testing.T) {
	for _, size := range []struct{ w, h int }{{80, 24}, {120, 40}} {
		t.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(t *testing.T) {
			f := demoFixer()
			m := sizedWith(t, Options{NoColor: true, Who: text.Clean("ana"), Fixer: f, Actions: &fakeActions{}}, size.w, size.h, culpritSnapshot())
			m = drive(t, m, "x")
			if len(f.explained) != 1 || f.explained[0] != "server-c cctv.events by ana" {
				t.Fatalf("explain asked %q", f.explained)
			}
			got := screen(m)
			for _, want := range []string{"SORT <- COLLSCAN", "{camera_id: 1, ts: -1}", `createIndex({camera_id: 1, ts: -1})`} {
				if !strings.Contains(got, want) {
					t.Errorf("panel lacks %q:\n%s", want, got)
				}
			}
			golden(t, got)
			m = drive(t, m, "esc")
			if m.fix.mode != fixClosed {
				t.Error("esc did not close the panel")
			}
		})
	}
}

func TestStopNeedsTheAppNameTypedAndWrongTextSendsNothing(t *testing.T) {
	f := demoFixer()
	m := sizedWith(t, Options{NoColor: true, Who: text.Clean("ana"), Fixer: f, Actions: &fakeActions{}}, 120, 40, culpritSnapshot())
	m = drive(t, m, "k")
	if len(f.listed) != 1 || m.inputMode != inputConfirm {
		t.Fatalf("k listed %q, input %d", f.listed, m.inputMode)
	}
	got := screen(m)
	for _, want := range []string{"12 operation(s) would get killOp", "left alone: an index build", "type server-c to stop"} {
		if !strings.Contains(got, want) {
			t.Errorf("stop panel lacks %q:\n%s", want, got)
		}
	}
	golden(t, got)
	m = typeText(t, m, "server")
	m = drive(t, m, "enter")
	if len(f.stopped) != 0 || !strings.Contains(m.flash, "nothing was sent") {
		t.Fatalf("wrong text: stopped %q, said %q", f.stopped, m.flash)
	}
	m = drive(t, m, "k") // from the panel: list again, then the right name
	m = typeText(t, m, "server-c")
	m = drive(t, m, "enter")
	if len(f.stopped) != 1 || f.stopped[0] != "server-c by ana" || !strings.Contains(m.flash, "all gone") {
		t.Errorf("stopped %q, said %q", f.stopped, m.flash)
	}
}

func TestArrowsInTheTablesPanelChooseTheRowXActsOn(t *testing.T) {
	f := demoFixer()
	m := sizedWith(t, Options{NoColor: true, Who: text.Clean("ana"), Fixer: f, Actions: &fakeActions{}}, 120, 40, culpritSnapshot())
	for m.focus != focusTables {
		m = step(t, m, press("tab"))
	}
	m = step(t, m, press("down"))
	if !strings.Contains(m.flash, "api-main on shop.orders") {
		t.Errorf("down chose %q", m.flash)
	}
	if scr := screen(m); !strings.Contains(scr, "▶ shop.orde") || strings.Contains(scr, "▶ cctv.ev") {
		t.Errorf("the chosen row is not the one marked:\n%s", scr)
	}
	m = drive(t, m, "x")
	if len(f.explained) != 1 || f.explained[0] != "api-main shop.orders by ana" {
		t.Errorf("explained %q", f.explained)
	}
}

func TestWithoutAFixerXAndKAreNotOfferedAndDoNothing(t *testing.T) {
	m := sizedWith(t, Options{NoColor: true, Who: text.Clean("ana")}, 120, 40, culpritSnapshot())
	got := screen(m)
	if strings.Contains(got, "x explain") || strings.Contains(got, "k stop") {
		t.Errorf("a read-only dashboard shows the action keys:\n%s", got)
	}
	m = run(t, m, "x", "k", "?")
	if m.fix.mode != fixClosed {
		t.Error("x opened a panel without a fixer")
	}
	if help := screen(m); strings.Contains(help, "explain the culprit") {
		t.Errorf("help lists x for a read-only viewer:\n%s", help)
	}
}

func TestAFailedExplainSaysWhyInThePanel(t *testing.T) {
	f := demoFixer()
	f.err = errors.New("explain: not authorized: grant the find action on the collection's database")
	m := sizedWith(t, Options{NoColor: true, Who: text.Clean("ana"), Fixer: f, Actions: &fakeActions{}}, 120, 40, culpritSnapshot())
	m = drive(t, m, "x")
	if got := screen(m); !strings.Contains(got, "grant the find action") {
		t.Errorf("panel:\n%s", got)
	}
}

func TestOnEightRTypedRejectsTheShapeAndUUndoesIt(t *testing.T) {
	f := demoFixer()
	f.plan.Reject = text.Clean(`db.adminCommand({"setQuerySettings":{...},"settings":{"reject":true}})`)
	f.plan.Undo = text.Clean(`db.adminCommand({"removeQuerySettings":{...}})`)
	m := sizedWith(t, Options{NoColor: true, Who: text.Clean("ana"), Fixer: f, Actions: &fakeActions{}}, 120, 40, culpritSnapshot())
	m = drive(t, m, "k")
	m = drive(t, m, "esc") // leave the stop's confirmation: the panel stays
	if !strings.Contains(screen(m), "R rejects the query shape") {
		t.Fatalf("the reject is not offered:\n%s", screen(m))
	}
	m = drive(t, m, "R")
	m = typeText(t, m, "server")
	m = drive(t, m, "enter")
	if len(f.rejected) != 0 || !strings.Contains(m.flash, "not rejected") {
		t.Fatalf("wrong name: rejected %q, said %q", f.rejected, m.flash)
	}
	m = drive(t, m, "R")
	m = typeText(t, m, "server-c")
	m = drive(t, m, "enter")
	if len(f.rejected) != 1 || f.rejected[0] != "server-c by ana" || len(f.stopped) != 0 {
		t.Fatalf("rejected %q, stopped %q", f.rejected, f.stopped)
	}
	m = drive(t, m, "u")
	if f.undone != 1 || !strings.Contains(m.flash, "removed the query-shape reject") {
		t.Errorf("undo: %d, said %q", f.undone, m.flash)
	}
}

// With two MongoDB sources, x and k on a row act on the source whose
// table it is in: the row's source goes to the fixer with the app.
func TestXAndKNameTheSourceOfTheRow(t *testing.T) {
	s := culpritSnapshot()
	for i := range s.Tables {
		s.Tables[i].Source = "db2"
	}
	f := demoFixer()
	m := sizedWith(t, Options{NoColor: true, Who: text.Clean("ana"), Fixer: f, Actions: &fakeActions{}}, 120, 40, s)
	m = drive(t, m, "x")
	m = drive(t, m, "k")
	want := FixTarget{Source: "db2", App: "server-c", NS: "cctv.events"}
	if len(f.targets) != 2 || f.targets[0] != want || f.targets[1] != want {
		t.Errorf("the fixer was asked %+v, want %+v twice", f.targets, want)
	}
}
