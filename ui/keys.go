package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// keyMap is every key the dashboard answers to; the help overlay and the
// footer are generated from it so they cannot drift from the handlers.
type keyMap struct {
	Quit    key.Binding
	Up      key.Binding
	Down    key.Binding
	Ack     key.Binding
	Silence key.Binding
	Note    key.Binding
	Mark    key.Binding
	Help    key.Binding
	Submit  key.Binding
	Cancel  key.Binding
}

func newKeyMap() keyMap {
	return keyMap{
		Quit:    key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),
		Up:      key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "select previous alert")),
		Down:    key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "select next alert")),
		Ack:     key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "ack")),
		Silence: key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "silence 1h (again: 4h, 15m)")),
		Note:    key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "note")),
		Mark:    key.NewBinding(key.WithKeys("m"), key.WithHelp("m", "mark")),
		Help:    key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		Submit:  key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "save note/mark")),
		Cancel:  key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel input / close help")),
	}
}

// ShortHelp is the footer.
func (k keyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Quit, k.Ack, k.Silence, k.Note, k.Mark, k.Help}
}

// FullHelp is the help overlay.
func (k keyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.Ack, k.Silence},
		{k.Note, k.Mark, k.Submit, k.Cancel},
		{k.Help, k.Quit},
	}
}

// onKey handles a key press: first the open input or help, then the
// dashboard keys.
func (m Model) onKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	if key.Matches(msg, m.keys.Quit) && (m.inputMode == inputNone || msg.String() == "ctrl+c") {
		return m, tea.Quit
	}
	if m.inputMode != inputNone {
		return m.onInputKey(msg)
	}
	if m.showHelp {
		if key.Matches(msg, m.keys.Help, m.keys.Cancel) {
			m.showHelp = false
		}
		return m, nil
	}
	if !key.Matches(msg, m.keys.Silence) {
		m.silenceID = ""
	}
	switch {
	case key.Matches(msg, m.keys.Help):
		m.showHelp = true
	case key.Matches(msg, m.keys.Up):
		m.moveSelection(-1)
	case key.Matches(msg, m.keys.Down):
		m.moveSelection(1)
	case key.Matches(msg, m.keys.Ack):
		return m.ack()
	case key.Matches(msg, m.keys.Silence):
		return m.silence()
	case key.Matches(msg, m.keys.Note):
		return m.openInput(inputNote, "note: ")
	case key.Matches(msg, m.keys.Mark):
		return m.openInput(inputMark, "mark: ")
	case key.Matches(msg, m.keys.Cancel):
		m.say("")
	}
	return m, nil
}

func (m *Model) moveSelection(d int) {
	if m.snap == nil || len(m.snap.Alerts) == 0 {
		return
	}
	m.sel = clamp(m.sel+d, 0, len(m.snap.Alerts)-1)
	m.selID = m.snap.Alerts[m.sel].ID()
}

const readOnly = "read-only viewer: no ack, silence, note or mark"

func (m Model) ack() (tea.Model, tea.Cmd) {
	if m.opts.Actions == nil {
		m.say(readOnly)
		return m, nil
	}
	a, ok := m.selected()
	if !ok {
		m.say("no alert selected")
		return m, nil
	}
	act, id, who := m.opts.Actions, a.ID(), m.opts.Who
	name := a.Rule + " " + a.Key
	return m, func() tea.Msg {
		if !act.Ack(id, who) {
			return actionMsg{"alert gone: " + name}
		}
		return actionMsg{"acked " + name}
	}
}

func (m Model) silence() (tea.Model, tea.Cmd) {
	if m.opts.Actions == nil {
		m.say(readOnly)
		return m, nil
	}
	a, ok := m.selected()
	if !ok {
		m.say("no alert selected")
		return m, nil
	}
	id := a.ID()
	if m.silenceID == id {
		m.silenceN = (m.silenceN + 1) % len(silenceSteps)
	} else {
		m.silenceID, m.silenceN = id, 0
	}
	act, who, d := m.opts.Actions, m.opts.Who, silenceSteps[m.silenceN]
	name := a.Rule + " " + a.Key
	return m, func() tea.Msg {
		if !act.Silence(id, d, who) {
			return actionMsg{"alert gone: " + name}
		}
		return actionMsg{"silenced " + name + " for " + fmtRange(d) + " (s again for longer)"}
	}
}

func (m Model) openInput(kind inputKind, prompt string) (tea.Model, tea.Cmd) {
	if m.opts.Actions == nil {
		m.say(readOnly)
		return m, nil
	}
	m.inputMode = kind
	m.input.Prompt = prompt
	m.input.Reset()
	m.say("")
	return m, m.input.Focus()
}

func (m Model) onInputKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	switch {
	case key.Matches(msg, m.keys.Cancel):
		m.inputMode = inputNone
		m.input.Blur()
		m.say("cancelled")
		return m, nil
	case key.Matches(msg, m.keys.Submit):
		text, kind := strings.TrimSpace(m.input.Value()), m.inputMode
		m.inputMode = inputNone
		m.input.Blur()
		if text == "" {
			m.say("cancelled: empty")
			return m, nil
		}
		act, who := m.opts.Actions, m.opts.Who
		if kind == inputNote {
			m.say("noted")
			return m, func() tea.Msg { act.Note(text, who); return nil }
		}
		m.say("marked " + text)
		return m, func() tea.Msg { act.Mark(text, who); return nil }
	}
	var cmd tea.Cmd
	m.input, cmd = m.input.Update(msg)
	return m, cmd
}
