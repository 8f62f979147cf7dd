package ui

import (
	"slices"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/stormwatch/stormwatch/monitor"
)

// ranges are the visible spans on keys 1-5 and [ ].
var ranges = []time.Duration{5 * time.Minute, 15 * time.Minute, time.Hour, 3 * time.Hour, 12 * time.Hour}

// panFraction is how much of the range ← and → move the window.
const panFraction = 4

// focusable panels, in tab order.
type focusPanel int

const (
	focusMainCPU focusPanel = iota
	focusDBCPU
	focusDB
	focusAlerts
	focusTables
	focusCount
)

var focusNames = [focusCount]string{"API CPU", "DB CPU", "DB detail", "alerts", "tables"}

// viewState is how the viewer looks at the data, as opposed to the data.
type viewState struct {
	rng time.Duration
	// until is the end of the visible window when panned back into
	// history; zero follows now (LIVE).
	until time.Time
	// frozen is the picture kept by space; the live snapshot still
	// arrives underneath it.
	frozen    *monitor.Snapshot
	frozenNow time.Time

	focus     focusPanel
	focusSeen bool // tab was pressed: show where the focus is
	zoomed    bool
	// overlay shows the cause-and-effect view in place of the two CPU
	// graphs; it takes their place in the focus order too.
	overlay   bool
	member    string // "" = every member
	presenter bool
	local     bool // clock in local time

	replayPaused bool
}

// picture is the snapshot the graphs, alerts and tables show.
func (m Model) picture() *monitor.Snapshot {
	if m.frozen != nil {
		return m.frozen
	}
	return m.snap
}

// pictureNow is the instant the picture ends at when live.
func (m Model) pictureNow() time.Time {
	if m.frozen != nil {
		return m.frozenNow
	}
	return m.now
}

// window is the visible time range.
func (m Model) window() (from, to time.Time) {
	to = m.pictureNow()
	if !m.until.IsZero() && m.until.Before(to) {
		to = m.until
	}
	return to.Add(-m.rng), to
}

func (m Model) live() bool { return m.until.IsZero() && m.frozen == nil }

func (m *Model) setRange(d time.Duration) {
	m.rng = d
	m.say("range " + fmtRange(d))
}

// stepRange moves to the next shorter (-1) or longer (+1) range; a custom
// range from the command line joins the list where it fits.
func (m *Model) stepRange(d int) {
	i, found := slices.BinarySearch(ranges, m.rng)
	switch {
	case d < 0:
		i--
	case found:
		i++
	}
	m.setRange(ranges[clamp(i, 0, len(ranges)-1)])
}

// pan moves the window by a fraction of the range: back (-1) into history
// or forward (+1) towards now, where it snaps back to LIVE.
func (m *Model) pan(dir int) {
	end := m.pictureNow()
	if end.IsZero() {
		return
	}
	_, to := m.window()
	to = to.Add(time.Duration(dir) * m.rng / panFraction)
	if !to.Before(end) {
		m.until = time.Time{}
		m.say("live")
		return
	}
	if oldest := end.Add(-ranges[len(ranges)-1]); to.Before(oldest) {
		to = oldest // the engine keeps 12 h
	}
	m.until = to
}

func (m *Model) goLive() {
	m.until = time.Time{}
	m.say("live")
}

// toggleFreeze keeps the current picture while it is discussed, or hands a
// replay's pause to the replay itself.
func (m Model) toggleFreeze() (tea.Model, tea.Cmd) {
	if pb := m.opts.Playback; pb != nil {
		pb.TogglePause()
		m.replayPaused = pb.Paused()
		if e, ok := pb.(interface{ AtEnd() bool }); ok && e.AtEnd() {
			m.say("end of the recording: nothing more to play")
		}
		return m, nil
	}
	if m.frozen != nil {
		m.frozen, m.frozenNow = nil, time.Time{}
		m.say("unfrozen")
		return m, nil
	}
	if m.snap == nil {
		return m, nil
	}
	m.frozen, m.frozenNow = m.snap, m.now
	m.say("frozen: polling and alerts go on")
	return m, nil
}

func (m *Model) moveFocus(d int) {
	next := func() { m.focus = focusPanel((int(m.focus) + d + int(focusCount)) % int(focusCount)) }
	next()
	if m.overlay && m.focus == focusDBCPU {
		next() // one overlay stands where the two CPU graphs were
	}
	m.focusSeen = true
	name := focusNames[m.focus]
	if m.overlay && m.focus == focusMainCPU {
		name = "cause and effect"
	}
	m.say("focus: " + name)
}

// toggleOverlay swaps the two CPU graphs for the cause-and-effect view and
// back. A focused or zoomed CPU graph becomes the focused or zoomed
// overlay, so o works while zoomed too.
func (m *Model) toggleOverlay() {
	m.overlay = !m.overlay
	switch {
	case m.overlay && m.focus == focusDBCPU:
		m.focus = focusMainCPU
	case m.overlay && m.presenter:
		m.say("cause and effect: shown outside presenter mode (p)")
		return
	}
	if m.overlay {
		m.say("cause and effect: each line as % of its own max (o: CPU graphs)")
		return
	}
	m.say("CPU graphs (o: cause and effect)")
}

// members lists every member a graph draws, for the filter.
func (m Model) members() []string {
	snap := m.picture()
	if snap == nil {
		return nil
	}
	var out []string
	for i := 0; i < 2 && i < len(m.opts.Panels); i++ {
		for _, k := range panelKeys(m.opts.Panels[i], snap, "") {
			if mem := memberOf(k); mem != "" && !slices.Contains(out, mem) {
				out = append(out, mem)
			}
		}
	}
	slices.Sort(out)
	return out
}

// cycleMember moves the filter d steps through every shard, then every
// member, and back to all.
func (m *Model) cycleMember(d int) {
	ms := m.filterChoices()
	if len(ms) < 2 {
		m.member = ""
		m.say("one member: nothing to filter")
		return
	}
	all := append([]string{""}, ms...) // "" is all
	i := (slices.Index(all, m.member) + d + len(all)) % len(all)
	m.member = all[i]
	if m.member == "" {
		m.say("showing all members")
		return
	}
	m.say("showing " + m.member + " only (f: next, F: previous)")
}

func (m Model) reload() (tea.Model, tea.Cmd) {
	if m.opts.Reload == nil {
		m.say("reload: no config file (demo)")
		return m, nil
	}
	f := m.opts.Reload
	m.say("reloading config…")
	return m, func() tea.Msg {
		s, err := f()
		return reloadedMsg{s, err}
	}
}

func (m Model) onReloaded(msg reloadedMsg) (tea.Model, tea.Cmd) {
	if msg.err != nil {
		m.say("reload failed, old config kept: " + oneLine(msg.err.Error()))
		return m, nil
	}
	if msg.s.Panels != nil {
		m.opts.Panels = msg.s.Panels
	}
	if msg.s.Bell != "" {
		m.opts.Bell = msg.s.Bell
	}
	if msg.s.Range > 0 {
		m.rng = msg.s.Range
	}
	if msg.s.BellAlarms != nil {
		m.opts.BellAlarms = *msg.s.BellAlarms
	}
	if msg.s.Note != "" {
		m.say("config reloaded; " + msg.s.Note)
		return m, nil
	}
	m.say("config reloaded")
	return m, nil
}

func (m Model) export() (tea.Model, tea.Cmd) {
	if m.opts.Export == nil {
		m.say("export: not available in this viewer")
		return m, nil
	}
	f, snap := m.opts.Export, m.picture()
	if snap == nil {
		m.say("export: no data yet")
		return m, nil
	}
	return m, func() tea.Msg {
		path, err := f(snap)
		if err != nil {
			return actionMsg{"export failed: " + oneLine(err.Error())}
		}
		return actionMsg{"timeline written to " + path}
	}
}

func oneLine(s string) string {
	for i, r := range s {
		if r == '\n' {
			return s[:i]
		}
	}
	return s
}
