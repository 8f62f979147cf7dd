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

	"github.com/stormwatch/stormwatch/alert"
	"github.com/stormwatch/stormwatch/monitor"
	"github.com/stormwatch/stormwatch/text"
)

// Actions is what the dashboard can ask of the engine; *monitor.Engine
// implements it.
type Actions interface {
	Ack(id alert.ID, who string) bool
	Silence(id alert.ID, d time.Duration, who string) bool
	AckAlarm(id monitor.AlarmID, who string) bool
	SilenceAlarm(id monitor.AlarmID, d time.Duration, who string) bool
	Note(note, who text.Safe)
	Mark(label, who text.Safe)
}

// Playback is a replay the viewer can pause and step. When set, space
// pauses the replay instead of freezing the picture. A Playback that also
// has a Speed() float64 method gets "REPLAY 10x" in the header.
type Playback interface {
	Paused() bool
	TogglePause()
	Step()
}

// Settings are what a config reload can change in a running dashboard
// without losing history.
type Settings struct {
	Panels []Panel // nil keeps the current panels
	Bell   string  // "" keeps the current policy
	Range  time.Duration
	// BellAlarms replaces Options.BellAlarms; nil keeps the current
	// patterns (a nil list inside means every alarm rings).
	BellAlarms *[]string
	Note       string // what the reload could not apply ("source changes need a restart")
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
	// BellAlarms are glob patterns of the external (CloudWatch) alarms
	// whose ALARM rings the bell, as a critical alert; nil rings for
	// every one, an empty list for none.
	BellAlarms []string
	Who        text.Safe // who acks and notes (an SSH user name is outside text)
	Range      time.Duration
	// NoColor draws with attributes (bold, reverse) only. Colour also goes
	// when the terminal's profile has none: the renderer downgrades it.
	NoColor bool
	// Palette is "default" (blue/red) or "colorblind" (blue/orange, and
	// blue rather than green for OK).
	Palette string
	// Theme is "auto" (ask the terminal for its background), "dark" or
	// "light".
	Theme string
	// ASCII draws borders, graphs and state glyphs with ASCII only.
	ASCII bool
	// Presenter starts in presenter mode (p toggles it).
	Presenter bool
	// Clock is "utc" (the default) or "local"; t toggles it.
	Clock string
	// Location is the local zone for the clock; nil is time.Local.
	Location *time.Location
	// Reload re-reads the configuration (r, SIGHUP). It runs in a command;
	// an error leaves the running configuration as it was.
	Reload func() (Settings, error)
	// Export writes the incident timeline for the snapshot on screen and
	// returns where (e).
	Export func(*monitor.Snapshot) (string, error)
	// Playback, when set, is a replay that space pauses and . steps.
	Playback Playback
	// Fixer runs x (explain) and k (stop) against the database; nil turns
	// them off (a read-only viewer, --read-only).
	Fixer Fixer
}

// silenceChoices are the silence durations s offers, on keys 1 to 4; 0
// unsilences.
var silenceChoices = []time.Duration{15 * time.Minute, time.Hour, 4 * time.Hour, 12 * time.Hour}

type inputKind int

const (
	inputNone inputKind = iota
	inputNote
	inputMark
	inputSilence // choosing a silence duration for silenceID
	inputConfirm // the typed app name before k stops anything
)

// Model is the dashboard; it implements tea.Model.
type Model struct {
	opts  Options
	keys  keyMap
	help  help.Model
	input textinput.Model
	th    theme
	light bool // the terminal's background is light

	snap          *monitor.Snapshot
	now           time.Time
	width, height int
	ended         bool // the subscription closed
	pacedClock    bool // Paced delivers the clock and snapshots itself

	sel         int            // selected row of picks(snap)
	selID       pickID         // the selected alert or alarm, kept across snapshots
	seen        monitor.Cursor // timeline events already considered for the bell
	bells       int            // bells rung so far
	flashAge    int            // ticks since flash was set
	silenceID   pickID         // the alert or alarm the silence chooser is open for
	silenceName string
	inputMode   inputKind
	showHelp    bool
	flash       string // the answer to the last key, shown in the footer
	fix         fixState
	rowIdx      int  // the culprit row chosen with ↑/↓ in the tables panel
	rowSet      bool // whether one was chosen; else x and k take the highlighted row

	viewState
}

type (
	snapshotMsg        struct{ snap *monitor.Snapshot }
	snapshotsClosedMsg struct{}
	tickMsg            struct{}
	// actionMsg is the engine's answer to an ack, silence or export.
	actionMsg   struct{ text string }
	reloadMsg   struct{}
	reloadedMsg struct {
		s   Settings
		err error
	}
)

// RequestReload is the message that reloads the configuration, for a
// SIGHUP handler to Send to the program.
func RequestReload() tea.Msg { return reloadMsg{} }

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
	if o.Who.IsEmpty() {
		o.Who = text.Clean("someone")
	}
	if o.Location == nil {
		o.Location = time.Local
	}
	in := textinput.New()
	in.CharLimit = 200
	m := Model{opts: o, keys: newKeyMap(), help: help.New(), input: in, light: o.Theme == "light"}
	if o.Fixer == nil {
		// A read-only viewer is not shown keys it cannot use.
		m.keys.Explain.SetEnabled(false)
		m.keys.Stop.SetEnabled(false)
		m.keys.Copy.SetEnabled(false)
		m.keys.Reject.SetEnabled(false)
		m.keys.Undo.SetEnabled(false)
	}
	m.rng = o.Range
	m.presenter = o.Presenter
	m.local = o.Clock == "local"
	if o.Playback != nil {
		m.replayPaused = o.Playback.Paused()
		// In a replay space pauses the replay itself; "freeze" was untrue.
		m.keys.Freeze.SetHelp("space", "pause/play the replay")
	}
	m.restyle()
	return m
}

// restyle rebuilds the theme after a change of background or mode.
func (m *Model) restyle() {
	m.th = newTheme(themeOptions{
		noColor:    m.opts.NoColor,
		colorblind: m.opts.Palette == "colorblind",
		light:      m.light,
		ascii:      m.opts.ASCII,
		presenter:  m.presenter,
	})
	m.help.Styles = help.DefaultStyles(!m.light)
	if m.opts.NoColor {
		m.help.Styles = help.Styles{}
	}
}

// Init starts listening for snapshots and the once-a-second clock, and
// asks the terminal for its background colour.
func (m Model) Init() tea.Cmd {
	cmds := []tea.Cmd{waitForSnapshot(m.opts.Snapshots), m.tick()}
	if m.opts.Theme == "" || m.opts.Theme == "auto" {
		cmds = append(cmds, tea.RequestBackgroundColor)
	}
	return tea.Batch(cmds...)
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

// tick is the once-a-second clock; under Paced the pacer is the clock.
func (m Model) tick() tea.Cmd {
	if m.pacedClock {
		return nil
	}
	return tea.Tick(time.Second, func(time.Time) tea.Msg { return tickMsg{} })
}

// Update is the only place the model changes.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.input.SetWidth(max(msg.Width-34, 10)) // prompt, cursor and the enter/esc hint
		return m, nil
	case tea.BackgroundColorMsg:
		if m.opts.Theme == "" || m.opts.Theme == "auto" {
			m.light = !msg.IsDark()
			m.restyle()
		}
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
		return m, m.tick()
	case actionMsg:
		m.say(msg.text)
		return m, nil
	case fixExplainMsg, fixPlanMsg, fixStoppedMsg, fixRejectedMsg:
		return m.onFixMsg(msg)
	case reloadMsg:
		return m.reload()
	case reloadedMsg:
		return m.onReloaded(msg)
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

// onSnapshot takes a new snapshot. A frozen picture keeps its own
// snapshot for the graphs and tables, but the bell, the banner, the alerts
// list (and so ack and silence) and the status line follow the live one:
// freezing the graphs to discuss them must not hide a new alert.
func (m Model) onSnapshot(s *monitor.Snapshot) (tea.Model, tea.Cmd) {
	if s == nil {
		return m, waitForSnapshot(m.opts.Snapshots)
	}
	m.snap = s
	m.advance(s.At)
	m.sel = m.selectedIndex()
	if m.opts.Playback != nil {
		m.replayPaused = m.opts.Playback.Paused()
	}
	var n int
	n = newFirings(s, &m.seen, m.opts.Bell, m.opts.BellAlarms)
	cmds := []tea.Cmd{waitForSnapshot(m.opts.Snapshots)}
	if n > 0 {
		// tea.Raw writes straight to the terminal, past the renderer,
		// which is the one way to ring from inside the alt screen.
		m.bells += n
		cmds = append(cmds, tea.Raw(strings.Repeat("\a", n)))
	}
	return m, tea.Batch(cmds...)
}
