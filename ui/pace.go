package ui

import (
	tea "charm.land/bubbletea/v2"

	"github.com/stormwatch/stormwatch/monitor"
)

// FPS caps how often Bubble Tea's renderer looks for a new frame. Its
// default, 60, wakes the process 60 times a second for a screen that
// changes about once a second, and on a 2-core VM each wake-up costs about
// 0.1 ms of CPU (BENCHMARKS.md: "Terminal"). 25 keeps the answer to a key
// press under 40 ms plus the frame's own time, well inside 50 ms.
const FPS = 25

// ProgramOptions are the Bubble Tea options of every program that shows
// the dashboard (the local terminal, a replay, each SSH session).
func ProgramOptions() []tea.ProgramOption {
	return []tea.ProgramOption{tea.WithFPS(FPS)}
}

// Paced wraps the dashboard for a tea.Program so that it renders a frame
// only when one is due: after a key, a resize or any message other than
// new data; on the once-a-second clock tick; and at once when a snapshot
// changes what an operator must see now (an alert's state, a source's
// health). Other snapshots (new points on the graphs) wait for the next
// tick, so two sources polling every second cost one frame a second, not
// three. View on Model itself stays pure and always current: tests and
// goldens use it directly.
func Paced(m Model) tea.Model {
	return paced{m: m, frame: &frameCache{}}
}

type paced struct {
	m     Model
	frame *frameCache // shared by the copies Bubble Tea keeps
}

type frameCache struct {
	view  tea.View
	valid bool
}

func (p paced) Init() tea.Cmd { return p.m.Init() }

func (p paced) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	prev := p.m.snap
	next, cmd := p.m.Update(msg)
	p.m = next.(Model)
	if s, ok := msg.(snapshotMsg); !ok || urgent(prev, s.snap) {
		p.frame.valid = false
	}
	return p, cmd
}

func (p paced) View() tea.View {
	if !p.frame.valid {
		p.frame.view, p.frame.valid = p.m.View(), true
	}
	return p.frame.view
}

// urgent reports whether a new snapshot must be drawn at once rather than
// on the next tick: the first one, and any change of an alert's or a
// source's state, or of the list of alerts.
func urgent(prev, next *monitor.Snapshot) bool {
	if prev == nil || next == nil {
		return true
	}
	if len(prev.Alerts) != len(next.Alerts) || len(prev.Sources) != len(next.Sources) {
		return true
	}
	for i := range next.Alerts {
		a, b := prev.Alerts[i], next.Alerts[i]
		if a.ID() != b.ID() || a.State != b.State || a.AckedBy != b.AckedBy || !a.SilencedUntil.Equal(b.SilencedUntil) {
			return true
		}
	}
	for i := range next.Sources {
		if prev.Sources[i].State != next.Sources[i].State {
			return true
		}
	}
	return false
}
