package ui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/stormwatch/stormwatch/text"
)

// onFixKey handles keys while the explain/stop panel is open: it is
// modal, so a stray key cannot act on the dashboard behind it.
func (m Model) onFixKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	switch {
	case key.Matches(msg, m.keys.Cancel):
		if m.fix.mode == fixWaiting {
			m.say("the action goes on; its result will be on the timeline")
		}
		m.fix = fixState{}
	case key.Matches(msg, m.keys.Stop):
		m.fix.rejecting = false
		return m.startStop()
	case key.Matches(msg, m.keys.Explain):
		m.fix = fixState{}
		return m.startExplain()
	case key.Matches(msg, m.keys.Copy):
		return m.copyCommand()
	case key.Matches(msg, m.keys.Reject):
		return m.startReject()
	case key.Matches(msg, m.keys.Undo):
		return m.undoReject()
	case key.Matches(msg, m.keys.Help):
		m.showHelp = true
	}
	return m, nil
}

// fixBody is the panel, filling the body.
func (m Model) fixBody(w, h int) []string {
	f := m.fix
	what := text.Clean(f.target.App).String()
	if f.target.NS != "" {
		what += " on " + text.Clean(f.target.NS).String()
	}
	title := "explain " + what
	keys := "esc close · k stop its operations · c copy the command"
	if f.mode == fixListed {
		title = "stop " + what
		keys = stopKeys(f, m.inputMode == inputConfirm)
	}
	out := []string{m.th.bold.Render(title) + m.th.dim.Render("  "+keys)}
	switch {
	case f.mode == fixWaiting:
		out = append(out, "", "  "+f.waiting)
	case f.err != "":
		out = append(out, "", "  "+f.err)
	case f.mode == fixExplained:
		out = append(out, m.explainLines(f.explain, w)...)
	case f.mode == fixListed:
		out = append(out, m.stopLines(f.plan, w)...)
		if f.resolved != "" {
			out = append(out, "", m.th.bold.Render("  "+f.resolved))
		}
	}
	for i := range out {
		out[i] = fit(out[i], w, "…")
	}
	return fitLines(out, h, w)
}

// stopKeys is the stop panel's hint: what the keys do now, so it never
// asks for a name when no prompt takes one.
func stopKeys(f fixState, prompting bool) string {
	switch {
	case prompting:
		return "type the app name and enter to stop · esc cancel"
	case f.resolved != "":
		return "esc close"
	case f.plan.Stop > 0:
		return "k try again · esc close"
	}
	return "esc close"
}

// explainRow is one "key value" line of the explain panel; a value too
// long for width w wraps under its column instead of being cut.
func explainRow(k, v string, w int) []string {
	const indent = 14 // "  " + 11 for the key + " "
	lines := wrapWords(v, max(w-indent, 20))
	out := make([]string, len(lines))
	for i, l := range lines {
		if i > 0 {
			k = ""
		}
		out[i] = fmt.Sprintf("  %-11s %s", k, strings.TrimRight(l, " "))
	}
	return out
}

func (m Model) explainLines(v ExplainView, w int) []string {
	var out []string
	add := func(k string, s text.Safe) { out = append(out, explainRow(k, s.String(), w)...) }
	winning := v.Winning.String()
	if v.Collscan {
		winning += "   ← reads every document"
	}
	add("member", v.Member)
	add("operation", v.Op)
	add("winning", text.Clean(winning))
	add("shape", v.Shape)
	for i, r := range v.Rejected {
		k := ""
		if i == 0 {
			k = "rejected"
		}
		add(k, r)
	}
	if len(v.Rejected) == 0 {
		add("rejected", text.Clean("none (one candidate plan)"))
	}
	out = append(out, "")
	for _, l := range explainRow("proposal", v.Proposal.String(), w) {
		out = append(out, m.th.bold.Render(l))
	}
	add("", v.Why)
	if !v.Command.IsEmpty() {
		out = append(out, "", "    "+v.Command.String(), "")
	}
	for i, ix := range v.Indexes {
		k := ""
		if i == 0 {
			k = "existing"
		}
		add(k, ix)
	}
	if !v.Cost.IsEmpty() {
		add("build cost", v.Cost)
	}
	for _, n := range v.Notes {
		for _, l := range explainRow("note", n.String(), w) {
			out = append(out, m.th.dim.Render(l))
		}
	}
	if v.Cached {
		out = append(out, m.th.dim.Render("  shown again from the first explain of this selection: the member is asked once"))
	}
	return out
}

func (m Model) stopLines(p StopPlan, w int) []string {
	out := []string{fmt.Sprintf("  on %s", p.Member.String()), ""}
	hdr := []string{"app", "client", "ns", "plan", "secs", "count", ""}
	cells := [][]string{hdr}
	for _, r := range p.Rows {
		what := "stop"
		if !r.Refuse.IsEmpty() {
			what = "left alone: " + r.Refuse.String()
		}
		cells = append(cells, []string{r.App.String(), r.Client.String(), r.NS.String(), r.Plan.String(),
			fmt.Sprintf("%.0f", r.Secs), fmt.Sprint(r.Count), what})
	}
	widths := make([]int, len(hdr))
	for _, c := range cells {
		for i, s := range c {
			widths[i] = max(widths[i], text.Clean(s).Width())
		}
	}
	for i, c := range cells {
		var b strings.Builder
		for j, s := range c {
			b.WriteString(s + strings.Repeat(" ", widths[j]-text.Clean(s).Width()+2))
		}
		line := "  " + strings.TrimRight(b.String(), " ")
		if i == 0 {
			line = m.th.dim.Render(line)
		}
		out = append(out, line)
	}
	if len(p.Rows) == 0 {
		out = append(out, "  no active operation matches now")
	}
	out = append(out, "", fmt.Sprintf("  %d operation(s) would get killOp.", p.Stop))
	if !p.Warning.IsEmpty() {
		for _, l := range wrapWords(p.Warning.String(), max(w-2, 20)) {
			out = append(out, "  "+strings.TrimRight(l, " "))
		}
	}
	if !p.Reject.IsEmpty() {
		out = append(out, "", "  instead (MongoDB 8.0+), R rejects the query shape: the server refuses new queries of it until undone (u).",
			"    "+p.Reject.String(), "  undo:", "    "+p.Undo.String())
	}
	return out
}
