// Package ui is the terminal dashboard: it renders the engine's snapshots
// and sends the user's intents (ack, silence, note, mark) back to it. It
// imports no SDK and no config; everything it shows arrives in a
// monitor.Snapshot.
package ui

import (
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/stormwatch/stormwatch/monitor"
)

// Actions is what the dashboard can ask of the engine; *monitor.Engine
// implements it.
type Actions interface {
	Ack(id, who string) bool
	Silence(id string, d time.Duration, who string) bool
	Note(text, who string)
	Mark(label, who string)
}

// Options configures New.
type Options struct {
	// Snapshots is the engine subscription (Engine.Subscribe).
	Snapshots <-chan *monitor.Snapshot
	// Actions receives acks, silences, notes and marks; nil makes a
	// read-only viewer.
	Actions Actions
	// Now is the engine clock. It is read once a second in Update to age
	// alerts and sources between snapshots.
	Now    func() time.Time
	Panels []Panel // nil = DefaultPanels()
	Bell   string  // "off", "critical" or "all" (the default)
	Who    string  // who acks and notes
	Range  time.Duration
	// NoColor draws with attributes (bold, reverse) only. Colour also goes
	// when the terminal's profile has none: the renderer downgrades it.
	NoColor bool
}

// silenceSteps is what repeated s cycles through.
var silenceSteps = []time.Duration{time.Hour, 4 * time.Hour, 15 * time.Minute}

type inputKind int

const (
	inputNone inputKind = iota
	inputNote
	inputMark
)

// Model is the dashboard; it implements tea.Model.
type Model struct {
	opts  Options
	keys  keyMap
	help  help.Model
	input textinput.Model
	th    theme

	snap          *monitor.Snapshot
	now           time.Time
	width, height int
	ended         bool // the subscription closed

	sel       int    // selected row in snap.Alerts
	selID     string // the selected alert's ID, kept across snapshots
	seen      int    // timeline events already considered for the bell
	bells     int    // bells rung so far
	flashAge  int    // ticks since flash was set
	silenceN  int    // position in silenceSteps for silenceID
	silenceID string
	inputMode inputKind
	showHelp  bool
	flash     string // the answer to the last key, shown in the footer
}

type (
	snapshotMsg        struct{ snap *monitor.Snapshot }
	snapshotsClosedMsg struct{}
	tickMsg            struct{}
	// actionMsg is the engine's answer to an ack or silence.
	actionMsg struct{ text string }
)

// New builds the dashboard model.
func New(o Options) Model {
	if o.Panels == nil {
		o.Panels = DefaultPanels()
	}
	if o.Bell == "" {
		o.Bell = BellAll
	}
	if o.Range <= 0 {
		o.Range = 5 * time.Minute
	}
	if o.Who == "" {
		o.Who = "someone"
	}
	in := textinput.New()
	in.CharLimit = 200
	h := help.New()
	th := newTheme(o.NoColor)
	if o.NoColor {
		h.Styles = help.Styles{}
	}
	return Model{opts: o, keys: newKeyMap(), help: h, input: in, th: th}
}

// Init starts listening for snapshots and the once-a-second clock.
func (m Model) Init() tea.Cmd {
	return tea.Batch(waitForSnapshot(m.opts.Snapshots), tick())
}

func waitForSnapshot(ch <-chan *monitor.Snapshot) tea.Cmd {
	if ch == nil {
		return nil
	}
	return func() tea.Msg {
		s, ok := <-ch
		if !ok {
			return snapshotsClosedMsg{}
		}
		return snapshotMsg{s}
	}
}

func tick() tea.Cmd {
	return tea.Tick(time.Second, func(time.Time) tea.Msg { return tickMsg{} })
}

// Update is the only place the model changes.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.input.SetWidth(max(msg.Width-34, 10)) // prompt, cursor and the enter/esc hint
		return m, nil
	case snapshotMsg:
		return m.onSnapshot(msg.snap)
	case snapshotsClosedMsg:
		m.ended = true
		return m, nil
	case tickMsg:
		if m.opts.Now != nil {
			m.advance(m.opts.Now())
		}
		if m.flashAge++; m.flashAge > flashTicks {
			m.flash = ""
		}
		return m, tick()
	case actionMsg:
		m.say(msg.text)
		return m, nil
	case tea.KeyPressMsg:
		return m.onKey(msg)
	}
	if m.inputMode != inputNone {
		var cmd tea.Cmd
		m.input, cmd = m.input.Update(msg)
		return m, cmd
	}
	return m, nil
}

// flashTicks is how many seconds the answer to a key stays in the footer.
const flashTicks = 8

func (m *Model) say(text string) {
	m.flash, m.flashAge = text, 0
}

// advance moves the displayed clock forward, never back: a snapshot
// stamped after the last tick must not fall outside the visible range.
func (m *Model) advance(t time.Time) {
	if t.After(m.now) {
		m.now = t.UTC()
	}
}

func (m Model) onSnapshot(s *monitor.Snapshot) (tea.Model, tea.Cmd) {
	if s == nil {
		return m, waitForSnapshot(m.opts.Snapshots)
	}
	m.snap = s
	m.advance(s.At)
	m.sel = m.selectedIndex()
	var n int
	n, m.seen = newFirings(s, m.seen, m.opts.Bell)
	cmds := []tea.Cmd{waitForSnapshot(m.opts.Snapshots)}
	if n > 0 {
		// tea.Raw writes straight to the terminal, past the renderer,
		// which is the one way to ring from inside the alt screen.
		m.bells += n
		cmds = append(cmds, tea.Raw(strings.Repeat("\a", n)))
	}
	return m, tea.Batch(cmds...)
}

// selectedIndex finds the selected alert again in a new snapshot, whose
// order may have changed.
func (m Model) selectedIndex() int {
	if m.snap == nil || len(m.snap.Alerts) == 0 {
		return 0
	}
	for i, a := range m.snap.Alerts {
		if a.ID() == m.selID {
			return i
		}
	}
	return clamp(m.sel, 0, len(m.snap.Alerts)-1)
}

func (m Model) selected() (monitor.AlertView, bool) {
	if m.snap == nil || m.sel < 0 || m.sel >= len(m.snap.Alerts) {
		return monitor.AlertView{}, false
	}
	return m.snap.Alerts[m.sel], true
}
