package ui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"slices"
)

// keyMap is every key the dashboard answers to; the help overlay and the
// footer are generated from it so they cannot drift from the handlers.
type keyMap struct {
	Quit      key.Binding
	Up        key.Binding
	Down      key.Binding
	Ack       key.Binding
	Silence   key.Binding
	Note      key.Binding
	Mark      key.Binding
	Range     key.Binding
	Shorter   key.Binding
	Longer    key.Binding
	Back      key.Binding
	Forward   key.Binding
	Live      key.Binding
	Freeze    key.Binding
	Step      key.Binding
	Next      key.Binding
	Prev      key.Binding
	Zoom      key.Binding
	Overlay   key.Binding
	Member    key.Binding
	Presenter key.Binding
	Clock     key.Binding
	Reload    key.Binding
	Export    key.Binding
	Verdict   key.Binding
	Explain   key.Binding
	Stop      key.Binding
	Copy      key.Binding
	Reject    key.Binding
	Undo      key.Binding
	Help      key.Binding
	Submit    key.Binding
	Cancel    key.Binding
}

func newKeyMap() keyMap {
	b := func(keys []string, k, desc string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(k, desc))
	}
	return keyMap{
		Quit:      b([]string{"q", "ctrl+c"}, "q", "quit"),
		Up:        b([]string{"up"}, "↑", "select previous alert"),
		Down:      b([]string{"down", "j"}, "↓/j", "select next alert"),
		Ack:       b([]string{"a"}, "a", "ack"),
		Silence:   b([]string{"s"}, "s", "silence for… / unsilence"),
		Note:      b([]string{"n"}, "n", "note"),
		Mark:      b([]string{"m"}, "m", "mark"),
		Range:     b([]string{"1", "2", "3", "4", "5"}, "1-5", "range 5m 15m 1h 3h 12h"),
		Shorter:   b([]string{"["}, "[", "shorter range"),
		Longer:    b([]string{"]"}, "]", "longer range"),
		Back:      b([]string{"left"}, "←", "pan back in history"),
		Forward:   b([]string{"right"}, "→", "pan forward (to live)"),
		Live:      b([]string{"end", "L"}, "end/L", "back to live"),
		Freeze:    b([]string{"space"}, "space", "freeze (alerts go on)"),
		Step:      b([]string{"."}, ".", "step a paused replay"),
		Next:      b([]string{"tab"}, "tab", "focus next panel"),
		Prev:      b([]string{"shift+tab"}, "shift+tab", "focus previous panel"),
		Zoom:      b([]string{"enter"}, "enter", "zoom focused panel"),
		Overlay:   b([]string{"o"}, "o", "overlay requests/ops/CPU"),
		Member:    b([]string{"f", "F"}, "f", "one shard/member (F: back)"),
		Presenter: b([]string{"p"}, "p", "presenter mode"),
		Clock:     b([]string{"t"}, "t", "clock UTC / local"),
		Reload:    b([]string{"r"}, "r", "reload config"),
		Export:    b([]string{"e"}, "e", "export the timeline"),
		Verdict:   b([]string{"v"}, "v", "verdict: traffic or query?"),
		Explain:   b([]string{"x"}, "x", "explain the culprit's query, propose an index"),
		Stop:      b([]string{"k"}, "k", "stop the culprit's operations (asks first)"),
		Copy:      b([]string{"c"}, "c", "copy the createIndex command"),
		Reject:    b([]string{"R"}, "R", "reject the query shape (8.0+, asks first)"),
		Undo:      b([]string{"u"}, "u", "undo the query-shape reject"),
		Help:      b([]string{"?"}, "?", "help"),
		Submit:    b([]string{"enter"}, "enter", "save note/mark"),
		Cancel:    b([]string{"esc"}, "esc", "cancel, unzoom, close help"),
	}
}

// ShortHelp is the footer, most useful first; it is cut to the width.
func (k keyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Quit, k.Help, k.Explain, k.Stop, k.Ack, k.Silence, k.Freeze, k.Range, k.Back, k.Next, k.Zoom,
		k.Overlay, k.Note, k.Mark, k.Presenter}
}

// acts reports whether b changes the incident (ack, silence, note, mark):
// what a read-only viewer may not do.
func (k keyMap) acts(b key.Binding) bool {
	for _, a := range []key.Binding{k.Ack, k.Silence, k.Note, k.Mark} {
		if slices.Equal(a.Keys(), b.Keys()) {
			return true
		}
	}
	return false
}

// FullHelp is the help overlay, one column per family.
func (k keyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.Ack, k.Silence, k.Note, k.Mark, k.Submit, k.Export, k.Verdict, k.Explain, k.Stop, k.Copy, k.Reject, k.Undo},
		{k.Range, k.Shorter, k.Longer, k.Back, k.Forward, k.Live, k.Freeze, k.Step},
		{k.Next, k.Prev, k.Zoom, k.Cancel, k.Overlay, k.Member, k.Presenter, k.Clock, k.Reload, k.Help, k.Quit},
	}
}

// onKey handles a key press: first the open input or help, then the
// dashboard keys.
func (m Model) onKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	// q closes what is open (help) before it quits; ctrl+c always quits.
	if key.Matches(msg, m.keys.Quit) && ((m.inputMode == inputNone && !m.showHelp) || msg.String() == "ctrl+c") {
		return m, tea.Quit
	}
	if m.inputMode == inputSilence {
		return m.onSilenceKey(msg)
	}
	if m.inputMode != inputNone {
		return m.onInputKey(msg)
	}
	if m.showHelp {
		if key.Matches(msg, m.keys.Help, m.keys.Cancel, m.keys.Quit) {
			m.showHelp = false
		}
		return m, nil
	}
	if m.fix.mode != fixClosed {
		return m.onFixKey(msg)
	}
	if next, cmd, ok := m.onViewKey(msg); ok {
		return next, cmd
	}
	switch {
	case key.Matches(msg, m.keys.Help):
		m.showHelp = true
	case key.Matches(msg, m.keys.Up) && m.focus == focusTables:
		m.moveRow(-1)
	case key.Matches(msg, m.keys.Down) && m.focus == focusTables:
		m.moveRow(1)
	case key.Matches(msg, m.keys.Up):
		m.moveSelection(-1)
	case key.Matches(msg, m.keys.Down):
		m.moveSelection(1)
	case key.Matches(msg, m.keys.Explain):
		return m.startExplain()
	case key.Matches(msg, m.keys.Stop):
		return m.startStop()
	case key.Matches(msg, m.keys.Ack):
		return m.ack()
	case key.Matches(msg, m.keys.Silence):
		return m.silence()
	case key.Matches(msg, m.keys.Note):
		return m.openInput(inputNote, "note: ")
	case key.Matches(msg, m.keys.Mark):
		return m.openInput(inputMark, "mark: ")
	case key.Matches(msg, m.keys.Export):
		return m.export()
	case key.Matches(msg, m.keys.Verdict):
		return m.explain()
	case key.Matches(msg, m.keys.Reload):
		return m.reload()
	case key.Matches(msg, m.keys.Copy):
		m.say("c copies the createIndex command of the explain panel: press x first")
	case key.Matches(msg, m.keys.Reject, m.keys.Undo):
		m.say(msg.String() + " works in the stop panel (MongoDB 8.0+): press k first")
	case key.Matches(msg, m.keys.Cancel):
		m.zoomed = false
		m.say("")
	}
	return m, nil
}

// onViewKey handles the keys that change how the data is looked at.
func (m Model) onViewKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd, bool) {
	switch {
	case key.Matches(msg, m.keys.Range):
		m.setRange(ranges[msg.String()[0]-'1'])
	case key.Matches(msg, m.keys.Shorter):
		m.stepRange(-1)
	case key.Matches(msg, m.keys.Longer):
		m.stepRange(1)
	case key.Matches(msg, m.keys.Back):
		m.pan(-1)
	case key.Matches(msg, m.keys.Forward):
		m.pan(1)
	case key.Matches(msg, m.keys.Live):
		m.goLive()
	case key.Matches(msg, m.keys.Freeze):
		next, cmd := m.toggleFreeze()
		return next, cmd, true
	case key.Matches(msg, m.keys.Step):
		if m.opts.Playback == nil {
			m.say(". steps a replay; this is live")
			break
		}
		m.opts.Playback.Step()
		m.replayPaused = m.opts.Playback.Paused()
	case key.Matches(msg, m.keys.Next):
		m.moveFocus(1)
	case key.Matches(msg, m.keys.Prev):
		m.moveFocus(-1)
	case key.Matches(msg, m.keys.Zoom):
		m.zoomed = !m.zoomed
		m.focusSeen = true
	case key.Matches(msg, m.keys.Overlay):
		m.toggleOverlay()
	case key.Matches(msg, m.keys.Member):
		if msg.String() == "F" {
			m.cycleMember(-1)
		} else {
			m.cycleMember(1)
		}
	case key.Matches(msg, m.keys.Presenter):
		m.presenter = !m.presenter
		m.zoomed = false
		m.restyle()
	case key.Matches(msg, m.keys.Clock):
		m.local = !m.local
	default:
		return m, nil, false
	}
	return m, nil, true
}
