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

const readOnly = "read-only viewer: no ack, silence, note or mark"

// actionTarget is the alert or alarm an ack or silence is about, or false
// after saying why there is none (a read-only viewer, no selection).
func (m *Model) actionTarget() (pick, bool) {
	if m.opts.Actions == nil {
		m.say(readOnly)
		return pick{}, false
	}
	a, ok := m.selected()
	if !ok {
		m.say("no alert selected")
	}
	return a, ok
}

func (m Model) ack() (tea.Model, tea.Cmd) {
	p, ok := m.actionTarget()
	if !ok {
		return m, nil
	}
	act, who, name := m.opts.Actions, m.opts.Who.String(), p.subject()
	answer := func(acked bool) tea.Msg {
		if !acked {
			return actionMsg{"not acked: " + name + " is over or gone"}
		}
		return actionMsg{"acked " + name}
	}
	// An ack says somebody is on it; nobody is paged for what is over.
	if a := p.alarm; a != nil {
		if !a.Alarming() {
			m.say(fmt.Sprintf("%s is %s: nothing to ack", name, alarmWord(a.State)))
			return m, nil
		}
		id := a.ID()
		return m, func() tea.Msg { return answer(act.AckAlarm(id, who)) }
	}
	if a := p.alert; !a.Active() {
		m.say(fmt.Sprintf("%s is %s: nothing to ack (s silences it)", name, a.State))
		return m, nil
	}
	id := p.alert.ID()
	return m, func() tea.Msg { return answer(act.Ack(id, who)) }
}

// silence opens the chooser for the selected alert: the duration is
// picked, not cycled, and a silenced alert can be unsilenced.
func (m Model) silence() (tea.Model, tea.Cmd) {
	p, ok := m.actionTarget()
	if !ok {
		return m, nil
	}
	m.inputMode, m.silenceID, m.silenceName = inputSilence, p.id(), p.subject()
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
		var done bool
		if id.alarm != (monitor.AlarmID{}) {
			done = act.SilenceAlarm(id.alarm, d, who)
		} else {
			done = act.Silence(id.alert, d, who)
		}
		if !done {
			return actionMsg{"gone: " + name}
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
