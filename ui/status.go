package ui

import (
	"fmt"
	"slices"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/stormwatch/stormwatch/monitor"
	"github.com/stormwatch/stormwatch/sources"
)

// status is one line: each source's health and its most telling fact,
// then whether polling is live and the clock in UTC and local time. It
// always describes the live engine, even under a frozen picture.
func (m Model) status(w int) string {
	if m.snap == nil {
		return m.th.dim.Render("waiting for the engine…")
	}
	polling := "polling ● live"
	switch {
	case m.ended:
		polling = "■ ENDED: the engine stopped"
	case m.opts.Playback != nil && m.replayPaused:
		polling = "replay ■ paused"
	case m.opts.Playback != nil:
		polling = "replay ▶ playing"
	case m.frozen != nil:
		polling = "polling ● live · view frozen"
	}
	polling = m.th.ok.Render(polling)
	clocks := m.now.UTC().Format("15:04:05") + " UTC / " + m.now.In(m.opts.Location).Format("15:04:05 MST")
	if m.now.IsZero() {
		clocks = ""
	}
	// Who is watching stays when the polling word goes (the header says
	// LIVE or FROZEN too).
	who := ""
	if v := viewers(m.snap); v != "" {
		who = m.th.dim.Render(v)
		polling = who + "  " + polling
	}
	if d := droppedNote(m.snap.Dropped); d != "" {
		polling = m.th.stale.Render(d) + "  " + polling
	}
	// Drop the least needed first: the clocks, then the facts but the
	// demo's narration (what the scenario is doing now), then that too.
	all := func(string) bool { return true }
	narration := func(f string) bool { return strings.HasPrefix(f, "scenario ") }
	none := func(string) bool { return false }
	for _, try := range []struct {
		facts func(string) bool
		right string
	}{{all, polling + "  " + clocks}, {all, polling}, {narration, polling}, {narration, who}, {none, polling}} {
		left := m.sources(try.facts)
		if gap := w - ansi.StringWidth(left) - ansi.StringWidth(try.right); gap >= 2 {
			return left + strings.Repeat(" ", gap) + try.right
		}
	}
	return fit(m.sources(none), w, "…")
}

func (m Model) sources(facts func(string) bool) string {
	var parts []string
	for _, s := range m.snap.Sources {
		text := m.sourceStatus(s)
		f := topFact(s.Facts)
		switch {
		case f == "" || !facts(f):
		case s.Describe(m.now) == "ok" && strings.HasPrefix(f, s.Name+" "):
			// A healthy source whose fact is named after it (the demo's
			// narrator): "● scenario 1:05 of 6:00, recovery".
			text = m.th.ok.Render("● "+s.Name) + " " + strings.TrimPrefix(f, s.Name+" ")
		default:
			text += m.th.dim.Render(" · " + f)
		}
		for _, c := range costFacts(s.Facts) {
			if facts(c) {
				text += m.th.dim.Render(" · " + c)
			}
		}
		parts = append(parts, text)
	}
	return strings.Join(parts, "   ")
}

// topFact is the one fact that says most about how far to trust the
// source: throttling, then data freshness ("data as of 10:42 UTC, 5-min
// resolution"), then replication lag, then the first fact that is not
// just an identity (topology, version, api usage).
func topFact(fs []sources.Fact) string {
	for _, want := range []func(sources.Fact) bool{
		func(f sources.Fact) bool { return f.Key == "throttled" },
		func(f sources.Fact) bool { return strings.Contains(f.Value.String(), "data as of") },
		func(f sources.Fact) bool { return f.Key == "repl lag" },
		func(f sources.Fact) bool {
			return f.Key != "topology" && f.Key != "version" && f.Key != "api usage" &&
				f.Key != sources.FactOwnCost && f.Key != sources.FactSlowed
		},
	} {
		for _, f := range fs {
			if want(f) {
				return f.Key + " " + f.Value.String()
			}
		}
	}
	return ""
}

func (m Model) sourceStatus(s monitor.SourceHealth) string {
	desc := s.Describe(m.now)
	glyph, style := "●", m.th.ok
	switch {
	case s.State == monitor.Failing:
		glyph, style = "✖", m.th.critical
	case s.State == monitor.Starting:
		glyph, style = "◌", m.th.dim
	case s.Stale(m.now):
		glyph, style = "◌", m.th.stale
	}
	text := style.Render(glyph+" "+s.Name) + " " + desc
	if s.State == monitor.Failing && s.Hint != "" {
		text += " — " + s.Hint
	}
	if len(s.Members) > summaryAbove {
		text += m.th.dim.Render(" · ") + memberSummary(s, m.snap)
	} else if len(s.Members) > 0 {
		var ms []string
		for _, mem := range membersInOrder(s.Members) {
			mark := "✔"
			if !mem.OK {
				mark = "✖"
			}
			role := ""
			if r := roleMark(mem.Role); r != "" {
				role = " " + r
			}
			ms = append(ms, mem.ID+role+" "+mark)
		}
		text += " (" + strings.Join(ms, ", ") + ")"
	}
	return text
}

// viewers is "watching: alice, bob ×2" for a shared dashboard: one name
// per person, with a count when someone has several sessions open.
func viewers(s *monitor.Snapshot) string {
	if len(s.Viewers) == 0 {
		return ""
	}
	var names []string
	count := map[string]int{}
	for _, v := range s.Viewers {
		if count[v] == 0 {
			names = append(names, v)
		}
		count[v]++
	}
	for i, n := range names {
		if count[n] > 1 {
			names[i] = fmt.Sprintf("%s ×%d", n, count[n])
		}
	}
	return "watching: " + strings.Join(names, ", ")
}

// membersInOrder is the primary first, then by name: a source that polls
// its members concurrently lists them in the order they answered, and a
// status line that swaps them every second reads as a change.
func membersInOrder(members []sources.Member) []sources.Member {
	out := slices.Clone(members)
	slices.SortStableFunc(out, func(a, b sources.Member) int {
		if pa, pb := a.Role == "PRIMARY", b.Role == "PRIMARY"; pa != pb {
			if pa {
				return -1
			}
			return 1
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out
}

// roleMark is a member's role on the status line: P, S and A for the
// members of a replica set; a standalone server or a router is not a
// secondary, so it gets its word (issue 13: a standalone read "S").
func roleMark(role string) string {
	switch role {
	case "":
		return ""
	case "PRIMARY", "SECONDARY", "ARBITER":
		return role[:1]
	}
	return strings.ToLower(role)
}
