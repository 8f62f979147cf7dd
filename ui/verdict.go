package ui

import (
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/stormwatch/stormwatch/monitor"
	"github.com/stormwatch/stormwatch/verdict"
)

// verdictLines is the engine's verdict under the banner: each clause on its
// own line(s), word-wrapped to the width, at most max lines (the last one
// cut with "…"). Nil when there is no verdict to show.
func verdictLines(snap *monitor.Snapshot, w, max int, th theme) []string {
	if snap == nil || snap.Verdict == nil || max <= 0 {
		return nil
	}
	v := snap.Verdict
	style := th.dim
	switch v.Kind {
	case verdict.Load:
		style = th.warning
	case verdict.Regression, verdict.Both:
		style = th.critical
	}
	clauses := strings.Split(v.Line, " | ")
	var lines []string
	for _, clause := range clauses {
		lines = append(lines, wrapWords(clause, w-2)...)
	}
	if len(lines) > max && len(clauses) <= max {
		// Not room for every clause whole: one line each, cut, so the
		// second cause is never the one that goes missing.
		lines = clauses
	}
	if len(lines) > max {
		lines = lines[:max]
		lines[max-1] = fit(lines[max-1]+" …", w-2, "…")
	}
	out := make([]string, len(lines))
	for i, l := range lines {
		lead := "  "
		if i == 0 {
			lead = "⇒ "
		}
		out[i] = style.Render(fit(lead+strings.TrimRight(l, " "), w, "…"))
	}
	return out
}

// nbHyphen stands in for a hyphen while wrapping: ansi.Wrap breaks after
// a hyphen, which would cut a name like api-main in two.
const nbHyphen = "\u2011"

// wrapWords wraps s to width w between words only (a word longer than the
// line is still cut), so a hyphenated name stays whole.
func wrapWords(s string, w int) []string {
	wrapped := ansi.Wrap(strings.ReplaceAll(s, "-", nbHyphen), w, " ")
	return strings.Split(strings.ReplaceAll(wrapped, nbHyphen, "-"), "\n")
}

// verdictMax is how many lines the verdict may take: three on a tall
// screen, two on a short one, where the graphs need the room.
func verdictMax(h int) int {
	if h >= 30 {
		return 3
	}
	return 2
}

// explainer is an engine that can show a verdict on request (the v key).
type explainer interface {
	Explain(who string) bool
}

// explain asks the engine for a verdict without an alert, or to stop
// showing one it was asked for.
func (m Model) explain() (tea.Model, tea.Cmd) {
	ex, ok := m.opts.Actions.(explainer)
	if !ok {
		m.say("read-only viewer: the verdict shows while an alert is pending or firing")
		return m, nil
	}
	who := m.opts.Who.String()
	return m, func() tea.Msg {
		if ex.Explain(who) {
			return actionMsg{"verdict on: measured since the time on its line (v again: off)"}
		}
		return actionMsg{"verdict off (it still shows while an alert is pending or firing)"}
	}
}
