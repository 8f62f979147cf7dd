package ui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/stormwatch/stormwatch/monitor"
	"github.com/stormwatch/stormwatch/text"
)

func (m *Model) moveSelection(d int) {
	snap := m.snap // the alerts list is live, even under a frozen picture
	if snap == nil || len(snap.Alerts) == 0 {
		return
	}
	m.sel = clamp(m.sel+d, 0, len(snap.Alerts)-1)
	m.selID = snap.Alerts[m.sel].ID()
}

const readOnly = "read-only viewer: no ack, silence, note or mark"

// actionTarget is the alert an ack or silence is about, or false after
// saying why there is none (a read-only viewer, no selection).
func (m *Model) actionTarget() (monitor.AlertView, bool) {
	if m.opts.Actions == nil {
		m.say(readOnly)
		return monitor.AlertView{}, false
	}
	a, ok := m.selected()
	if !ok {
		m.say("no alert selected")
	}
	return a, ok
}

func (m Model) ack() (tea.Model, tea.Cmd) {
	a, ok := m.actionTarget()
	if !ok {
		return m, nil
	}
	act, id, who := m.opts.Actions, a.ID(), m.opts.Who.String()
	name := a.ID().Subject()
	if !a.Active() {
		// An ack says somebody is on it; nobody is paged for what is over.
		m.say(fmt.Sprintf("%s is %s: nothing to ack (s silences it)", name, a.State))
		return m, nil
	}
	return m, func() tea.Msg {
		if !act.Ack(id, who) {
			return actionMsg{"not acked: " + name + " is over or gone"}
		}
		return actionMsg{"acked " + name}
	}
}

// silence opens the chooser for the selected alert: the duration is
// picked, not cycled, and a silenced alert can be unsilenced.
func (m Model) silence() (tea.Model, tea.Cmd) {
	a, ok := m.actionTarget()
	if !ok {
		return m, nil
	}
	m.inputMode, m.silenceID, m.silenceName = inputSilence, a.ID(), a.ID().Subject()
	m.say("")
	return m, nil
}

// silencePrompt is the footer while the chooser is open.
func (m Model) silencePrompt() string {
	var opts []string
	for i, d := range silenceChoices {
		opts = append(opts, m.th.key.Render(fmt.Sprint(i+1))+" "+fmtRange(d))
	}
	opts = append(opts, m.th.key.Render("0")+" unsilence", m.th.key.Render("esc")+" cancel")
	return "silence " + m.silenceName + ": " + strings.Join(opts, "  ")
}

func (m Model) onSilenceKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	k := msg.String()
	m.inputMode = inputNone
	var d time.Duration
	switch {
	case len(k) == 1 && k[0] >= '1' && int(k[0]-'1') < len(silenceChoices):
		d = silenceChoices[k[0]-'1']
	case k == "0":
	default:
		m.say("silence cancelled")
		return m, nil
	}
	act, id, who, name := m.opts.Actions, m.silenceID, m.opts.Who.String(), m.silenceName
	return m, func() tea.Msg {
		if !act.Silence(id, d, who) {
			return actionMsg{"alert gone: " + name}
		}
		if d <= 0 {
			return actionMsg{"unsilenced " + name}
		}
		return actionMsg{"silenced " + name + " for " + fmtRange(d)}
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
		raw, kind := strings.TrimSpace(m.input.Value()), m.inputMode
		m.inputMode = inputNone
		m.input.Blur()
		if kind == inputConfirm {
			return m.confirmStop(raw)
		}
		if raw == "" {
			m.say("cancelled: empty")
			return m, nil
		}
		act, who, typed := m.opts.Actions, m.opts.Who, text.Clean(raw)
		if kind == inputNote {
			m.say("noted")
			return m, func() tea.Msg { act.Note(typed, who); return nil }
		}
		m.say("marked " + typed.String())
		return m, func() tea.Msg { act.Mark(typed, who); return nil }
	}
	var cmd tea.Cmd
	m.input, cmd = m.input.Update(msg)
	return m, cmd
}
