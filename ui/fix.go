package ui

import (
	"context"
	"slices"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/stormwatch/stormwatch/monitor"
	"github.com/stormwatch/stormwatch/sources"
	"github.com/stormwatch/stormwatch/text"
)

// Fixer runs the database actions the culprit tables offer: explain a
// culprit's query and propose an index (x), stop its operations (k). The
// adapter behind it (internal/cli) holds the guards: one action at a
// time, deadlines, never internal operations, and it records each action
// and its result on the timeline with who and when. Nil turns x and k off:
// a read-only viewer, or --read-only.
type Fixer interface {
	Explain(ctx context.Context, t FixTarget, who string) (ExplainView, error)
	Candidates(ctx context.Context, t FixTarget) (StopPlan, error)
	Stop(ctx context.Context, plan StopPlan, typed, who string) (text.Safe, error)
	// Reject sets the 8.0 query settings that make the server refuse the
	// plan's query shape (offered when plan.Reject is set); Undo removes
	// the last one set.
	Reject(ctx context.Context, plan StopPlan, typed, who string) (text.Safe, error)
	Undo(ctx context.Context, who string) (text.Safe, error)
}

// FixTarget is what x and k act on: an app's operations (on a namespace,
// when the row names one) on the source whose table the row is in. With
// two MongoDB sources, a row of one must never be acted on in the other.
type FixTarget struct {
	Source, App, NS string
}

// ExplainView is one explain, already sanitised, for the panel.
type ExplainView struct {
	Member   text.Safe // where it ran
	Op       text.Safe // "find, running 14s, opid 901"
	Winning  text.Safe // "SORT <- COLLSCAN"
	Collscan bool
	Shape    text.Safe   // "equality camera_id · sort ts -1 · range ts"
	Rejected []text.Safe // other plans
	Proposal text.Safe   // "{camera_id: 1, ts: -1}"
	Why      text.Safe   // how it relates to the existing indexes
	Command  text.Safe   // the createIndex line to copy
	Indexes  []text.Safe // "camera_id_1 {camera_id: 1} used 0×"
	Cost     text.Safe   // "reads 3.7 M documents (2.1 GB) once"
	Notes    []text.Safe
	Cached   bool
}

// StopPlan is what k would stop, shown before the typed confirmation.
type StopPlan struct {
	App, NS  text.Safe
	Member   text.Safe
	Rows     []StopRow
	Stop     int       // how many may be stopped
	Warning  text.Safe // what killOp cannot do ("the app may reconnect…")
	Reject   text.Safe // the 8.0 query-settings alternative, "" when not offered
	Undo     text.Safe // its undo
	Internal any       // the adapter's own state, handed back to Stop
}

// StopRow is one group of matching operations.
type StopRow struct {
	App, Client, NS, Plan text.Safe
	Secs                  float64 // the longest of the group
	Count                 int
	Refuse                text.Safe // why stormwatch leaves them alone; "" when they may be stopped
}

// fixTimeout bounds a whole action from the UI's side; the adapter bounds
// each command far tighter.
const fixTimeout = 20 * time.Second

type fixMode int

const (
	fixClosed fixMode = iota
	fixWaiting
	fixExplained
	fixListed
)

// fixState is the explain/stop panel.
type fixState struct {
	mode     fixMode
	target   FixTarget
	waiting  string
	explain  ExplainView
	plan     StopPlan
	err      string
	resolved string // the last stop's result, shown in the panel
	// rejecting: the typed confirmation is for a query-shape reject, not
	// a stop; rejected: one is in force, so u undoes it.
	rejecting, rejected bool
}

type (
	fixExplainMsg struct {
		v   ExplainView
		err error
	}
	fixPlanMsg struct {
		p   StopPlan
		err error
	}
	fixStoppedMsg struct {
		summary text.Safe
		err     error
	}
	fixRejectedMsg struct {
		summary text.Safe
		err     error
		undone  bool // the answer to u
	}
)

const readOnlyFix = "read-only: x and k are off (--read-only, ui.read_only, or a read-only viewer)"

// culpritRow is an actionable row of the culprit tables.
type culpritRow struct {
	table      string
	source     string // the source whose table it is
	app, ns    string
	hot        bool // the table's highlighted row
	tIdx, rIdx int  // where it is in the snapshot's tables
}

// culpritRows lists the rows x and k can act on: slow ops first (they
// carry a namespace), then top clients.
func culpritRows(pic *monitor.Snapshot) []culpritRow {
	if pic == nil {
		return nil
	}
	var out []culpritRow
	for _, name := range []string{"slow ops", "top clients"} {
		for ti, t := range pic.Tables {
			if t.Name != name {
				continue
			}
			app, ns := colIndex(t, "app"), colIndex(t, "ns")
			if app < 0 {
				continue
			}
			for i, r := range t.Rows {
				a := r.Field(app)
				if a == "" || a == "(unknown)" {
					continue
				}
				row := culpritRow{table: name, source: t.Source, app: a, hot: i == t.Highlight, tIdx: ti, rIdx: i}
				if ns >= 0 {
					row.ns = r.Field(ns)
				}
				out = append(out, row)
			}
		}
	}
	return out
}

// colIndex is the index of the column titled title, or -1.
func colIndex(t sources.Table, title string) int {
	return slices.IndexFunc(t.Columns, func(c sources.Column) bool { return c.Title == title })
}

// fixTarget is the row x and k act on: the one chosen with ↑/↓ in the
// tables panel, else the first highlighted row (the longest collection
// scan, or the client holding most active operations), else the first.
func (m Model) fixTarget() (culpritRow, bool) {
	rows := culpritRows(m.picture())
	if len(rows) == 0 {
		return culpritRow{}, false
	}
	if m.rowSet {
		return rows[clamp(m.rowIdx, 0, len(rows)-1)], true
	}
	for _, r := range rows {
		if r.hot {
			return r, true
		}
	}
	return rows[0], true
}

// shownTables are the snapshot's tables, except that while the tables
// panel has focus and a row was chosen with ↑/↓, that row is the one
// marked ▶ (the cursor x and k act on) instead of the source's highlight.
func (m Model) shownTables() []sources.Table {
	pic := m.picture()
	if pic == nil {
		return nil
	}
	r, ok := m.fixTarget()
	if !ok || !m.rowSet || m.focus != focusTables || m.opts.Fixer == nil {
		return pic.Tables
	}
	out := append([]sources.Table(nil), pic.Tables...)
	for i := range out {
		if out[i].Name == "slow ops" || out[i].Name == "top clients" {
			out[i].Highlight = -1
		}
	}
	out[r.tIdx].Highlight = r.rIdx
	return out
}

func (m *Model) moveRow(d int) {
	rows := culpritRows(m.picture())
	if len(rows) == 0 {
		m.say("no top-client or slow-op row to choose")
		return
	}
	if !m.rowSet {
		cur, _ := m.fixTarget()
		m.rowIdx = slices.Index(rows, cur)
		m.rowSet = true
	}
	m.rowIdx = clamp(m.rowIdx+d, 0, len(rows)-1)
	r := rows[m.rowIdx]
	m.say("x explain · k stop: " + describeRow(r))
}

func (r culpritRow) target() FixTarget { return FixTarget{Source: r.source, App: r.app, NS: r.ns} }

func describeRow(r culpritRow) string {
	s := text.Clean(r.app).String()
	if r.ns != "" {
		s += " on " + text.Clean(r.ns).String()
	}
	return s + " (" + r.table + ")"
}

// fixBlocked says why no DB action may start now ("" when one may): a
// read-only dashboard, or one action still waiting for its answer.
func (m Model) fixBlocked() string {
	if m.opts.Fixer == nil {
		return readOnlyFix
	}
	if m.fix.mode == fixWaiting {
		return m.fix.waiting + " (wait for it)"
	}
	return ""
}

// fixCall runs one adapter call off the update loop, bounded by fixTimeout.
func fixCall(call func(ctx context.Context) tea.Msg) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), fixTimeout)
		defer cancel()
		return call(ctx)
	}
}

func (m Model) startExplain() (tea.Model, tea.Cmd) {
	if why := m.fixBlocked(); why != "" {
		m.say(why)
		return m, nil
	}
	r, ok := m.fixTarget()
	if !ok {
		m.say("no top-client or slow-op row to explain")
		return m, nil
	}
	t := r.target()
	m.fix = fixState{mode: fixWaiting, target: t, waiting: "explaining " + describeRow(r) + "…"}
	f, who := m.opts.Fixer, m.opts.Who
	return m, fixCall(func(ctx context.Context) tea.Msg {
		v, err := f.Explain(ctx, t, who.String())
		return fixExplainMsg{v, err}
	})
}

func (m Model) startStop() (tea.Model, tea.Cmd) {
	if why := m.fixBlocked(); why != "" {
		m.say(why)
		return m, nil
	}
	t := m.fix.target
	if m.fix.mode == fixClosed {
		r, ok := m.fixTarget()
		if !ok {
			m.say("no top-client or slow-op row to stop")
			return m, nil
		}
		t = r.target()
	}
	m.fix = fixState{mode: fixWaiting, target: t, waiting: "listing what would be stopped…"}
	f := m.opts.Fixer
	return m, fixCall(func(ctx context.Context) tea.Msg {
		p, err := f.Candidates(ctx, t)
		return fixPlanMsg{p, err}
	})
}

// onFixMsg takes the answers of the adapter.
func (m Model) onFixMsg(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case fixExplainMsg:
		if msg.err != nil {
			m.fix.mode, m.fix.err = fixExplained, text.Clean(msg.err.Error()).String()
			return m, nil
		}
		m.fix.mode, m.fix.explain, m.fix.err = fixExplained, msg.v, ""
	case fixPlanMsg:
		if msg.err != nil {
			m.fix.mode, m.fix.err = fixListed, text.Clean(msg.err.Error()).String()
			return m, nil
		}
		m.fix.mode, m.fix.plan, m.fix.err = fixListed, msg.p, ""
		if msg.p.Stop == 0 {
			m.say("nothing here may be stopped")
			return m, nil
		}
		m.inputMode = inputConfirm
		m.input.Prompt = "type " + msg.p.App.String() + " to stop: "
		m.input.Reset()
		return m, m.input.Focus()
	case fixRejectedMsg:
		m.fix.mode = fixListed
		if msg.err != nil {
			m.fix.err = text.Clean(msg.err.Error()).String()
			m.say(m.fix.err)
			return m, nil
		}
		m.fix.rejected = !msg.undone
		m.fix.resolved = msg.summary.String()
		m.say(m.fix.resolved)
	case fixStoppedMsg:
		m.fix.mode = fixListed
		if msg.err != nil {
			m.fix.err = text.Clean(msg.err.Error()).String()
			m.say("not stopped: " + m.fix.err)
			return m, nil
		}
		m.fix.resolved = msg.summary.String()
		m.say(m.fix.resolved)
	}
	return m, nil
}

// confirmStop checks the typed text against the app; only an exact match
// sends anything.
func (m Model) confirmStop(typed string) (tea.Model, tea.Cmd) {
	p := m.fix.plan
	if typed != p.App.String() {
		verb := "stopped"
		if m.fix.rejecting {
			verb = "rejected"
		}
		m.say("not " + verb + ": you typed " + text.Clean(typed).String() + ", not " + p.App.String() + "; nothing was sent")
		return m, nil
	}
	if m.fix.rejecting {
		m.fix.mode, m.fix.waiting = fixWaiting, "rejecting "+p.App.String()+"'s query shape…"
		f, who := m.opts.Fixer, m.opts.Who
		return m, fixCall(func(ctx context.Context) tea.Msg {
			s, err := f.Reject(ctx, p, typed, who.String())
			return fixRejectedMsg{summary: s, err: err}
		})
	}
	m.fix.mode, m.fix.waiting = fixWaiting, "stopping "+p.App.String()+"…"
	f, who := m.opts.Fixer, m.opts.Who
	return m, fixCall(func(ctx context.Context) tea.Msg {
		s, err := f.Stop(ctx, p, typed, who.String())
		return fixStoppedMsg{s, err}
	})
}

// startReject asks for the app name before rejecting the query shape.
func (m Model) startReject() (tea.Model, tea.Cmd) {
	if m.fix.mode != fixListed || m.fix.plan.Reject.IsEmpty() {
		m.say("rejecting a query shape needs MongoDB 8.0 and a find or aggregate to reject")
		return m, nil
	}
	m.fix.rejecting = true
	m.inputMode = inputConfirm
	m.input.Prompt = "type " + m.fix.plan.App.String() + " to reject its query shape: "
	m.input.Reset()
	return m, m.input.Focus()
}

// undoReject removes the reject set from this panel: one key, no question.
func (m Model) undoReject() (tea.Model, tea.Cmd) {
	if !m.fix.rejected {
		m.say("no query-shape reject to undo from here")
		return m, nil
	}
	m.fix.mode, m.fix.waiting = fixWaiting, "undoing the reject…"
	f, who := m.opts.Fixer, m.opts.Who
	return m, fixCall(func(ctx context.Context) tea.Msg {
		s, err := f.Undo(ctx, who.String())
		return fixRejectedMsg{summary: s, err: err, undone: err == nil}
	})
}

// copyCommand puts the proposal's createIndex line on the clipboard of
// the terminal (OSC 52) and says so; it is also on screen to select.
func (m Model) copyCommand() (tea.Model, tea.Cmd) {
	c := m.fix.explain.Command.String()
	if m.fix.mode != fixExplained || c == "" {
		m.say("nothing to copy: no createIndex command is shown")
		return m, nil
	}
	m.say("copied: " + c)
	return m, tea.SetClipboard(c)
}
